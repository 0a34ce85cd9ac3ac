"""Cheap exploration of screening models (helper of bench_screening; not run by make bench).

Same protocol as the benchmark, except that each retrain labels the top ceil(N/200)
records instead of one, which makes a run 2-23x cheaper. The baseline is facit's own
ELAS u4 run the same batched way (ELAS u4 matches ASReview's default record for record
when unbatched). Results are cached as JSON lines, so runs can be added piecemeal; then
the leave-one-dataset-out choice is printed from whatever is complete. Used to drop the
models that are not in ``_screening_lodo.CANDIDATES``; the reported figures always come
from the unbatched benchmark.

    .venv/bin/python bench/_screening_explore.py MODEL[,MODEL...] SEED[,SEED...] [DATASET,...]
    .venv/bin/python bench/_screening_explore.py --report
"""

from __future__ import annotations

import json
import math
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._screening_lodo import CANDIDATES, DATASETS, load, simulate_ours  # noqa: E402
from facit.literature.ranking import RankerConfig  # noqa: E402

CACHE = ROOT / "bench" / "out" / "explore-batched.jsonl"
_SVM = {"classifiers": ("svm",), "member_weights": None}
EXPLORED: dict[str, RankerConfig] = {
    **CANDIDATES,
    "svm+nb_1:1": RankerConfig(classifiers=("svm", "nb"), member_weights=(1.0, 1.0)),
    "svm_c0.3": RankerConfig(**_SVM, svm_c=0.3),
    "svm_ratio3": RankerConfig(**_SVM, balance_ratio=3.0),
    "svm_ratio30": RankerConfig(**_SVM, balance_ratio=30.0),
    "svm_wordchar": RankerConfig(**_SVM, char_ngrams=(3, 5)),
    "svm_committee_word_char": RankerConfig(
        char_ngrams=(3, 5),
        classifiers=("svm", "svm"),
        member_weights=(1.0, 1.0),
        member_features=("word", "char"),
    ),
    "svm+logistic": RankerConfig(classifiers=("svm", "logistic"), member_weights=(1.0, 1.0)),
}
BASE = "elas_u4"


def run(models: list[str], seeds: list[int], datasets: list[str]) -> None:
    have = set()
    if CACHE.exists():
        for line in CACHE.read_text().splitlines():
            r = json.loads(line)
            have.add((r["model"], r["dataset"], r["seed"]))
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    for seed in seeds:
        for name in datasets:
            batch = math.ceil(len(load(name)[1]) / 200)
            for model in models:
                if (model, name, seed) in have:
                    continue
                result = simulate_ours(name, seed, EXPLORED[model], batch=batch)
                with CACHE.open("a") as handle:
                    handle.write(
                        json.dumps(
                            {"model": model, "dataset": name, "seed": seed, "wss95": result.wss95}
                        )
                        + "\n"
                    )


def report() -> None:
    scores: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for line in CACHE.read_text().splitlines():
        r = json.loads(line)
        scores[(r["model"], r["dataset"])][r["seed"]] = r["wss95"]
    models = sorted({m for m, _ in scores} - {BASE})
    gains: dict[str, dict[str, float]] = {}
    for model in models:
        for d in DATASETS:
            mine, base = scores.get((model, d), {}), scores.get((BASE, d), {})
            common = sorted(set(mine) & set(base))
            if common:
                gains.setdefault(model, {})[d] = statistics.mean(mine[s] - base[s] for s in common)
    print(f"batched WSS@95 gain over {BASE} (mean over the seeds both have)")
    for model, by_dataset in gains.items():
        values = list(by_dataset.values())
        print(
            f"  {model:<24} datasets={len(values):>2} mean={statistics.mean(values):+.4f} "
            f"worst={min(values):+.4f} ({min(by_dataset, key=by_dataset.__getitem__)})"
        )
    complete = [m for m, g in gains.items() if len(g) == len(DATASETS)] + [BASE]
    print(f"leave-one-dataset-out choice among the complete ones {sorted(complete)}:")
    for held in DATASETS:
        rest = [d for d in DATASETS if d != held]

        def key(model: str, rest: list[str] = rest) -> tuple[float, float]:
            g = [0.0 if model == BASE else gains[model][d] for d in rest]
            return (min(g), statistics.mean(g))

        print(f"  without {held:<20} -> {max(complete, key=key)}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--report"]:
        report()
    else:
        run(
            sys.argv[1].split(","),
            [int(s) for s in sys.argv[2].split(",")],
            sys.argv[3].split(",") if len(sys.argv) > 3 else list(DATASETS),
        )
