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

import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import _screening_results as results  # noqa: E402
from bench._screening_lodo import CANDIDATES, load, simulate_ours  # noqa: E402
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


def simulate(name: str, seed: int, model: str) -> float:
    batch = math.ceil(len(load(name)[1]) / 200)
    return simulate_ours(name, seed, EXPLORED[model], batch=batch).wss95


if __name__ == "__main__":
    results.main(CACHE, "batched", simulate, tuple(EXPLORED))
