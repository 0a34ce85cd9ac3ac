"""Benchmark: parse 10 MB of RIS and 10 MB of PubMed/MEDLINE (issue 16, F6).

Two shapes of file, each 10 MB:

- "wrapped": the real screening titles and abstracts (data/screening), repeated, with every
  value wrapped at 70 characters onto continuation lines the way PubMed and EndNote wrap
  them; baseline: a bare ``rispy.loads`` of the RIS text in the same run (for PubMed the
  baseline is rispy on the RIS of the same records: a bare tagged-format reader);
- "hostile": one record whose abstract is 10 MB over ~150,000 continuation lines (before
  the fix: 130 s for 7.6 MB of PubMed, 215 s for 9.2 MB of RIS, quadratic). rispy itself
  is quadratic here, so the baseline is the linear floor: splitting the text into lines
  and joining them once.

Target: each under 5 s. Run: .venv/bin/python bench/bench_import_10mb.py [--quick]
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import time
from pathlib import Path

import rispy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from facit.literature.imports.formats import parse_file  # noqa: E402
from tests.literature.dedup_fixture import load_screening  # noqa: E402

TARGET = 5.0


def _wrap(value: str, first: str, indent: str) -> list[str]:
    lines = textwrap.wrap(value, 70) or [""]
    return [first + lines[0]] + [indent + line for line in lines[1:]]


def wrapped_files(size: int) -> tuple[bytes, bytes, int]:
    rows = load_screening()
    ris: list[str] = []
    medline: list[str] = []
    count = length = 0
    while length < size:
        row = rows[count % len(rows)]
        count += 1
        record = ["TY  - JOUR", *_wrap(row["title"], "TI  - ", "")]
        record += ["AU  - Invented, A", "PY  - 2020"]
        record += _wrap(row["abstract"] or "no abstract", "AB  - ", "")
        record += ["ER  - ", ""]
        entry = [f"PMID- {count}", *_wrap(row["title"], "TI  - ", "      ")]
        entry += ["FAU - Invented, A", "DP  - 2020"]
        entry += _wrap(row["abstract"] or "no abstract", "AB  - ", "      ")
        entry += [""]
        ris += record
        medline += entry
        length += sum(len(line) + 1 for line in record)
    return "\n".join(ris).encode(), "\n".join(medline).encode(), count


def hostile_files(size: int) -> tuple[bytes, bytes]:
    words = ("exposed", "children", "support", "prevention", "evidence", "review")
    line = " ".join(words * 2)
    body = [line] * (size // (len(line) + 7))
    ris = "TY  - JOUR\nTI  - Invented long record\nAB  - " + "\n".join(body) + "\nER  - \n"
    pubmed = (
        "PMID- 1\nTI  - Invented long record\nAB  - "
        + "\n".join("      " + b for b in body)
        + "\n\n"
    )
    return ris.encode(), pubmed.encode()


def timed(func):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def report(label: str, ours: float, base: float, note: str) -> bool:
    ok = ours < TARGET
    print(
        f"{label}: ours={ours:.2f}s baseline={base:.2f}s ratio={ours / base:.2f} "
        f"(baseline: {note}; target: ours < {TARGET:.0f} s) {'OK' if ok else 'TOO SLOW'}",
        flush=True,
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="2 MB instead of 10 MB")
    args = parser.parse_args()
    size = (2 if args.quick else 10) * 1024 * 1024
    ok = True

    ris, medline, count = wrapped_files(size)
    t_base, base = timed(lambda: rispy.loads(ris.decode()))
    t_ris, records = timed(lambda: parse_file(ris, filename="bench.ris"))
    assert len(records) == len(base) == count
    ok &= report(
        f"wrapped RIS {len(ris) / 1e6:.1f} MB, {count:,} records", t_ris, t_base, "rispy.loads"
    )
    t_med, records = timed(lambda: parse_file(medline, filename="bench.nbib"))
    assert len(records) == count
    ok &= report(
        f"wrapped PubMed {len(medline) / 1e6:.1f} MB, {count:,} records",
        t_med,
        t_base,
        "rispy.loads of the same records as RIS",
    )

    ris, pubmed = hostile_files(size)
    for name, data, filename in (("RIS", ris, "hostile.ris"), ("PubMed", pubmed, "hostile.nbib")):
        text = data.decode()
        t_floor, _ = timed(lambda text=text: " ".join(s.strip() for s in text.split("\n")))
        t_ours, records = timed(
            lambda data=data, filename=filename: parse_file(data, filename=filename)
        )
        assert len(records) == 1 and len(records[0].abstract) <= 50_000
        ok &= report(
            f"one record, {text.count(chr(10)):,} continuation lines, {name} "
            f"{len(data) / 1e6:.1f} MB",
            t_ours,
            t_floor,
            "split into lines and join once",
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
