"""Simulated screening on a fully labelled dataset, following data/screening/README.md.

Protocol: start from 1 included and 1 excluded record drawn with the seed; label one
record per step in the model's order, retraining after each label; the priors count
as screened. The run stops once every relevant record is found, since nothing after
that changes any metric.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import RankingError
from .metrics import ceil_fraction, recall_at, screened_until, wss
from .ranker import Ranker, RankerConfig


@dataclass(frozen=True)
class SimulationResult:
    records: int
    included: int
    priors: tuple[int, int]
    labels_in_order: list[int]
    screened_order: list[int]
    recall_at_10pct: float
    screened_to_95: int
    screened_to_100: int
    wss95: float
    seconds: float

    def summary(self) -> dict[str, float | int]:
        return {
            "records": self.records,
            "included": self.included,
            "wss95": self.wss95,
            "recall_at_10pct": self.recall_at_10pct,
            "screened_to_95": self.screened_to_95,
            "screened_to_100": self.screened_to_100,
            "seconds": self.seconds,
        }


def draw_priors(labels: Sequence[int], *, seed: int) -> tuple[int, int]:
    """One included and one excluded record index, chosen reproducibly from ``seed``."""
    y = np.asarray(labels)
    included = np.flatnonzero(y == 1)
    excluded = np.flatnonzero(y == 0)
    if len(included) == 0 or len(excluded) == 0:
        raise RankingError(
            "labels", "simulation needs at least one included and one excluded record"
        )
    rng = np.random.default_rng(seed)
    return int(rng.choice(included)), int(rng.choice(excluded))


def simulate(
    texts: Sequence[str],
    labels: Sequence[int],
    *,
    seed: int,
    config: RankerConfig | None = None,
    priors: tuple[int, int] | None = None,
) -> SimulationResult:
    """Replay a review: the model picks, the known labels answer, one record per step."""
    if len(texts) != len(labels):
        raise RankingError("labels", f"{len(texts)} texts but {len(labels)} labels")
    y_all = np.asarray(labels, dtype=np.int64)
    if not np.isin(y_all, (0, 1)).all():
        raise RankingError("labels", "labels must be 0 or 1")
    started = time.perf_counter()
    prior_pair = priors if priors is not None else draw_priors(y_all.tolist(), seed=seed)
    ranker = Ranker(config)
    ranker.fit_features(texts)
    screened = _screen_until_all_found(ranker, y_all, list(prior_pair))
    seconds = time.perf_counter() - started
    return _result(y_all, prior_pair, screened, seconds)


def _screen_until_all_found(ranker: Ranker, y_all: np.ndarray, screened: list[int]) -> list[int]:
    n_relevant = int(y_all.sum())
    found = int(y_all[screened].sum())
    while found < n_relevant and len(screened) < len(y_all):
        indices = np.asarray(screened, dtype=np.int64)
        scores = ranker.scores(indices, y_all[indices])
        scores[indices] = -np.inf
        # argmax returns the first maximum: ties go to the lowest record index,
        # the same as the stable sort in Ranker.order_unlabelled.
        chosen = int(np.argmax(scores))
        screened.append(chosen)
        found += int(y_all[chosen])
    return screened


def _result(
    y_all: np.ndarray, priors: tuple[int, int], screened: list[int], seconds: float
) -> SimulationResult:
    n_total = len(y_all)
    n_relevant = int(y_all.sum())
    in_order = y_all[screened].tolist()
    n_priors = len(priors)
    to_95 = screened_until(in_order, found=ceil_fraction(0.95, n_relevant)) or n_total
    to_100 = screened_until(in_order, found=n_relevant) or n_total
    # Both priors are screened before the model acts, whichever of them is relevant.
    to_95, to_100 = max(to_95, n_priors), max(to_100, n_priors)
    return SimulationResult(
        records=n_total,
        included=n_relevant,
        priors=priors,
        labels_in_order=in_order,
        screened_order=screened,
        recall_at_10pct=recall_at(in_order, n_total=n_total, n_relevant=n_relevant),
        screened_to_95=to_95,
        screened_to_100=to_100,
        wss95=wss(to_95, n_total=n_total, recall=0.95),
        seconds=seconds,
    )


# Column names a labelled CSV may use, most preferred first: the ones ASReview LAB reads
# (asreview/data/base.py, 3.0.8), so a dataset prepared for ASReview reads here unchanged.
LABELLED_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "primary_title"),
    "abstract": ("abstract", "notes_abstract", "abstract note"),
    "label": (
        "asreview_label",
        "included",
        "label",
        "final_included",
        "label_included",
        "included_label",
        "included_final",
        "included_flag",
        "include",
    ),
}
_CANONICAL = {"title": "title", "label": "label_included"}  # the names data/screening uses
_LABEL_VALUES = {"0": 0, "1": 1, "0.0": 0, "1.0": 1, "no": 0, "yes": 1, "n": 0, "y": 1}


def labelled_columns(fieldnames: Sequence[str]) -> dict[str, str | None]:
    """The file's column for each role (title, abstract, label), or None: the first of
    LABELLED_COLUMNS[role] present, compared without case or surrounding spaces."""
    by_name = {name.strip().lower(): name for name in fieldnames}
    return {
        role: next((by_name[n] for n in names if n in by_name), None)
        for role, names in LABELLED_COLUMNS.items()
    }


def read_labelled_csv(path: str | Path) -> tuple[list[str], list[int]]:
    """Texts (title + abstract) and 0/1 labels from a labelled screening CSV: a
    ``data/screening`` file, or one prepared for ASReview (the same column names are read;
    a file without an abstract column ranks on titles). Every record must be labelled."""
    texts: list[str] = []
    labels: list[int] = []
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        found = labelled_columns(reader.fieldnames or [])
        missing = [name for r, name in _CANONICAL.items() if found[r] is None]
        if missing:
            raise RankingError(
                f"{path}: header",
                f"missing column(s) {missing} (or another name ASReview reads for them)",
            )
        title, abstract, label_column = found["title"], found["abstract"], found["label"]
        assert title is not None and label_column is not None
        for row_number, row in enumerate(reader, start=2):
            label = (row[label_column] or "").strip().lower()
            if label not in _LABEL_VALUES:
                raise RankingError(
                    f"{path}: row {row_number}, column {label_column}",
                    f"expected 0 or 1, got {label!r}",
                )
            text = row[title] or ""
            texts.append(f"{text} {(row[abstract] or '') if abstract else ''}")
            labels.append(_LABEL_VALUES[label])
    return texts, labels


def simulate_csv(path: str | Path, seed: int = 0) -> dict[str, float | int]:
    """Command-line entry point: simulate one labelled CSV and return the summary numbers."""
    texts, labels = read_labelled_csv(path)
    return simulate(texts, labels, seed=seed).summary()
