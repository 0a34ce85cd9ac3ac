"""What one person may see of the reviewers' blinded work on an evaluation.

Every rule of blinding lives here; the appraisal page, the desk, the intervention page and the
API read through these functions and decide nothing themselves:

- a reviewer sees their own appraisal or extraction, and the others' only once they have saved
  their own;
- once two reviewers have extracted, a third reviewer may see the pair and resolve it without
  extracting;
- a consensus can be agreed once two independent appraisals (or extractions) exist;
- everyone else (the public pages, the API) sees the consensus and the provisional reading,
  the independent appraisals only once the pair is complete, and never a reviewer's extraction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from facit.evidence.appraisal import desk
from facit.evidence.appraisal.services import appraisal_disagreements
from facit.evidence.models import Appraisal, Evaluation, Extraction
from facit.evidence.registry.services import current_extraction

#: Independent appraisals or extractions needed before a consensus (and before the public
#: sees the independent appraisals).
PAIR = 2


@dataclass(frozen=True)
class AppraisalSight:
    """The appraisal page as one reviewer may see it."""

    mine: Appraisal | None
    #: the other reviewers' appraisals, empty while this reviewer has not saved their own
    others: list[Appraisal]
    #: how many other appraisals exist but are hidden from this reviewer
    hidden_others: int
    #: no other reviewer has appraised yet
    others_pending: bool
    consensus: Appraisal | None
    #: field -> (first, second), only once this reviewer may see both
    disagreements: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: whether this reviewer may record the consensus now
    can_agree: bool = False


def appraisal_sight(
    *, evaluation: Evaluation, user: AbstractBaseUser | AnonymousUser
) -> AppraisalSight:
    """Blinded appraisal: `user` sees the other appraisals only after submitting their own."""
    rows = list(evaluation.appraisals.select_related("appraiser", "design_confirmed"))
    independent = [a for a in rows if a.role == Appraisal.Role.APPRAISER]
    mine = next((a for a in independent if a.appraiser_id == user.pk), None)
    others = [a for a in independent if a.appraiser_id != user.pk]
    consensus = next((a for a in rows if a.role == Appraisal.Role.CONSENSUS), None)
    return AppraisalSight(
        mine=mine,
        others=others if mine else [],
        hidden_others=0 if mine else len(others),
        others_pending=not others,
        consensus=consensus,
        disagreements=appraisal_disagreements(evaluation=evaluation) if mine else {},
        can_agree=bool(mine and others),
    )


@dataclass(frozen=True)
class ExtractionSight:
    """The extraction desk as one reviewer may see it."""

    mine: Extraction | None
    #: every reviewer's extraction whose values this reviewer may see (theirs first among
    #: equals, in the order the desk lists them); empty while blinded
    visible: list[Extraction]
    #: the visible ones that are not this reviewer's
    others: list[Extraction]
    #: reviewers' extractions that exist, this one's aside
    others_count: int
    #: how many of those are hidden from this reviewer
    hidden_others: int
    #: reviewers who have extracted (the count, never their values)
    reviewer_count: int
    consensus: Extraction | None
    #: whether this reviewer may record the consensus (two reviewers have extracted; a third
    #: reviewer may resolve the pair without extracting)
    can_resolve: bool
    #: field -> (first, second) of the pair, only when this reviewer may see it
    disagreements: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def extraction_sight(
    *, evaluation: Evaluation, user: AbstractBaseUser | AnonymousUser
) -> ExtractionSight:
    """Blinded dual extraction: `user` sees the others' values once they have saved their
    own, or once two reviewers have extracted (then any reviewer may resolve the pair)."""
    reviewers = desk.reviewer_extractions(evaluation)
    mine = next((x for x in reviewers if x.extractor_id == user.pk), None)
    others = [x for x in reviewers if x.extractor_id != user.pk]
    can_resolve = len(reviewers) >= PAIR
    sees = bool(mine) or can_resolve
    return ExtractionSight(
        mine=mine,
        visible=reviewers if sees else [],
        others=others if sees else [],
        others_count=len(others),
        hidden_others=0 if sees else len(others),
        reviewer_count=len(reviewers),
        consensus=evaluation.extractions.filter(role=Extraction.Role.CONSENSUS).first(),
        can_resolve=can_resolve,
        disagreements=desk.extraction_disagreements(evaluation=evaluation) if sees else {},
    )


def public_appraisals(evaluation: Evaluation) -> list[Appraisal]:
    """The appraisals anyone may see: the consensus, and the independent appraisals once the
    pair is complete (one alone is still blinded from the second reviewer). Reads the
    prefetched `evaluation.appraisals`."""
    rows = list(evaluation.appraisals.all())
    independent = [a for a in rows if a.role == Appraisal.Role.APPRAISER]
    shown = independent if len(independent) >= PAIR else []
    return [a for a in rows if a.role == Appraisal.Role.CONSENSUS or a in shown]


def public_appraisal_disagreements(evaluation: Evaluation) -> dict[str, tuple[str, str]]:
    """Where the pair disagrees, for anyone: empty until two independent appraisals exist."""
    return appraisal_disagreements(evaluation=evaluation)


def public_extraction(evaluation: Evaluation) -> Extraction | None:
    """The extraction anyone may see: the consensus, else the provisional reading; never a
    reviewer's own (blinded) extraction."""
    return current_extraction(evaluation)
