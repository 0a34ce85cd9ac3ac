"""Benchmark of the HSDS layer against plain library baselines.

- validate: ``validate_document`` (schema + cross-object rules) vs. bare ``jsonschema``
  validation of the same organization package with the same cached validator.
- read_tabular: ``read_tabular`` (typed rows, schema checks per row, errors per cell) vs.
  the minimal correct reader: ``csv.DictReader`` plus ``jsonschema`` on each typed row.
- is_open: ``hours.is_open`` vs. a hand-written weekday/time comparison.

Run: /work/main/.venv/bin/python bench/bench_hsds.py [--quick]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from facit.directory.hours import is_open
from facit.directory.hsds import (
    HsdsDataset,
    dataset_to_json,
    read_tabular,
    validate_document,
    validator_for_kind,
    write_tabular,
)
from facit.directory.hsds.schemas import table_specs


def _uuid(prefix: str, n: int) -> str:
    return f"{prefix:0>8}-0000-4000-8000-{n:012d}"


def synthetic(n_services: int) -> HsdsDataset:
    """A generated, obviously fictional dataset: 10 services per organization."""
    dataset = HsdsDataset()
    for i in range(n_services):
        oid, sid, lid, xid = (
            _uuid(p, i // 10 if p == "a1" else i) for p in ("a1", "b1", "c1", "d1")
        )
        dataset.organizations.setdefault(
            oid, {"id": oid, "name": f"Org {i // 10} (fiktiv)", "description": "fiktiv"}
        )
        dataset.services[sid] = {
            "id": sid,
            "name": f"Tjänst {i}",
            "status": "active",
            "organization_id": oid,
        }
        dataset.locations[lid] = {
            "id": lid,
            "location_type": "physical",
            "organization_id": oid,
            "latitude": 55 + i % 10,
            "longitude": 13 + i % 10,
        }
        dataset.service_at_locations[xid] = {
            "id": xid,
            "service_id": sid,
            "location_id": lid,
        }
        for j in range(2):
            pid = _uuid("91", i * 2 + j)
            dataset.phones[pid] = {
                "id": pid,
                "number": "000-000 00 00",
                "service_id": sid,
            }
            hid = _uuid("92", i * 2 + j)
            dataset.schedules[hid] = {
                "id": hid,
                "service_id": sid,
                "freq": "WEEKLY",
                "byday": "MO,TU,WE,TH,FR",
                "opens_at": "09:00",
                "closes_at": "17:00",
            }
    return dataset


def timed(fn: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def report(name: str, ours: float, baseline: float, target: float) -> None:
    ratio = ours / baseline
    print(
        f"{name}: ours={ours:.1f}ms baseline={baseline:.1f}ms ratio={ratio:.2f} (target <= {target:g})"
    )


def _naive_open(schedules: list[dict[str, Any]], at: datetime) -> bool:
    days = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
    now = at.strftime("%H:%M")
    return any(
        days[at.weekday()] in s["byday"] and s["opens_at"] <= now < s["closes_at"]
        for s in schedules
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n, repeat = (200, 3) if args.quick else (2000, 5)
    dataset = synthetic(n)
    package = dataset_to_json(dataset)["organization"]
    validator = validator_for_kind("organization_package")
    report(
        f"validate ({n} services)",
        timed(lambda: validate_document(package, kind="organization_package"), repeat),
        timed(lambda: list(validator.iter_errors(package)), repeat),
        target=1.5,
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_tabular(dataset, Path(tmp) / "pkg")
        files = sorted(folder.glob("*.csv"))

        specs = {spec.path: spec for spec in table_specs().values()}

        def baseline_read() -> None:
            for file in files:
                spec = specs[file.name]
                row_validator = validator_for_kind(spec.kind)
                with file.open(encoding="utf-8", newline="") as handle:
                    for row in csv.DictReader(handle):
                        typed = {
                            k: float(v) if spec.types[k] == "number" else v
                            for k, v in row.items()
                            if v
                        }
                        list(row_validator.iter_errors(typed))

        report(
            f"read_tabular ({n} services)",
            timed(lambda: read_tabular(folder), repeat),
            timed(baseline_read, repeat),
            target=1.5,
        )
    schedules = list(dataset.schedules.values())[:2]
    moments = [datetime(2026, 1, 5) + timedelta(minutes=37 * k) for k in range(n * 5)]
    report(
        f"is_open ({len(moments)} moments)",
        timed(lambda: [is_open(schedules, m) for m in moments], repeat),
        timed(lambda: [_naive_open(schedules, m) for m in moments], repeat),
        target=5.0,
    )


if __name__ == "__main__":
    main()
