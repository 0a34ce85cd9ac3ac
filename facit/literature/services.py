"""Writes of the literature domain: reviews, searches, screening, resolution, extraction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facit.accounts.models import User
from facit.core.audit import audit_record
from facit.core.concurrency import update_versioned
from facit.evidence.models import Evaluation, Intervention
from facit.evidence.registry.services import evaluation_create
from facit.literature.models import (
    Allocation,
    Decision,
    ExclusionReason,
    Extraction,
    FullText,
    Outcome,
    Reference,
    Resolution,
    Review,
    ScreeningDecision,
    SearchLog,
    Stage,
)
from facit.literature.screening import rules

DEFAULT_REASONS: list[tuple[Any, bool]] = [
    (gettext_lazy("Wrong population"), False),
    (gettext_lazy("Wrong intervention"), False),
    (gettext_lazy("Wrong outcome"), False),
    (gettext_lazy("Wrong study design"), False),
    (gettext_lazy("Full text not available"), True),
]


RESERVED_SLUGS = {"new"}


class ScreeningError(Exception):
    """A screening action that the rules do not allow; the message is shown to the person."""


# Reviews ---------------------------------------------------------------------------------


@transaction.atomic
def review_create(
    *,
    title: str,
    question: str,
    actor: User,
    slug: str = "",
    inclusion_criteria: str = "",
    exclusion_criteria: str = "",
    reasons: Iterable[str] | None = None,
    allocation: str = Allocation.DUAL,
    dual_share: int = 20,
    highlight_include: str = "",
    highlight_exclude: str = "",
) -> Review:
    """A new review with its creator as first member and a starting list of reasons."""
    review = Review.objects.create(
        allocation=allocation,
        dual_share=dual_share,
        highlight_include=highlight_include,
        highlight_exclude=highlight_exclude,
        slug=slug or _unique_slug(Review, title),
        title=title,
        question=question,
        inclusion_criteria=inclusion_criteria,
        exclusion_criteria=exclusion_criteria,
        created_by=actor,
    )
    review.members.add(actor)
    pairs = [(r, False) for r in reasons] if reasons is not None else DEFAULT_REASONS
    ExclusionReason.objects.bulk_create(
        ExclusionReason(review=review, label=str(label), position=i, not_retrieved=flag)
        for i, (label, flag) in enumerate(pairs)
    )
    audit_record(actor=actor, action="literature.review.create", target=review)
    return review


def _unique_slug(model: Any, text: str) -> str:
    base = slugify(text)[:70] or "review"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def review_update(
    *, review: Review, expected_version: int, data: dict[str, Any], actor: User
) -> Review:
    """Change the question, criteria, allocation or highlighted terms; refuses an edit made
    from a stale copy. A changed allocation recomputes the outcomes it affects."""
    before = (review.allocation, review.dual_share)
    updated = update_versioned(
        review,
        expected_version=expected_version,
        data=data,
        actor=actor,
        action="literature.review.update",
    )
    if (updated.allocation, updated.dual_share) != before:
        outcomes_recompute(review=updated)
    return updated


@transaction.atomic
def review_member_add(*, review: Review, user: User, actor: User) -> None:
    if not user.has_role("reviewer"):
        raise ScreeningError(_("Only people with the reviewer role can join a review."))
    review.members.add(user)
    audit_record(
        actor=actor, action="literature.review.member_add", target=review, detail={"user": user.pk}
    )


@transaction.atomic
def review_member_remove(*, review: Review, user: User, actor: User) -> None:
    review.members.remove(user)
    audit_record(
        actor=actor,
        action="literature.review.member_remove",
        target=review,
        detail={"user": user.pk},
    )


@transaction.atomic
def reason_add(
    *, review: Review, label: str, not_retrieved: bool = False, actor: User
) -> ExclusionReason:
    position = review.reasons.count()
    reason, _created = ExclusionReason.objects.get_or_create(
        review=review, label=label, defaults={"position": position, "not_retrieved": not_retrieved}
    )
    audit_record(actor=actor, action="literature.reason.add", target=reason)
    return reason


@transaction.atomic
def search_log_add(
    *,
    review: Review,
    database: str,
    query: str,
    searched_on: datetime.date,
    hits: int,
    actor: User,
    notes: str = "",
) -> SearchLog:
    search = SearchLog.objects.create(
        review=review,
        database=database,
        query=query,
        searched_on=searched_on,
        hits=hits,
        notes=notes,
    )
    audit_record(actor=actor, action="literature.search.add", target=search)
    return search


# Screening -------------------------------------------------------------------------------


def _check_member(review: Review, user: User) -> None:
    if not review.is_member(user):
        raise ScreeningError(_("Only members of this review can screen it."))


def _check_stage_open(reference: Reference, stage: str) -> None:
    if reference.duplicate_of_id is not None:
        raise ScreeningError(_("This reference was merged into another; screen that one."))
    if stage == Stage.FULL_TEXT and reference.ta_outcome != Outcome.INCLUDE:
        raise ScreeningError(_("Only references included at title and abstract reach full text."))


def _locked(reference: Reference) -> Reference:
    """The reference row, locked until the transaction ends, so that two decisions on it
    arriving at the same moment are applied one after the other and the outcome sees both."""
    return Reference.objects.select_for_update().get(pk=reference.pk)


def decision_record(
    *,
    reference: Reference,
    stage: str,
    reviewer: Any,
    decision: str,
    reason: ExclusionReason | None = None,
    note: str = "",
) -> ScreeningDecision:
    """Record one reviewer's independent decision; recompute the stage outcome.

    Safe under concurrency: the reference row is locked, one row per (reference, stage,
    reviewer) is enforced by a unique constraint, and a lost insert race is retried as an
    update, so no decision is ever dropped.
    """
    if decision not in Decision.values:
        raise ScreeningError(_("Unknown decision."))
    if decision == Decision.EXCLUDE and reason is None:
        raise ScreeningError(_("Choose a reason for excluding."))
    if decision != Decision.EXCLUDE:
        reason = None
    for attempt in range(3):
        try:
            return _decision_write(reference, stage, reviewer, decision, reason, note)
        except IntegrityError:
            if attempt == 2:
                raise
        except OperationalError as exc:
            # The transaction touches one reference row only, so a deadlock can come only
            # from outside it; the whole decision is rolled back, so retrying is safe.
            if "deadlock" not in str(exc).lower() or attempt == 2:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def _decision_write(
    reference: Reference,
    stage: str,
    reviewer: Any,
    decision: str,
    reason: ExclusionReason | None,
    note: str,
) -> ScreeningDecision:
    ref = _locked(reference)
    _check_member(ref.review, reviewer)
    _check_stage_open(ref, stage)
    if reason is not None and reason.review_id != ref.review_id:
        raise ScreeningError(_("That reason belongs to another review."))
    if Resolution.objects.filter(reference=ref, stage=stage).exists():
        raise ScreeningError(_("A third reviewer has already settled this reference."))
    others = ScreeningDecision.objects.filter(reference=ref, stage=stage).exclude(reviewer=reviewer)
    mine = ScreeningDecision.objects.filter(reference=ref, stage=stage, reviewer=reviewer).first()
    required = ref.review.required_decisions(ref.pk)
    if mine is None and others.count() >= required:
        if required == 1:
            raise ScreeningError(_("Another reviewer has already screened this reference."))
        raise ScreeningError(_("Two reviewers have already screened this reference."))
    with transaction.atomic():  # a savepoint, so a lost race leaves the outer transaction usable
        obj, created = ScreeningDecision.objects.update_or_create(
            reference=ref,
            stage=stage,
            reviewer=reviewer,
            defaults={"decision": decision, "reason": reason, "note": note},
        )
    _outcome_refresh(ref, stage)
    audit_record(
        actor=reviewer,
        action="literature.screening.decide",
        target=ref,
        detail={"stage": stage, "changed": not created},
    )
    return obj


def _outcome_refresh(ref: Reference, stage: str) -> None:
    resolution = Resolution.objects.filter(reference=ref, stage=stage).first()
    votes = [
        rules.Vote(d.decision, d.reason_id)
        for d in ScreeningDecision.objects.filter(reference=ref, stage=stage).order_by(
            "created_at", "id"
        )
    ]
    reason_id: int | None = None
    if resolution is not None:
        outcome, reason_id = resolution.decision, resolution.reason_id
    elif not votes:
        outcome = Outcome.PENDING
    elif len(votes) == 1:
        dual = ref.review.is_dual(ref.pk)
        outcome = Outcome.PENDING if dual else rules.single(stage, votes[0])
        reason_id = votes[0].reason_id if outcome == Outcome.EXCLUDE else None
    else:
        outcome = rules.combine(stage, votes[0], votes[1])
        reason_id = votes[0].reason_id if outcome == Outcome.EXCLUDE else None
    if stage == Stage.TITLE_ABSTRACT:
        ref.ta_outcome = outcome
        fields = ["ta_outcome"]
    else:
        ref.ft_outcome, ref.ft_reason_id = outcome, reason_id
        fields = ["ft_outcome", "ft_reason"]
    ref.save(update_fields=fields)


@transaction.atomic
def decision_undo(*, reference: Reference, stage: str, reviewer: Any) -> ScreeningDecision:
    """Take back one's own most recent decision in this review and stage, while nobody else
    has decided on that record: the other reviewer has not seen it, so blinding holds."""
    ref = _locked(reference)
    _check_member(ref.review, reviewer)
    last = (
        ScreeningDecision.objects.filter(
            reviewer=reviewer, stage=stage, reference__review_id=ref.review_id
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if last is None or last.reference_id != ref.pk:
        raise ScreeningError(_("Only your most recent decision can be undone."))
    if ScreeningDecision.objects.filter(reference=ref, stage=stage).exclude(pk=last.pk).exists():
        raise ScreeningError(
            _("Another reviewer has also decided on this reference; change your decision instead.")
        )
    if Resolution.objects.filter(reference=ref, stage=stage).exists():
        raise ScreeningError(_("A third reviewer has already settled this reference."))
    if stage == Stage.TITLE_ABSTRACT and ref.decisions.filter(stage=Stage.FULL_TEXT).exists():
        raise ScreeningError(_("Full-text screening of this reference has already begun."))
    last.delete()
    _outcome_refresh(ref, stage)
    audit_record(
        actor=reviewer, action="literature.screening.undo", target=ref, detail={"stage": stage}
    )
    return last


def outcomes_recompute(*, review: Review) -> int:
    """Recompute every screened record's outcome, after the review's allocation changed (a
    record that waited for a second reviewer may now be settled by one, or the reverse)."""
    count = 0
    for stage in Stage.values:
        ids = (
            ScreeningDecision.objects.filter(reference__review=review, stage=stage)
            .values_list("reference_id", flat=True)
            .distinct()
        )
        for ref_id in sorted(set(ids)):
            with transaction.atomic():
                ref = Reference.objects.select_for_update().select_related("review").get(pk=ref_id)
                ref.review = review
                _outcome_refresh(ref, stage)
            count += 1
    return count


@transaction.atomic
def conflict_resolve(
    *,
    reference: Reference,
    stage: str,
    resolver: Any,
    decision: str,
    reason: ExclusionReason | None = None,
    note: str = "",
) -> Resolution:
    """A third reviewer, who did not screen the reference at this stage, settles a conflict."""
    ref = _locked(reference)
    _check_member(ref.review, resolver)
    if ref.outcome(stage) != Outcome.CONFLICT:
        raise ScreeningError(_("There is no open conflict on this reference at this stage."))
    if ScreeningDecision.objects.filter(reference=ref, stage=stage, reviewer=resolver).exists():
        raise ScreeningError(
            _("A conflict is resolved by a third reviewer, not by one of the two.")
        )
    if decision not in (Decision.INCLUDE, Decision.EXCLUDE):
        raise ScreeningError(_("A resolution includes or excludes."))
    if decision == Decision.EXCLUDE and reason is None:
        raise ScreeningError(_("Choose a reason for excluding."))
    resolution = Resolution.objects.create(
        reference=ref,
        stage=stage,
        resolver=resolver,
        decision=decision,
        reason=reason if decision == Decision.EXCLUDE else None,
        note=note,
    )
    _outcome_refresh(ref, stage)
    audit_record(
        actor=resolver, action="literature.screening.resolve", target=ref, detail={"stage": stage}
    )
    return resolution


# Extraction ------------------------------------------------------------------------------


@transaction.atomic
def extraction_create(
    *,
    reference: Reference,
    actor: User,
    intervention: Intervention | None = None,
    new_intervention_name: str = "",
    evaluation: Evaluation | None = None,
    **evaluation_fields: Any,
) -> Extraction:
    """Turn an included reference into an Evaluation of an Intervention in the registry
    (creating either when needed, or linking an existing evaluation) and remember the link,
    so that the evidence map and the intervention's level follow the review."""
    if reference.ft_outcome != Outcome.INCLUDE:
        raise ScreeningError(_("Only references included at full text can be extracted."))
    if Extraction.objects.filter(reference=reference).exists():
        raise ScreeningError(_("This reference has already been extracted."))
    if evaluation is None:
        if intervention is None:
            if not new_intervention_name.strip():
                raise ScreeningError(_("Choose an intervention or name a new one."))
            intervention = _intervention_create(name=new_intervention_name.strip(), actor=actor)
        # A draft until an editor publishes it (evidence.registry.services.evaluation_publish).
        evaluation_fields.setdefault("is_published", False)
        evaluation = evaluation_create(intervention=intervention, actor=actor, **evaluation_fields)
    extraction = Extraction.objects.create(
        reference=reference, evaluation=evaluation, created_by=actor
    )
    audit_record(actor=actor, action="literature.extraction.create", target=extraction)
    return extraction


def _intervention_create(*, name: str, actor: User) -> Intervention:
    # An unclassified intervention is a draft, invisible to the public until an editor
    # publishes it.
    from facit.evidence.registry.services import intervention_create_draft

    return intervention_create_draft(name=name, actor=actor)


def evaluation_initial(reference: Reference) -> dict[str, Any]:
    """Evaluation fields pre-filled from the reference."""
    return {
        "title": reference.title,
        "authors": ", ".join(reference.authors),
        "year": str(reference.year or ""),
        "journal": reference.journal[:300],
        "doi": reference.doi,
    }


# Full texts ------------------------------------------------------------------------------


def _looks_like_pdf(upload: Any) -> bool:
    """By content, not by name or declared type: a PDF starts with %PDF- and ends with an
    %%EOF marker (within the last kilobyte, as trailing whitespace is allowed)."""
    upload.seek(0)
    head = upload.read(5)
    upload.seek(max(0, upload.size - 1024))
    tail = upload.read()
    upload.seek(0)
    return head == b"%PDF-" and b"%%EOF" in tail


def fulltext_attach(*, reference: Reference, upload: Any, actor: User) -> FullText:
    """Attach (or replace) the full-text PDF of a reference, for the review's members only."""
    from django.conf import settings
    from django.template.defaultfilters import filesizeformat

    _check_member(reference.review, actor)
    limit = settings.LITERATURE_FULLTEXT_MAX_BYTES
    if upload.size > limit:
        raise ScreeningError(
            _("The file is %(size)s; the largest full text accepted is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    if upload.size == 0 or not _looks_like_pdf(upload):
        raise ScreeningError(_("This file is not a PDF; nothing was saved."))
    name = str(upload.name or "fulltext.pdf")[-300:]
    old = FullText.objects.filter(reference=reference).first()
    with transaction.atomic():
        if old is not None:
            old_file = str(old.file.name)
            old.file.save("fulltext.pdf", upload, save=False)
            old.filename, old.size, old.uploaded_by = name, upload.size, actor
            old.save(update_fields=["file", "filename", "size", "uploaded_by", "updated_at"])
            fulltext = old
            transaction.on_commit(lambda: old.file.storage.delete(old_file))
        else:
            fulltext = FullText(reference=reference, filename=name, size=upload.size)
            fulltext.uploaded_by = actor
            fulltext.file.save("fulltext.pdf", upload, save=True)
        audit_record(actor=actor, action="literature.fulltext.attach", target=reference)
    return fulltext
