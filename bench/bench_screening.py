"""Screening benchmark: facit's ranker against ASReview LAB's default model, same priors.

Leave-one-dataset-out (LODO) over every labelled dataset in data/screening: each
candidate model in ``bench/_screening_lodo.py`` and ASReview 3.0.8's default (ELAS u4,
in its own venv bench/.venv-asreview, created on first run with ``pip install
asreview==3.0.8``) screen each dataset from the same seeded priors, following
data/screening/README.md. For each held-out dataset the model is chosen on the other
datasets only; the table shows what that choice scores on the held-out one, against
ASReview, with the mean and the worst dataset. Then one retrain + rerank step is timed
on a 20,000-record corpus for facit's default model and for ASReview.

    .venv/bin/python bench/bench_screening.py [--seeds N] [--quick]

Rules that are not a fixed ``RankerConfig`` (a title-weighted view, a share of
uncertainty queries, an agreement gate, a model switch) were tried with
``bench/_screening_variants.py``; none could be chosen (see data/screening/README.md).

``--quick``: one dataset, one seed, facit's default model only (a smoke run).
``FACIT_SCREENING_DATA=DIR``: the labelled CSVs in DIR instead of data/screening (the
columns of data/screening, or any of the names ASReview reads: primary_title, included, …). The full
run simulates 5 candidates and ASReview on every dataset per seed: about half an hour per
seed on an idle two-core machine.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._screening_lodo import (  # noqa: E402
    CANDIDATES,
    DATA,
    DATASETS,
    collect,
    leave_one_out,
    load,
    run_asreview,
)
from facit.literature.ranking import Ranker, RankerConfig, draw_priors  # noqa: E402

QUICK_DATASET = "Kitchenham_2010"
TIMING_RECORDS = 20_000
TIMING_STEPS = 10


def default_model_name() -> str:
    """The candidate that is facit's default model (RankerConfig())."""
    for name, config in CANDIDATES.items():
        if config == RankerConfig():
            return name
    raise SystemExit("facit's default RankerConfig() is not among the LODO candidates")


def print_lodo(
    seeds: list[int], datasets: tuple[str, ...], models: dict[str, RankerConfig]
) -> None:
    print(
        f"simulating {len(models)} candidate models and ASReview {len(seeds)} seed(s) "
        f"each on {len(datasets)} datasets ...",
        flush=True,
    )
    table = collect(models, datasets, seeds)
    names = list(models)
    chosen = leave_one_out(table, names, list(datasets)) if len(datasets) > 1 else {}
    default = default_model_name()
    width = max(len(d) for d in datasets)
    print(f"\nWSS@95, mean over seeds {seeds} (ASReview {'3.0.8'} ELAS u4 as baseline)")
    print(
        f"{'dataset':<{width}}  {'N':>5} {'R':>4}  {'LODO choice':<24} {'ours':>7} "
        f"{'asreview':>8} {'ratio':>6} {'gain':>7}  {'default':>7}"
    )
    lodo_gain, lodo_ratio, default_gain = [], [], []
    for d in datasets:
        texts, labels = load(d)
        model = chosen.get(d, default)
        ours, base = table.wss[model][d], table.wss["asreview"][d]
        lodo_gain.append(ours - base)
        lodo_ratio.append(ours / base)
        default_gain.append(table.gain(default, d))
        print(
            f"{d:<{width}}  {len(texts):>5} {sum(labels):>4}  {model:<24} {ours:>7.4f} "
            f"{base:>8.4f} {ours / base:>6.3f} {ours - base:>+7.4f}  {table.wss[default][d]:>7.4f}"
        )
    ours_mean = statistics.mean(table.wss[chosen.get(d, default)][d] for d in datasets)
    base_mean = statistics.mean(table.wss["asreview"][d] for d in datasets)
    worst = min(range(len(datasets)), key=lambda i: lodo_gain[i])
    print(
        f"mean wss95 (LODO): ours={ours_mean:.4f} baseline={base_mean:.4f} "
        f"ratio={ours_mean / base_mean:.3f} gain={ours_mean - base_mean:+.4f} (target gain >= +0.02)"
    )
    print(
        f"worst dataset (LODO): {datasets[worst]} ours={table.wss[chosen.get(datasets[worst], default)][datasets[worst]]:.4f} "
        f"baseline={table.wss['asreview'][datasets[worst]]:.4f} ratio={lodo_ratio[worst]:.3f} "
        f"gain={lodo_gain[worst]:+.4f} (target gain >= 0 on every dataset)"
    )
    print(
        f"datasets at or above ASReview (LODO): {sum(g >= 0 for g in lodo_gain)} of {len(datasets)}"
    )
    if len(datasets) > 1:
        print("\nper candidate: mean gain over ASReview, worst gain, datasets >= ASReview")
        for name in names:
            gains = [table.gain(name, d) for d in datasets]
            print(
                f"  {name:<24} mean={statistics.mean(gains):+.4f} worst={min(gains):+.4f} "
                f"at_or_above={sum(g >= 0 for g in gains)}/{len(gains)}"
                + ("  (facit's default)" if name == default else "")
            )
    r10_ours = statistics.mean(table.recall10[default][d] for d in datasets)
    r10_base = statistics.mean(table.recall10["asreview"][d] for d in datasets)
    print(
        f"mean recall@10% (default model): ours={r10_ours:.3f} baseline={r10_base:.3f} "
        f"ratio={r10_ours / r10_base:.3f}",
        flush=True,
    )


def make_large_corpus(n: int, seed: int) -> tuple[list[str], list[int]]:
    """All datasets repeated until n records, each copy dropping a random 10% of words."""
    texts: list[str] = []
    labels: list[int] = []
    for name in DATASETS:
        t, y = load(name)
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
    return out_t[:n], out_y[:n]


def _time_steps(ranker: Ranker, known: dict[int, int], labels: list[int]) -> float:
    """Median seconds of TIMING_STEPS retrain + rerank steps, labelling the top record."""
    step_times = []
    for _ in range(TIMING_STEPS):
        started = time.perf_counter()
        result = ranker.rank(known)
        step_times.append(time.perf_counter() - started)
        chosen = result.order[0]
        known[chosen] = labels[chosen]
    return statistics.median(step_times)


def bench_timing(seed: int) -> None:
    """Per-step time on 20,000 records. facit is timed before and after ASReview and the
    lower median kept, so a burst of load on a shared machine does not decide the ratio."""
    texts, labels = make_large_corpus(TIMING_RECORDS, seed)
    inc, exc = draw_priors(labels, seed=seed)
    ranker = Ranker()
    started = time.perf_counter()
    ranker.fit_features(texts)
    fit_seconds = time.perf_counter() - started
    before = _time_steps(ranker, {inc: 1, exc: 0}, labels)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["record_id", "title", "abstract", "doi", "label_included"])
            for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
                writer.writerow([i, "", text, "", label])
        theirs = run_asreview(path, [inc, exc], max_labeled=2 + TIMING_STEPS + 1)
    after = _time_steps(ranker, {inc: 1, exc: 0}, labels)
    ours = min(before, after)
    baseline = theirs["seconds_per_step"]
    print(f"features on {TIMING_RECORDS} records (once per review): ours={fit_seconds:.2f}s")
    print(
        f"retrain+rerank per step on {TIMING_RECORDS} records: ours={ours * 1000:.1f}ms "
        f"(before/after ASReview {before * 1000:.0f}/{after * 1000:.0f}ms) "
        f"baseline={baseline * 1000:.1f}ms ratio={ours / baseline:.2f} (target <= 1.0)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=2, help="seeds 0..N-1 (default 2)")
    parser.add_argument("--quick", action="store_true", help="one dataset, one seed")
    parser.add_argument("--timing-only", action="store_true", help="only the 20,000-record step")
    args = parser.parse_args()
    if args.timing_only:
        bench_timing(0)
        return
    if not DATASETS:
        raise SystemExit(f"no labelled datasets (*.csv) in {DATA}")
    if args.quick:
        default = default_model_name()
        quick = QUICK_DATASET if QUICK_DATASET in DATASETS else DATASETS[0]
        print_lodo([0], (quick,), {default: CANDIDATES[default]})
    else:
        print_lodo(list(range(args.seeds)), DATASETS, CANDIDATES)
    bench_timing(0)


if __name__ == "__main__":
    main()
