"""How two independent screening decisions combine, and how far reviewers agree.

Pure Python (no Django) so the rules can be read and tested on their own.

Rules (stated on the screening page too):
- Title/abstract: screening is deliberately inclusive. Include or maybe from both reviewers
  sends the reference on to full text; exclude from both excludes it; exclude against
  include or maybe is a conflict for a third reviewer.
- Full text: a reference is included only when both include, excluded only when both
  exclude for the same reason (PRISMA reports one reason per report); anything else,
  including any "maybe", is a conflict.
- A record screened by one reviewer only (single screening, or outside the dual-screened
  share) takes that decision; a "maybe" at full text goes to a second person as a conflict.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

INCLUDE, EXCLUDE, MAYBE = "include", "exclude", "maybe"
CONFLICT, PENDING = "conflict", ""
TITLE_ABSTRACT, FULL_TEXT = "ta", "ft"


@dataclass(frozen=True)
class Vote:
    decision: str
    reason_id: int | None = None


def combine(stage: str, first: Vote, second: Vote) -> str:
    """The outcome of a stage once two reviewers have decided independently."""
    pair = {first.decision, second.decision}
    if stage == TITLE_ABSTRACT:
        if pair <= {INCLUDE, MAYBE}:
            return INCLUDE
        if pair == {EXCLUDE}:
            return EXCLUDE
        return CONFLICT
    if pair == {INCLUDE}:
        return INCLUDE
    if pair == {EXCLUDE} and first.reason_id == second.reason_id:
        return EXCLUDE
    return CONFLICT


def single(stage: str, vote: Vote) -> str:
    """The outcome of a stage screened by one reviewer (single screening, or a record outside
    the dual-screened share): their decision stands, except that a "maybe" at full text
    still needs a second person."""
    if vote.decision == EXCLUDE:
        return EXCLUDE
    if stage == TITLE_ABSTRACT or vote.decision == INCLUDE:
        return INCLUDE
    return CONFLICT


@dataclass(frozen=True)
class Agreement:
    pairs: int
    observed: float | None
    kappa: float | None


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> Agreement:
    """Cohen's kappa over (first decision, second decision) pairs.

    The first and second positions are "the reviewer who decided first" and "second", not
    fixed people, as in most dual-screening tools; kappa is None when it is undefined
    (no pairs, or chance agreement is already perfect).
    """
    n = len(pairs)
    if n == 0:
        return Agreement(pairs=0, observed=None, kappa=None)
    observed = sum(1 for a, b in pairs if a == b) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in set(first) | set(second)) / (n * n)
    if expected >= 1.0:
        return Agreement(pairs=n, observed=observed, kappa=None)
    return Agreement(pairs=n, observed=observed, kappa=(observed - expected) / (1 - expected))
