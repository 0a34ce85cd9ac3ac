"""Screening performance metrics shared by the simulation, tests and benchmark.

Fractions are handled as exact rationals so that ``ceil(0.95 * R)`` never rounds up
because of binary floating point (``0.95 * 60`` is ``57.00000000000001`` as a float).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from .errors import RankingError


def _exact(fraction: float) -> Fraction:
    if not 0 < fraction <= 1:
        raise RankingError("fraction", f"must be in (0, 1], got {fraction}")
    return Fraction(str(fraction))


def ceil_fraction(fraction: float, count: int) -> int:
    """``ceil(fraction * count)`` computed exactly."""
    return math.ceil(_exact(fraction) * count)


def screened_until(labels_in_order: Sequence[int], *, found: int) -> int | None:
    """Number of records screened when the ``found``-th relevant one turned up.

    None when the sequence holds fewer relevant records than asked for.
    """
    if found <= 0:
        return 0
    seen = 0
    for position, label in enumerate(labels_in_order, start=1):
        seen += int(label)
        if seen >= found:
            return position
    return None


def recall_at(
    labels_in_order: Sequence[int],
    *,
    n_total: int,
    n_relevant: int,
    fraction: float = 0.10,
) -> float:
    """Share of all relevant records found within the first ``ceil(fraction·N)``."""
    if n_relevant <= 0:
        raise RankingError("labels", "recall needs at least one relevant record")
    cutoff = ceil_fraction(fraction, n_total)
    return sum(int(x) for x in labels_in_order[:cutoff]) / n_relevant


def wss(screened: int, *, n_total: int, recall: float = 0.95) -> float:
    """Work saved over sampling at a recall level: ``(N − screened)/N − (1 − recall)``."""
    return (n_total - screened) / n_total - float(1 - _exact(recall))
