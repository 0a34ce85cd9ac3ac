"""Writes of the guidance domain: versions, review rounds, comments, answers, publishing.

Publishing needs a completed panel round whose every comment is answered. This module refuses
with a clear message (a `Refused`); the database refuses too (triggers, see
facit/guidance/models.py), so a bug or a direct SQL write cannot skip the rule.

Guidance asks the panel through its selectors and services only (who may review, whose words
may be quoted); the panel asks guidance through the functions at the end of this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from facit.accounts.models import User
from facit.accounts.roles import EDITOR
from facit.core.audit import audit_record
from facit.core.concurrency import EditConflict, save_versioned
from facit.guidance import notify
from facit.guidance.errors import Refused
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
from facit.panel import selectors as panel


def _require_editor(actor: User) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.has_role(EDITOR)):
        raise Refused(_("Only an editor may do this."), code="forbidden")


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
    *,
    document: Document,
    markdown: str,
    actor: User,
    note: str = "",
    lang: str = "sv",
    expected_version: int | None = None,
) -> Version:
    """A new immutable version, rendered and checked for terms to avoid.

    `expected_version` is the document's `version` when the editor opened it: if someone
    saved since, `EditConflict` is raised and nothing is written (never a silent overwrite).
    The document row is locked while the number is taken, so parallel saves never collide."""
    _require_editor(actor)
    if expected_version is None:
        expected_version = Document.objects.select_for_update().get(pk=document.pk).version
    save_versioned(document, expected_version=expected_version, update_fields=[])
    last = document.versions.order_by("-number").first()
    html, sections = _render(markdown)
    try:
        with transaction.atomic():
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
    except IntegrityError:  # another save took the number: the editor's copy is stale
        raise EditConflict(document, expected_version) from None
    _findings_store(version, markdown, lang)
    audit_record(actor=actor, action="guidance.version_create", target=version)
    return version


def _findings_store(version: Version, markdown: str, lang: str) -> None:
    """The terminology check's findings on a new version, kept with it."""
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


@transaction.atomic
def document_create(
    *, kind: str, title: str, markdown: str, actor: User, lang: str = "sv"
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
    _findings_store(version, markdown, lang)
    audit_record(actor=None, action="guidance.document_seed", target=document)
    return document


@transaction.atomic
def round_open(
    *,
    version: Version,
    members: Iterable[Any],
    deadline: dt.date,
    actor: User,
    content_warning: str = "",
    questions: str = "",
) -> ReviewRound:
    """Send a version to chosen members who are active, not paused and consent to review.
    The questions and content warning are shown before a member accepts."""
    _require_editor(actor)
    if version.is_published:
        raise Refused(_("This version is already published; send a draft."), code="published")
    chosen = list(members)
    eligible = set(
        panel.review_eligible_members()
        .filter(pk__in=[m.pk for m in chosen])
        .values_list("pk", flat=True)
    )
    if not chosen or len(eligible) != len({m.pk for m in chosen}):
        raise Refused(
            _("Choose members who are active, not paused and have consented to review drafts."),
            code="members_not_eligible",
        )
    review_round = ReviewRound.objects.create(
        version=version,
        deadline=deadline,
        content_warning=content_warning,
        questions=questions,
        opened_by=actor,
    )
    Invitation.objects.bulk_create(Invitation(round=review_round, member=m) for m in chosen)
    audit_record(
        actor=actor,
        action="guidance.round_open",
        target=review_round,
        detail={"members": len(chosen)},
    )
    return review_round


def invitation_for(*, review_round: ReviewRound, member: Any) -> Invitation | None:
    """The member's invitation unless declined (a closed one is returned: the page says so)."""
    return Invitation.objects.filter(
        round=review_round, member=member, declined_at__isnull=True
    ).first()


def invitation_accept(*, invitation: Invitation) -> None:
    """The member read the questions and the content warning, and takes part."""
    if invitation.closed_at is not None:
        raise Refused(_("This invitation is closed."), code="invitation_closed")
    if not panel.member_may_review(invitation.member):
        raise Refused(_("Reviewing needs your consent to review drafts."), code="no_consent")
    if invitation.accepted_at is None:
        Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=timezone.now()
        )
        invitation.refresh_from_db()


def invitation_decline(*, invitation: Invitation) -> None:
    """Decline without a reason. Declining twice is harmless (nothing is asked of anyone)."""
    if invitation.declined_at is None:
        invitation.declined_at = timezone.now()
        invitation.save(update_fields=["declined_at"])


def comment_create(
    *,
    review_round: ReviewRound,
    member: Any,
    anchor: str,
    body: str,
    quote: str = "",
    credit: str = Credit.ANONYMOUS,
) -> Comment:
    if not review_round.is_open:
        raise Refused(
            _("This review round is closed; comments are no longer taken."), code="round_closed"
        )
    invitation = invitation_for(review_round=review_round, member=member)
    if invitation is None:
        raise Refused(_("You are not invited to this review round."), code="not_invited")
    if invitation.closed_at is not None or not panel.member_may_review(member):
        raise Refused(
            _(
                "Your invitation is closed: commenting needs your consent to review drafts. "
                "Nothing was saved."
            ),
            code="invitation_closed",
        )
    if anchor not in {s["anchor"] for s in review_round.version.sections}:
        raise Refused(_("Choose a section of the document."), code="unknown_section")
    if not body.strip():
        raise Refused(_("Write your comment."), code="empty")
    if credit not in Credit.values:
        raise Refused(_("Choose how you want to be credited."), code="invalid_credit")
    try:
        with transaction.atomic():
            comment = Comment.objects.create(
                round=review_round,
                member=member,
                anchor=anchor,
                quote=quote,
                body=body,
                credit=credit,
            )
    except IntegrityError:  # closed in between (round or consent): the trigger refused
        review_round.refresh_from_db()
        if not review_round.is_open:
            raise Refused(
                _("This review round is closed; comments are no longer taken."),
                code="round_closed",
            ) from None
        raise Refused(
            _("Your invitation is closed: commenting needs your consent to review drafts."),
            code="invitation_closed",
        ) from None
    notify.comment_arrived(review_round)
    return comment


def comment_answer(
    *,
    comment: Comment,
    actor: User,
    decision: str,
    reason: str,
    change_version: Version | None = None,
) -> Answer:
    _require_editor(actor)
    if hasattr(comment, "answer"):
        raise Refused(_("This comment already has an answer."), code="already_answered")
    if not reason.strip():
        raise Refused(_("Give a reason for the answer."), code="no_reason")
    if decision == Answer.Decision.ACCEPTED and change_version is None:
        raise Refused(_("Link the version that holds the change."), code="no_change")
    if (
        change_version is not None
        and change_version.document_id != comment.round.version.document_id
    ):
        raise Refused(_("That version belongs to another document."), code="wrong_version")
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
    notify.answer_given(comment)
    return answer


def answer_follow_up(*, comment: Comment, member: Any, text: str) -> Answer:
    """The member may reply once to the answer."""
    if comment.member_id != member.pk:
        raise Refused(_("No such comment."), code="not_found")
    answer = getattr(comment, "answer", None)
    if answer is None:
        raise Refused(_("There is no answer to reply to yet."), code="no_answer")
    if not text.strip():
        raise Refused(_("Write your reply."), code="empty")
    changed = Answer.objects.filter(pk=answer.pk, follow_up_at__isnull=True).update(
        follow_up=text, follow_up_at=timezone.now()
    )
    if not changed:
        raise Refused(_("You have already replied to this answer."), code="already_replied")
    answer.refresh_from_db()
    return answer


def unanswered(review_round: ReviewRound) -> int:
    return review_round.comments.filter(removed_at__isnull=True, answer__isnull=True).count()


def round_close(*, review_round: ReviewRound, actor: User) -> None:
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


def rounds_since_last_publication(version: Version) -> list[ReviewRound]:
    """Review rounds on versions after the last published one, up to `version`."""
    last = (
        Publication.objects.filter(version__document=version.document)
        .order_by("-version__number")
        .values_list("version__number", flat=True)
        .first()
    )
    return list(
        ReviewRound.objects.filter(
            version__document=version.document,
            version__number__lte=version.number,
            version__number__gt=last or 0,
        ).select_related("version")
    )


def publish_blockers(version: Version) -> list[Comment]:
    """Comments that still need an answer before `version` can be published."""
    return list(
        Comment.objects.filter(
            round__version__document=version.document,
            round__version__number__lte=version.number,
            round__closed_at__isnull=True,
            removed_at__isnull=True,
            answer__isnull=True,
        ).select_related("round__version")
    )


@transaction.atomic
def version_publish(*, version: Version, actor: User, no_round_reason: str = "") -> Publication:
    """Publish a version after a completed panel round since the last publication, whose every
    comment is answered (rounds are closed on the way). A material (never a guideline) may
    be published without a round only with the editor's stated reason, shown on its page."""
    _require_editor(actor)
    if version.is_published:
        raise Refused(_("This version is already published."), code="already_published")
    blockers = publish_blockers(version)
    if blockers:
        raise Refused(
            _("%(n)d comment(s) still need an answer.") % {"n": len(blockers)}, code="unanswered"
        )
    rounds = rounds_since_last_publication(version)
    no_round_reason = no_round_reason.strip()
    if not rounds:
        if version.document.kind == Document.Kind.GUIDELINE:
            raise Refused(
                _(
                    "A guideline is published only after a panel review round. "
                    "Send this version to the panel first."
                ),
                code="no_round",
            )
        if not no_round_reason:
            raise Refused(
                _(
                    "This material has not been reviewed by the panel. "
                    "To publish it anyway, state why; the reason is shown on its page."
                ),
                code="no_round",
            )
    else:
        no_round_reason = ""
    earlier = ReviewRound.objects.open().filter(
        version__document=version.document, version__number__lte=version.number
    )
    for review_round in earlier:
        _close(review_round)
    try:
        with transaction.atomic():
            publication = Publication.objects.create(
                version=version, published_by=actor, no_round_reason=no_round_reason
            )
    except IntegrityError:
        raise Refused(
            _("An earlier review round still has unanswered comments."), code="unanswered"
        ) from None
    audit_record(
        actor=actor,
        action="guidance.version_publish",
        target=version,
        detail={"without_round": bool(no_round_reason), "rounds": len(rounds)},
    )
    return publication


# What the panel asks of guidance (the panel never writes guidance's tables itself) ------------


def member_invitations_close(*, member_id: int) -> int:
    """A withdrawn consent to review closes the member's open invitations at once."""
    return Invitation.objects.filter(
        member_id=member_id, closed_at__isnull=True, round__closed_at__isnull=True
    ).update(closed_at=timezone.now())


@transaction.atomic
def member_contributions_erase(*, member_id: int, delete: bool) -> dict[str, int]:
    """The member leaves: their comments lose the link to them (anonymise), or also their words
    (delete: body, follow-ups and quotes that are not passages of the document), leaving a
    tombstone so the change trace keeps its shape. Their invitations go; so do Django's admin
    log entries about these objects (they copy text into object_repr/change_message)."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    now = timezone.now()
    comments = Comment.objects.filter(member_id=member_id)
    comment_ids = list(comments.values_list("pk", flat=True))
    answer_ids = list(Answer.objects.filter(comment__in=comment_ids).values_list("pk", flat=True))
    invitations = Invitation.objects.filter(member_id=member_id)
    counts = {"comments": len(comment_ids), "invitations": invitations.count()}
    if delete:
        Answer.objects.filter(pk__in=answer_ids).update(follow_up="")
        for comment in comments.select_related("round__version"):
            if comment.quote and comment.quote not in comment.round.version.markdown:
                Comment.objects.filter(pk=comment.pk).update(quote="")
        comments.update(body="", removed_at=now, credit=Credit.ANONYMOUS, member=None)
    else:
        comments.update(credit=Credit.ANONYMOUS, member=None)
    invitation_ids = list(invitations.values_list("pk", flat=True))
    invitations.delete()
    for model, pks in ((Comment, comment_ids), (Answer, answer_ids), (Invitation, invitation_ids)):
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in pks],
        ).delete()
    return counts
