"""Rules beyond a fixed RankerConfig, tried against ELAS u4 (helper of bench_screening; not
run by make bench).

Same protocol and stopping point as ``_screening_lodo.simulate_ours`` (one record per
retrain, seeded priors, stop once ceil(0.95·R) relevant and ceil(0.10·N) screened), so
each variant's WSS@95 is compared with ELAS u4 from the same priors; ELAS u4 screens in
exactly ASReview 3.0.8's order, so a gain over it is a gain over ASReview. Every rule and
its constants were fixed before any run:

- ``title2``: the title counted twice in the text (a title-weighted view).
- ``mix10``: every tenth query takes the most uncertain record (smallest |SVM margin|)
  instead of the most likely relevant one.
- ``gate3``: the SVM rank-averaged 3:1 with naive Bayes, but its top record is taken only
  when it is also in the SVM's own top 3 (both views agree); otherwise the SVM's top.
- ``switch20``: ELAS u4 until 20 relevant records are found, then the SVM + naive Bayes 3:1.

Fourth round (2026-12-03), a family fixed before any of its runs: ELAS u4 throughout,
except while it is stalled. Stalled means the last K records it queried (priors not
counted) were all irrelevant; then each query takes the top record of a second view A,
until a relevant record is found, and ELAS u4 takes over again. The tail of a review, where
WSS@95 is decided, is where ELAS u4 stalls; a view that sees the records differently may
find the relevant records its words miss, and outside a stall nothing changes.

- ``stall10_lsa``, ``stall25_lsa``: K = 10 or 25; A is a linear SVM with ELAS u4's settings
  on a latent semantic view alone: the TF-IDF matrix reduced to 100 dimensions
  (TruncatedSVD, seed 0), rows L2-normalised.
- ``stall10_nb``, ``stall25_nb``: K = 10 or 25; A is the SVM + naive Bayes 3:1 rank average.

Results are appended as JSON lines to ``bench/out/variants.jsonl``; ``--report`` prints the
gain table and the leave-one-dataset-out choice (``_screening_results``).

    nice -n 15 .venv/bin/python bench/_screening_variants.py VARIANT[,...] SEED[,...] [DATASET,...]
    .venv/bin/python bench/_screening_variants.py --report
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import _screening_results as results  # noqa: E402
from bench._screening_lodo import (  # noqa: E402
    DATA,
    Run,
    load,
    priors_for,
    score_order,
    stop_point,
)
from facit.literature.ranking import Ranker, RankerConfig  # noqa: E402

OUT = ROOT / "bench" / "out" / "variants.jsonl"
U4 = RankerConfig.asreview_default()
ENSEMBLE = RankerConfig(classifiers=("svm", "nb"), member_weights=(3.0, 1.0))
VARIANTS = (
    "elas_u4",
    "title2",
    "mix10",
    "gate3",
    "switch20",
    "stall10_lsa",
    "stall25_lsa",
    "stall10_nb",
    "stall25_nb",
)
LSA_DIMENSIONS = 100


def _title_weighted(name: str) -> list[str]:
    with open(DATA / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return [
            f"{row['title'] or ''} {row['title'] or ''} {row['abstract'] or ''}"
            for row in csv.DictReader(handle)
        ]


def _latent_view(words: Ranker) -> Ranker:
    """A ranker with ELAS u4's classifier on the TF-IDF reduced to LSA_DIMENSIONS."""
    reduced = TruncatedSVD(n_components=LSA_DIMENSIONS, random_state=0).fit_transform(words.matrix)
    latent = Ranker(U4)
    latent._matrix = sp.csr_matrix(normalize(reduced))
    latent._vectorisers = words._vectorisers
    return latent


def simulate_variant(name: str, seed: int, variant: str) -> Run:
    texts, labels = load(name)
    if variant == "title2":
        texts = _title_weighted(name)
    y = np.asarray(labels, dtype=np.int64)
    need_found, need_screened = stop_point(len(y), int(y.sum()))
    svm = Ranker(U4)
    svm.fit_features(texts)
    ensemble = Ranker(ENSEMBLE)
    ensemble._matrix = svm.matrix  # same word features; only the classifiers differ
    ensemble._vectorisers = svm._vectorisers
    stall_after = int(variant[5:7]) if variant.startswith("stall") else 0
    if variant.endswith("_lsa"):
        second = _latent_view(svm)
    elif variant.endswith("_nb"):
        second = ensemble
    screened = list(priors_for(name, seed))
    found = int(y[screened].sum())
    step = 0
    misses = 0  # irrelevant records in a row among those queried
    while (found < need_found or len(screened) < need_screened) and len(screened) < len(y):
        indices = np.asarray(screened, dtype=np.int64)
        known = y[indices]
        step += 1
        if variant == "switch20" and found >= 20:
            scores = ensemble.scores(indices, known)
        elif stall_after and misses >= stall_after:
            scores = second.scores(indices, known)
        else:
            scores = svm.scores(indices, known)
        scores[indices] = -np.inf
        chosen = int(np.argmax(scores))
        if variant == "mix10" and step % 10 == 0 and known.min() != known.max():
            margin = np.abs(scores)
            margin[indices] = np.inf
            chosen = int(np.argmin(margin))
        elif variant == "gate3" and known.min() != known.max():
            joint = ensemble.scores(indices, known)
            joint[indices] = -np.inf
            candidate = int(np.argmax(joint))
            top3 = np.argsort(-scores, kind="stable")[:3]
            if candidate in top3:
                chosen = candidate
        screened.append(chosen)
        found += int(y[chosen])
        misses = 0 if y[chosen] else misses + 1
    return score_order(y[screened].tolist(), len(y), int(y.sum()))


if __name__ == "__main__":
    results.main(
        OUT,
        "exact protocol",
        lambda name, seed, rule: simulate_variant(name, seed, rule).wss95,
        VARIANTS,
    )
