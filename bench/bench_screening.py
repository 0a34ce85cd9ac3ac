"""Screening benchmark: facit's ranker against ASReview LAB's default model, same priors.

Runs the protocol of data/screening/README.md on the three labelled datasets with
facit (in this process) and with ASReview (in its own venv, bench/.venv-asreview,
created on first run with ``pip install asreview``), then times one retrain + rerank
on a 20,000-record corpus for both.

    /work/main/.venv/bin/python bench/bench_screening.py [--seed N] [--quick]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from facit.literature.ranking import (  # noqa: E402
    Ranker,
    ceil_fraction,
    draw_priors,
    read_labelled_csv,
    recall_at,
    screened_until,
    simulate,
    wss,
)

DATA = ROOT / "data" / "screening"
DATASETS = ("Kitchenham_2010", "Nagtegaal_2019", "Jeyaraman_2020")
VENV = Path(__file__).resolve().parent / ".venv-asreview"
DRIVER = Path(__file__).resolve().parent / "_asreview_driver.py"
# asreview 3.x declares Python 3.10–3.13; prefer 3.12, the most settled of those here.
PYTHONS = (
    "/root/.pyenv/versions/3.12.1/bin/python3",
    "/root/.pyenv/versions/3.13.0/bin/python3",
    sys.executable,
)
TIMING_RECORDS = 20_000
TIMING_STEPS = 10


def asreview_python() -> Path:
    """The venv's interpreter, creating the venv and installing asreview if needed."""
    python = VENV / "bin" / "python"
    if python.exists():
        return python
    base = next(p for p in PYTHONS if Path(p).exists())
    print(f"creating {VENV} with {base} and installing asreview ...", flush=True)
    subprocess.run([base, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "asreview"], check=True)
    return python


def run_asreview(csv_path: Path, priors: list[int], max_labeled: int | None = None) -> dict:
    request: dict = {"csv": str(csv_path), "priors": priors}
    if max_labeled is not None:
        request["max_labeled"] = max_labeled
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    done = subprocess.run(
        [str(asreview_python()), str(DRIVER)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=tempfile.gettempdir(),  # asreview writes a cache file into its cwd
    )
    return json.loads(done.stdout)


def metrics(labels_in_order: list[int], n_total: int) -> tuple[float, float]:
    n_relevant = sum(labels_in_order)
    to_95 = screened_until(labels_in_order, found=ceil_fraction(0.95, n_relevant)) or n_total
    return wss(max(to_95, 2), n_total=n_total), recall_at(
        labels_in_order, n_total=n_total, n_relevant=n_relevant
    )


def bench_dataset(name: str, seed: int) -> tuple[float, float, float, float]:
    path = DATA / f"{name}.csv"
    texts, labels = read_labelled_csv(path)
    inc, exc = draw_priors(labels, seed=seed)
    ours = simulate(texts, labels, seed=seed)
    theirs = run_asreview(path, [inc, exc])
    if theirs["order"][:2] != [inc, exc]:
        raise SystemExit(f"{name}: ASReview did not start from the priors {inc}, {exc}")
    t_wss, t_r10 = metrics(theirs["labels_in_order"], len(labels))
    print(
        f"{name} (N={len(labels)}, R={sum(labels)}, priors={inc},{exc}): "
        f"ours wss95={ours.wss95:.4f} recall@10%={ours.recall_at_10pct:.3f} "
        f"({ours.seconds:.1f}s) | asreview[{theirs['model']} {theirs['asreview_version']}] "
        f"wss95={t_wss:.4f} recall@10%={t_r10:.3f} ({theirs['seconds']:.1f}s)",
        flush=True,
    )
    print(
        f"  wss95: ours={ours.wss95:.4f} baseline={t_wss:.4f} ratio={ours.wss95 / t_wss:.3f} (target >= 1.0)"
    )
    print(
        f"  recall@10%: ours={ours.recall_at_10pct:.3f} baseline={t_r10:.3f} "
        f"ratio={ours.recall_at_10pct / t_r10:.3f}",
        flush=True,
    )
    return ours.wss95, t_wss, ours.recall_at_10pct, t_r10


def make_large_corpus(n: int, seed: int) -> tuple[list[str], list[int]]:
    """All datasets repeated until n records, each copy dropping a random 10% of words."""
    texts: list[str] = []
    labels: list[int] = []
    for name in DATASETS:
        t, y = read_labelled_csv(DATA / f"{name}.csv")
        texts += t
        labels += y
    rng = np.random.default_rng(seed)
    out_t: list[str] = []
    out_y: list[int] = []
    while len(out_t) < n:
        for text, label in zip(texts, labels, strict=True):
            words = text.split()
            keep = rng.random(len(words)) > 0.1 if out_t else np.ones(len(words), dtype=bool)
            out_t.append(" ".join(w for w, k in zip(words, keep, strict=True) if k))
            out_y.append(label)
            if len(out_t) == n:
                break
    return out_t, out_y


def bench_timing(seed: int) -> None:
    texts, labels = make_large_corpus(TIMING_RECORDS, seed)
    inc, exc = draw_priors(labels, seed=seed)
    ranker = Ranker()
    started = time.perf_counter()
    ranker.fit_features(texts)
    fit_seconds = time.perf_counter() - started
    known = {inc: 1, exc: 0}
    step_times = []
    for _ in range(TIMING_STEPS):
        started = time.perf_counter()
        result = ranker.rank(known)
        step_times.append(time.perf_counter() - started)
        chosen = result.order[0]
        known[chosen] = labels[chosen]
    ours = statistics.median(step_times)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["record_id", "title", "abstract", "doi", "label_included"])
            for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
                writer.writerow([i, "", text, "", label])
        theirs = run_asreview(path, [inc, exc], max_labeled=2 + TIMING_STEPS + 1)
    baseline = theirs["seconds_per_step"]
    print(f"features on {TIMING_RECORDS} records (once per review): ours={fit_seconds:.2f}s")
    print(
        f"retrain+rerank per step on {TIMING_RECORDS} records: ours={ours * 1000:.1f}ms "
        f"baseline={baseline * 1000:.1f}ms ratio={ours / baseline:.2f} (target: ours < 1000ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="one dataset only")
    args = parser.parse_args()
    names = DATASETS[:1] if args.quick else DATASETS
    rows = [bench_dataset(name, args.seed) for name in names]
    ours_wss, base_wss, ours_r10, base_r10 = (
        statistics.mean(col) for col in zip(*rows, strict=True)
    )
    print(
        f"average wss95: ours={ours_wss:.4f} baseline={base_wss:.4f} "
        f"ratio={ours_wss / base_wss:.3f} (target > 1.0)"
    )
    print(
        f"average recall@10%: ours={ours_r10:.3f} baseline={base_r10:.3f} "
        f"ratio={ours_r10 / base_r10:.3f}"
    )
    bench_timing(args.seed)


if __name__ == "__main__":
    main()
