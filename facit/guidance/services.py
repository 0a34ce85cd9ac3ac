"""Writes of the guidance domain: versions, review rounds, comments, answers, publishing.

Publishing needs every comment of earlier rounds answered. This module refuses with a
clear message (a `Refused` with status 409); the database refuses too (triggers, see
facit/guidance/models.py), so a bug or a direct SQL write cannot skip the rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from facit.accounts.roles import EDITOR
from facit.core.audit import audit_record
from facit.guidance.models import (
    Answer,
    Comment,
    Credit,
    Document,
    Invitation,
    Publication,
    ReviewRound,
    TermFinding,
    Version,
)
from facit.panel.errors import Refused
from facit.panel.models import Member, Purpose


def _require_editor(actor: Any) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.has_role(EDITOR)):
        raise Refused(_("Only an editor may do this."), code="forbidden", status=403)


def terminology_findings(text: str, lang: str) -> list[Any]:
    from facit.guidance.terminology import check

    return list(check(text, lang="en" if lang == "en" else "sv"))


def _render(markdown: str) -> tuple[str, list[dict[str, Any]]]:
    from facit.guidance.text import render

    rendered = render(markdown)
    sections = [{"anchor": s.anchor, "title": s.title, "level": s.level} for s in rendered.sections]
    return rendered.html, sections


@transaction.atomic
def version_create(
    *, document: Document, markdown: str, actor: Any, note: str = "", lang: str = "sv"
) -> Version:
    """A new immutable version, rendered and checked for terms to avoid."""
    _require_editor(actor)
    last = document.versions.order_by("-number").first()
    html, sections = _render(markdown)
    version = Version.objects.create(
        document=document,
        number=(last.number + 1) if last else 1,
        markdown=markdown,
        html=html,
        sections=sections,
        lang=lang,
        note=note,
        created_by=actor,
    )
    TermFinding.objects.bulk_create(
        TermFinding(
            version=version,
            term=f.term,
            start=f.start,
            end=f.end,
            severity=str(getattr(f.severity, "value", f.severity)),
            prefer=list(f.prefer),
            why=f.why,
            entry_id=str(f.entry_id),
        )
        for f in terminology_findings(markdown, lang)
    )
    audit_record(actor=actor, action="guidance.version_create", target=version)
    return version


@transaction.atomic
def document_create(
    *, kind: str, title: str, markdown: str, actor: Any, lang: str = "sv"
) -> Document:
    _require_editor(actor)
    document = Document.objects.create(kind=kind, title=title, created_by=actor)
    version_create(document=document, markdown=markdown, actor=actor, lang=lang)
    return document


@transaction.atomic
def document_seed(*, kind: str, title: str, markdown: str, lang: str = "sv") -> Document:
    """A draft document created by a seed function (no editor signs in during a seed): the
    same rendering and term check as an editor's draft, audited as the system. It is only a
    draft: publishing still needs an editor and, by the workflow, the panel's review."""
    document = Document.objects.create(kind=kind, title=title, created_by=None)
    html, sections = _render(markdown)
    version = Version.objects.create(
        document=document,
        number=1,
        markdown=markdown,
        html=html,
        sections=sections,
        lang=lang,
        note="seeded draft",
    )
    TermFinding.objects.bulk_create(
        TermFinding(
            version=version,
            term=f.term,
            start=f.start,
            end=f.end,
            severity=str(getattr(f.severity, "value", f.severity)),
            prefer=list(f.prefer),
            why=f.why,
            entry_id=str(f.entry_id),
        )
        for f in terminology_findings(markdown, lang)
    )
    audit_record(actor=None, action="guidance.document_seed", target=document)
    return document


@transaction.atomic
def round_open(
    *,
    version: Version,
    members: Iterable[Member],
    deadline: dt.date,
    actor: Any,
    content_warning: str = "",
) -> ReviewRound:
    """Send a version to chosen members who are active, not paused and consent to review."""
    _require_editor(actor)
    if version.is_published:
        raise Refused(_("This version is already published; send a draft."), code="published")
    chosen = list(members)
    eligible = {
        m.pk
        for m in Member.objects.invitable().filter(
            pk__in=[m.pk for m in chosen],
            consents__purpose=Purpose.REVIEW,
            consents__withdrawn_at__isnull=True,
        )
    }
    if not chosen or len(eligible) != len({m.pk for m in chosen}):
        raise Refused(
            _("Choose members who are active, not paused and have consented to review drafts."),
            code="members_not_eligible",
            status=400,
        )
    review_round = ReviewRound.objects.create(
        version=version, deadline=deadline, content_warning=content_warning, opened_by=actor
    )
    Invitation.objects.bulk_create(Invitation(round=review_round, member=m) for m in chosen)
    audit_record(
        actor=actor,
        action="guidance.round_open",
        target=review_round,
        detail={"members": len(chosen)},
    )
    return review_round


def invitation_for(*, review_round: ReviewRound, member: Member) -> Invitation | None:
    return Invitation.objects.filter(
        round=review_round, member=member, declined_at__isnull=True
    ).first()


def invitation_decline(*, invitation: Invitation) -> None:
    """Decline without a reason. Declining twice is harmless (nothing is asked of anyone)."""
    if invitation.declined_at is None:
        invitation.declined_at = timezone.now()
        invitation.save(update_fields=["declined_at"])


def comment_create(
    *,
    review_round: ReviewRound,
    member: Member,
    anchor: str,
    body: str,
    quote: str = "",
    credit: str = Credit.ANONYMOUS,
) -> Comment:
    if not review_round.is_open:
        raise Refused(
            _("This review round is closed; comments are no longer taken."), code="round_closed"
        )
    if invitation_for(review_round=review_round, member=member) is None:
        raise Refused(
            _("You are not invited to this review round."), code="not_invited", status=403
        )
    if anchor not in {s["anchor"] for s in review_round.version.sections}:
        raise Refused(_("Choose a section of the document."), code="unknown_section", status=400)
    if not body.strip():
        raise Refused(_("Write your comment."), code="empty", status=400)
    if credit not in Credit.values:
        raise Refused(_("Choose how you want to be credited."), code="invalid_credit", status=400)
    try:
        return Comment.objects.create(
            round=review_round, member=member, anchor=anchor, quote=quote, body=body, credit=credit
        )
    except IntegrityError:  # the round was closed in between: the trigger refused
        raise Refused(
            _("This review round is closed; comments are no longer taken."), code="round_closed"
        ) from None


def comment_answer(
    *,
    comment: Comment,
    actor: Any,
    decision: str,
    reason: str,
    change_version: Version | None = None,
) -> Answer:
    _require_editor(actor)
    if hasattr(comment, "answer"):
        raise Refused(_("This comment already has an answer."), code="already_answered")
    if not reason.strip():
        raise Refused(_("Give a reason for the answer."), code="no_reason", status=400)
    if decision == Answer.Decision.ACCEPTED and change_version is None:
        raise Refused(_("Link the version that holds the change."), code="no_change", status=400)
    if (
        change_version is not None
        and change_version.document_id != comment.round.version.document_id
    ):
        raise Refused(
            _("That version belongs to another document."), code="wrong_version", status=400
        )
    try:
        with transaction.atomic():
            answer = Answer.objects.create(
                comment=comment,
                decision=decision,
                reason=reason,
                change_version=change_version,
                answered_by=actor,
            )
    except IntegrityError:
        raise Refused(_("This comment already has an answer."), code="already_answered") from None
    audit_record(
        actor=actor, action="guidance.comment_answer", target=comment, detail={"decision": decision}
    )
    return answer


def answer_follow_up(*, comment: Comment, member: Member, text: str) -> Answer:
    """The member may reply once to the answer."""
    if comment.member_id != member.pk:
        raise Refused(_("No such comment."), code="not_found", status=404)
    answer = getattr(comment, "answer", None)
    if answer is None:
        raise Refused(_("There is no answer to reply to yet."), code="no_answer")
    if not text.strip():
        raise Refused(_("Write your reply."), code="empty", status=400)
    changed = Answer.objects.filter(pk=answer.pk, follow_up_at__isnull=True).update(
        follow_up=text, follow_up_at=timezone.now()
    )
    if not changed:
        raise Refused(_("You have already replied to this answer."), code="already_replied")
    answer.refresh_from_db()
    return answer


def unanswered(review_round: ReviewRound) -> int:
    return review_round.comments.filter(removed_at__isnull=True, answer__isnull=True).count()


def round_close(*, review_round: ReviewRound, actor: Any) -> None:
    _require_editor(actor)
    if not review_round.is_open:
        raise Refused(_("This review round is already closed."), code="already_closed")
    _close(review_round)
    audit_record(actor=actor, action="guidance.round_close", target=review_round)


def _close(review_round: ReviewRound) -> None:
    missing = unanswered(review_round)
    if missing:
        raise Refused(
            _("%(n)d comment(s) still need an answer.") % {"n": missing}, code="unanswered"
        )
    try:
        with transaction.atomic():
            ReviewRound.objects.filter(pk=review_round.pk).update(closed_at=timezone.now())
    except IntegrityError:  # a comment arrived between the count and the close
        raise Refused(_("A comment still needs an answer."), code="unanswered") from None
    review_round.refresh_from_db()


@transaction.atomic
def version_publish(*, version: Version, actor: Any) -> Publication:
    """Publish a version. Rounds on it and on earlier versions must be fully answered; they are
    closed on the way."""
    _require_editor(actor)
    if version.is_published:
        raise Refused(_("This version is already published."), code="already_published")
    earlier = ReviewRound.objects.open().filter(
        version__document=version.document, version__number__lte=version.number
    )
    for review_round in earlier:
        _close(review_round)
    try:
        with transaction.atomic():
            publication = Publication.objects.create(version=version, published_by=actor)
    except IntegrityError:
        raise Refused(
            _("An earlier review round still has unanswered comments."), code="unanswered"
        ) from None
    audit_record(actor=actor, action="guidance.version_publish", target=version)
    return publication
