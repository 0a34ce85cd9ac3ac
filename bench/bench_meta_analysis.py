"""Benchmark: many random-effects meta-analyses, ours vs statsmodels in the same run.

Workload: N meta-analyses of 20 studies each (default N = 10,000).

Baseline: ``statsmodels.stats.meta_analysis.combine_effects(y, v, method_re="iterated")``
called once per meta-analysis. statsmodels has no REML; "iterated" (Paule-Mandel) is its
closest iterative estimator, so the baseline does comparable, not identical, work.

Ours, two ways:
* ``meta_analysis(y, v, method="REML")`` once per analysis — the like-for-like line
  against the per-call baseline (this is the ratio with the 1.5 target);
* ``meta_analysis_batch(Y, V, method="REML")`` — all N analyses in one vectorised pass,
  which is how a page or simulation with many outcomes should call it.

Run: /work/main/.venv/bin/python bench/bench_meta_analysis.py [--quick] [--n N]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from statsmodels.stats.meta_analysis import combine_effects

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from facit.evidence.synthesis.stats import meta_analysis, meta_analysis_batch

K = 20
TARGET = 1.5


def _data(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(2026)
    v = rng.uniform(0.01, 0.4, (n, K))
    tau2 = rng.choice([0.0, 0.02, 0.1, 0.3], size=(n, 1))
    y = rng.normal(0.2, np.sqrt(v + tau2))
    return y, v


def _time(fn: object, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def _line(name: str, ours: float, base: float) -> str:
    ratio = ours / base
    return (
        f"{name}: ours={ours * 1e3:.1f}ms baseline={base * 1e3:.1f}ms "
        f"ratio={ratio:.2f} (target <= {TARGET})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 analyses, one repeat")
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    n = 1_000 if args.quick else args.n
    repeats = 1 if args.quick else 3
    y, v = _data(n)
    rows = list(zip(y, v, strict=True))

    def baseline() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for yi, vi in rows:
                combine_effects(yi, vi, method_re="iterated")

    def ours_loop() -> None:
        for yi, vi in rows:
            meta_analysis(yi, vi, method="REML")

    def ours_batch() -> None:
        meta_analysis_batch(y, v, method="REML")

    base = _time(baseline, repeats)
    loop = _time(ours_loop, repeats)
    batch = _time(ours_batch, repeats)
    print(f"{n} meta-analyses x {K} studies; ours REML, baseline statsmodels PM ('iterated')")
    print(_line("meta_analysis per call (REML)", loop, base))
    print(_line("meta_analysis_batch vectorised (REML)", batch, base))


if __name__ == "__main__":
    main()
