"""Reads of the literature domain that span several models."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from facit.literature.models import (
    Allocation,
    ExclusionReason,
    ImportBatch,
    Outcome,
    Reference,
    Review,
    ScreeningDecision,
    Stage,
)
from facit.literature.screening import rules


def screening_queue(review: Review, stage: str, user: Any) -> QuerySet[Reference]:
    """References this person may screen next: not yet decided by them and still short of
    the decisions the review's allocation asks for.

    Records that already have one decision (from someone else, not shown) come first, so
    that pairs complete as the team goes: outcomes, conflicts and PRISMA counts move with
    every second decision instead of waiting until everyone has screened everything. Then
    the most relevant first (unranked ones last, in import order)."""
    decided = ScreeningDecision.objects.filter(stage=stage, reviewer=user).values("reference_id")
    return (
        Reference.objects.filter(review=review)
        .at_stage(stage)
        .exclude(pk__in=decided)
        .with_required(review)
        .annotate(n=Count("decisions", filter=Q(decisions__stage=stage)))
        .filter(n__lt=F("required"))
        .order_by(F("n").desc(), F("relevance").desc(nulls_last=True), "id")
    )


def undoable_decision(review: Review, stage: str, user: Any) -> ScreeningDecision | None:
    """This person's most recent decision at this stage, if it may still be undone: nobody
    else has decided on that reference and no resolution settled it."""
    last = (
        ScreeningDecision.objects.filter(reviewer=user, stage=stage, reference__review=review)
        .select_related("reference")
        .order_by("-created_at", "-id")
        .first()
    )
    if last is None:
        return None
    others = ScreeningDecision.objects.filter(reference_id=last.reference_id, stage=stage)
    if (
        others.exclude(pk=last.pk).exists()
        or last.reference.resolutions.filter(stage=stage).exists()
    ):
        return None
    if (
        stage == Stage.TITLE_ABSTRACT
        and last.reference.decisions.filter(stage=Stage.FULL_TEXT).exists()
    ):
        return None
    return last


def visible_decisions(reference: Reference, stage: str, user: Any) -> list[ScreeningDecision]:
    """Blinding: a screener sees the other decision only after making their own; someone
    who did not screen it (the third reviewer) sees both once both have decided."""
    decisions = list(reference.decisions.filter(stage=stage).select_related("reviewer", "reason"))
    mine = [d for d in decisions if d.reviewer_id == user.pk]
    if mine:
        return decisions
    return decisions if len(decisions) >= 2 else []


def conflicts(review: Review, stage: str) -> QuerySet[Reference]:
    return review.references.with_outcome(stage, Outcome.CONFLICT)


def agreement(review: Review, stage: str) -> rules.Agreement:
    """Cohen's kappa between the first and second decision on every doubly screened reference."""
    by_ref: dict[int, list[str]] = defaultdict(list)
    rows = (
        ScreeningDecision.objects.filter(reference__review=review, stage=stage)
        .order_by("reference_id", "created_at", "id")
        .values_list("reference_id", "decision")
    )
    for ref_id, decision in rows:
        by_ref[ref_id].append(decision)
    pairs = [(d[0], d[1]) for d in by_ref.values() if len(d) >= 2]
    return rules.cohen_kappa(pairs)


@dataclass
class StageProgress:
    stage: str
    label: Any
    total: int
    included: int
    excluded: int
    conflicts: int
    pending: int
    agreement: rules.Agreement


def stage_progress(review: Review) -> list[StageProgress]:
    result = []
    for stage, label in Stage.choices:
        qs = review.references.at_stage(stage)
        field_name = "ta_outcome" if stage == Stage.TITLE_ABSTRACT else "ft_outcome"
        counts = dict(
            qs.values_list(field_name).annotate(n=Count("id")).values_list(field_name, "n")
        )
        result.append(
            StageProgress(
                stage=stage,
                label=label,
                total=sum(counts.values()),
                included=counts.get(Outcome.INCLUDE, 0),
                excluded=counts.get(Outcome.EXCLUDE, 0),
                conflicts=counts.get(Outcome.CONFLICT, 0),
                pending=counts.get(Outcome.PENDING, 0),
                agreement=agreement(review, stage),
            )
        )
    return result


# PRISMA 2020 -----------------------------------------------------------------------------


@dataclass
class SourceCount:
    label: str
    identified: int
    imported: int


@dataclass
class Prisma:
    """Numbers of the PRISMA 2020 flow diagram (new reviews: databases and registers)."""

    sources: list[SourceCount] = field(default_factory=list)
    identified: int = 0
    not_imported: int = 0
    duplicates: int = 0
    screened: int = 0
    screen_excluded: int = 0
    screen_pending: int = 0
    screen_conflicts: int = 0
    sought: int = 0
    not_retrieved: int = 0
    assessed: int = 0
    ft_excluded: list[tuple[str, int]] = field(default_factory=list)
    ft_pending: int = 0
    ft_conflicts: int = 0
    included: int = 0
    allocation_text: str = ""

    @property
    def ft_excluded_total(self) -> int:
        return sum(n for _, n in self.ft_excluded)

    def checks(self) -> dict[str, bool]:
        """Every box follows from the one above it; these identities must hold."""
        return {
            "identified": self.identified == self.not_imported + self.duplicates + self.screened,
            "screened": self.screened
            == self.screen_excluded + self.screen_pending + self.screen_conflicts + self.sought,
            "sought": self.sought == self.not_retrieved + self.assessed,
            "assessed": self.assessed
            == self.ft_excluded_total + self.ft_pending + self.ft_conflicts + self.included,
        }


def _sources(review: Review) -> list[SourceCount]:
    """Records identified per source: the hits a database reported for a logged search (its
    imports counted against it), otherwise what was imported from the file."""
    per_search: dict[int, int] = defaultdict(int)
    other: dict[str, int] = defaultdict(int)
    batches = review.imports.filter(status=ImportBatch.Status.DONE).select_related("search")
    for batch in batches:
        if batch.search_id:
            per_search[batch.search_id] += batch.imported
        else:
            other[batch.source_label] += batch.imported
    result = [
        SourceCount(
            label=f"{s.database} ({s.searched_on:%Y-%m-%d})",
            identified=max(s.hits, per_search.get(s.pk, 0)),
            imported=per_search.get(s.pk, 0),
        )
        for s in review.searches.all()
    ]
    result += [SourceCount(label=k, identified=v, imported=v) for k, v in sorted(other.items())]
    return result


def allocation_text(review: Review) -> str:
    """How records were allocated to reviewers, as PRISMA item 8 asks to report."""
    if review.allocation == Allocation.SINGLE:
        return str(_("Single screening: one reviewer per record."))
    if review.allocation == Allocation.DUAL:
        return str(_("Dual screening: two independent reviewers per record."))
    kappa = agreement(review, Stage.TITLE_ABSTRACT)
    text = _(
        "Dual screening of a random %(share)s %% of records, single screening of the rest."
    ) % {"share": review.dual_share}
    if kappa.kappa is not None:
        text += " " + _("Agreement on %(pairs)s pairs: kappa %(kappa)s.") % {
            "pairs": kappa.pairs,
            "kappa": number_format(kappa.kappa, 2),
        }
    return str(text)


def prisma(review: Review) -> Prisma:
    p = Prisma(sources=_sources(review), allocation_text=allocation_text(review))
    p.identified = sum(s.identified for s in p.sources)
    p.not_imported = sum(s.identified - s.imported for s in p.sources)
    refs = review.references.all()
    p.duplicates = refs.filter(duplicate_of__isnull=False).count()
    unique = refs.filter(duplicate_of__isnull=True)
    ta = dict(
        unique.values_list("ta_outcome").annotate(n=Count("id")).values_list("ta_outcome", "n")
    )
    p.screened = sum(ta.values())
    p.screen_excluded = ta.get(Outcome.EXCLUDE, 0)
    p.screen_pending = ta.get(Outcome.PENDING, 0)
    p.screen_conflicts = ta.get(Outcome.CONFLICT, 0)
    p.sought = ta.get(Outcome.INCLUDE, 0)
    ft_refs = unique.filter(ta_outcome=Outcome.INCLUDE)
    ft = dict(
        ft_refs.values_list("ft_outcome").annotate(n=Count("id")).values_list("ft_outcome", "n")
    )
    reasons = {r.pk: r for r in ExclusionReason.objects.filter(review=review)}
    by_reason = (
        ft_refs.filter(ft_outcome=Outcome.EXCLUDE)
        .values_list("ft_reason")
        .annotate(n=Count("id"))
        .order_by("ft_reason")
    )
    for reason_id, n in by_reason:
        reason = reasons.get(reason_id)
        if reason is not None and reason.not_retrieved:
            p.not_retrieved += n
        else:
            p.ft_excluded.append((reason.label if reason else "–", n))
    p.assessed = p.sought - p.not_retrieved
    p.ft_pending = ft.get(Outcome.PENDING, 0)
    p.ft_conflicts = ft.get(Outcome.CONFLICT, 0)
    p.included = ft.get(Outcome.INCLUDE, 0)
    return p


def included_studies(review: Review) -> QuerySet[Reference]:
    """References included at full text (not merged-away duplicates), with any extraction."""
    return (
        review.references.with_outcome(Stage.FULL_TEXT, Outcome.INCLUDE)
        .select_related("extraction__evaluation")
        .order_by("id")
    )
