"""Stopping aid: how much screening is left worth doing?

Three numbers, each with the assumption it rests on, because none of them can be known
exactly while unscreened records remain:

* records screened since the last inclusion (a plain count; a long run is a hint,
  not a rule — "stop after N irrelevant in a row" has no statistical footing);
* an estimated recall, assuming the unscreened records hold relevant ones at most at
  the rate seen in the most recent screening window (the ranker shows likely relevant
  records first, so later records should be no richer than recent ones);
* the statistical stopping rule of Callaghan & Müller-Hansen (2020), "Statistical
  stopping criteria for automated screening in systematic reviews", Systematic Reviews
  9:273, https://doi.org/10.1186/s13643-020-01521-4 (reference implementation:
  github.com/mcallaghan/rapid-screening, buscarpy ``calculate_h0``). The null
  hypothesis is "recall is still below the target". For each urn of the last n
  screened records, the smallest number of relevant records that the urn plus the
  unscreened records would need to hold for H0 to be true is
  ``K = floor(r_seen / target − r_before_urn) + 1``; the probability of finding at
  most the relevant records actually seen in the urn, drawing n from that population
  at random, is the hypergeometric CDF. The smallest p over all urns is compared with
  ``1 − confidence``. Treating prioritised records as a random draw is conservative:
  the ranker puts likely relevant records first, so a random draw would find more.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy.stats import hypergeom

from .errors import RankingError

RECALL_ASSUMPTION = (
    "Assumes the records not yet screened contain relevant ones at most at the rate seen "
    "in the last {window} screened records ({hits} relevant), counted with one extra "
    "relevant record added for caution."
)
HYPERGEOMETRIC_ASSUMPTION = (
    "Callaghan & Müller-Hansen (2020) test: treats recently screened records as if drawn "
    "at random from themselves plus the unscreened records; conservative because the "
    "ranker shows likely relevant records first."
)

EXPLANATIONS: dict[str, str] = {
    "nothing_screened": "No record has been screened yet.",
    "no_inclusions_yet": "No record has been included yet, so recall cannot be estimated.",
    "all_screened": "Every record has been screened; recall is complete.",
    "target_met": (
        "The statistical stopping rule is met: with the chosen confidence, recall has "
        "reached the target. Stopping now is defensible."
    ),
    "keep_screening": (
        "The statistical stopping rule is not met yet: missing the recall target cannot "
        "be ruled out with the chosen confidence."
    ),
    "long_run_without_inclusion": (
        "Many records have been screened since the last inclusion. This is a hint only; "
        "rely on the statistical rule to decide."
    ),
}


@dataclass(frozen=True)
class StoppingStats:
    n_total: int
    n_screened: int
    n_included: int
    since_last_inclusion: int
    estimated_recall: float | None
    estimated_missing: float | None
    recall_assumption: str
    recall_target: float
    confidence: float
    p_value: float | None
    stop: bool
    codes: tuple[str, ...]

    @property
    def explanations(self) -> list[str]:
        return [EXPLANATIONS[code] for code in self.codes]


def since_last_inclusion(labels_in_order: Sequence[int]) -> int:
    """Records screened after the most recent inclusion (all of them if none)."""
    for count, label in enumerate(reversed(labels_in_order)):
        if label == 1:
            return count
    return len(labels_in_order)


def hypergeometric_p(
    labels_in_order: Sequence[int], *, n_total: int, recall_target: float
) -> float:
    """Smallest p-value of H0 "recall < target" over all urns of recent records."""
    y = np.asarray(labels_in_order, dtype=np.int64)
    n_screened = len(y)
    r_seen = int(y.sum())
    urn_hits = np.cumsum(y[::-1])  # relevant among the last 1, 2, … n screened
    urn_sizes = np.arange(1, n_screened + 1)
    population = n_total - n_screened + urn_sizes  # urn plus the unscreened records
    target = Fraction(str(recall_target))
    k_min_total = math.floor(Fraction(r_seen) / target) + 1
    k_hat = k_min_total - (r_seen - urn_hits)
    possible = k_hat <= population
    p = np.zeros(n_screened)
    p[possible] = hypergeom.cdf(
        urn_hits[possible], population[possible], k_hat[possible], urn_sizes[possible]
    )
    return float(p.min())


def _recall_estimate(
    labels_in_order: Sequence[int], *, n_total: int, window: int
) -> tuple[float, float, str]:
    recent = list(labels_in_order[-window:])
    hits = sum(recent)
    rate = (hits + 1) / (len(recent) + 1)
    missing = rate * (n_total - len(labels_in_order))
    found = sum(labels_in_order)
    text = RECALL_ASSUMPTION.format(window=len(recent), hits=hits)
    return found / (found + missing), missing, text


def _validate(
    labels_in_order: Sequence[int],
    n_total: int,
    recall_target: float,
    confidence: float,
) -> None:
    if len(labels_in_order) > n_total:
        raise RankingError(
            "labels_in_order",
            f"{len(labels_in_order)} screened but only {n_total} records",
        )
    for position, label in enumerate(labels_in_order):
        if label not in (0, 1):
            raise RankingError(
                f"labels_in_order[{position}]", f"label must be 0 or 1, got {label!r}"
            )
    if not 0 < recall_target < 1:
        raise RankingError("recall_target", f"must be in (0, 1), got {recall_target}")
    if not 0 < confidence < 1:
        raise RankingError("confidence", f"must be in (0, 1), got {confidence}")


def stopping_stats(
    labels_in_order: Sequence[int],
    n_total: int,
    *,
    recall_target: float = 0.95,
    confidence: float = 0.95,
    window: int = 100,
    long_run: int = 200,
) -> StoppingStats:
    """Where a review stands: run since the last inclusion, estimated recall, stop rule.

    ``labels_in_order`` are the screening decisions (1 included, 0 excluded) in the
    order they were made, prioritised by the ranker; ``n_total`` counts all records.
    """
    labels = [int(x) for x in labels_in_order]
    _validate(labels, n_total, recall_target, confidence)
    n_screened, n_included = len(labels), sum(labels)
    since = since_last_inclusion(labels)
    codes: list[str] = []
    estimate: tuple[float | None, float | None, str] = (None, None, "")
    p_value: float | None = None
    if n_screened == 0:
        codes.append("nothing_screened")
    elif n_screened == n_total:
        codes.append("all_screened")
        estimate = (1.0 if n_included else None, 0.0, "Every record has been screened.")
    else:
        if n_included == 0:
            codes.append("no_inclusions_yet")
        else:
            estimate = _recall_estimate(labels, n_total=n_total, window=window)
        p_value = hypergeometric_p(labels, n_total=n_total, recall_target=recall_target)
        codes.append("target_met" if p_value < 1 - confidence else "keep_screening")
        if since >= long_run:
            codes.append("long_run_without_inclusion")
    stop = "all_screened" in codes or "target_met" in codes
    recall_text = estimate[2]
    if p_value is not None:
        recall_text = f"{recall_text} {HYPERGEOMETRIC_ASSUMPTION}".strip()
    return StoppingStats(
        n_total=n_total,
        n_screened=n_screened,
        n_included=n_included,
        since_last_inclusion=since,
        estimated_recall=estimate[0],
        estimated_missing=estimate[1],
        recall_assumption=recall_text,
        recall_target=recall_target,
        confidence=confidence,
        p_value=p_value,
        stop=stop,
        codes=tuple(codes),
    )
