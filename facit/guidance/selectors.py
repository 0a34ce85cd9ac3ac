"""Reads that span documents, rounds, comments and the panel's consents."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from facit.guidance.models import Comment, Credit, Document, Invitation, ReviewRound, Version


@dataclass
class PublicComment:
    """A comment as the public may see it: credit and quote only as consented, right now."""

    comment: Comment
    credit_label: str
    quote: str  # the member's words, "" unless they consent to being quoted
    removed: bool
    decision: str
    decision_label: str
    reason: str


@dataclass
class TracedChange:
    change: Any
    comments: list[PublicComment] = field(default_factory=list)


def public_comments(comments: list[Comment]) -> list[PublicComment]:
    from facit.panel.selectors import public_consents

    people = public_consents({c.member_id for c in comments if c.member_id})
    out = []
    for c in comments:
        person = people.get(c.member_id or 0)
        credited = c.credit == Credit.PSEUDONYM and person is not None and person["credit"]
        quoted = person is not None and person["quote"]
        answer = getattr(c, "answer", None)
        out.append(
            PublicComment(
                comment=c,
                credit_label=person["pseudonym"] if credited and person else _("A panel member"),
                quote=c.body if quoted and not c.removed_at else "",
                removed=c.removed_at is not None,
                decision=answer.decision if answer else "",
                decision_label=answer.get_decision_display() if answer else _("Not answered yet"),
                reason=answer.reason if answer else "",
            )
        )
    return out


def comments_behind(version: Version) -> list[Comment]:
    """Comments of rounds on versions after the previous published one, up to this one.

    Publishing closes every round up to the published version, so each comment belongs to
    exactly one published version's trace."""
    previous = previous_published(version)
    floor = previous.number if previous else 0
    return list(
        Comment.objects.filter(
            round__version__document=version.document,
            round__version__number__gt=floor,
            round__version__number__lte=version.number,
        )
        .select_related("answer", "round__version")
        .order_by("created_at")
    )


def previous_published(version: Version) -> Version | None:
    return (
        Version.objects.filter(
            document=version.document, number__lt=version.number, publication__isnull=False
        )
        .order_by("-number")
        .first()
    )


def change_trace(
    version: Version,
) -> tuple[Version | None, list[TracedChange], list[PublicComment]]:
    """Changes from the previous published version, each with the comments behind it."""
    from facit.guidance.text import changes_touching, diff_versions

    previous = previous_published(version)
    comments = comments_behind(version)
    public = {p.comment.pk: p for p in public_comments(comments)}
    if previous is None:
        return None, [], list(public.values())
    changes = diff_versions(previous.markdown, version.markdown)
    traced = [TracedChange(change=ch) for ch in changes]
    for comment in comments:
        touched = changes_touching(changes, comment.anchor, comment.quote)
        for item in traced:
            if any(t is item.change for t in touched):
                item.comments.append(public[comment.pk])
    return previous, traced, list(public.values())


def published_documents() -> list[tuple[Document, Version]]:
    docs = []
    for document in Document.objects.published().order_by("title"):
        version = document.published_version()
        if version is not None:
            docs.append((document, version))
    return docs


def rounds_for_member(member: Any) -> list[ReviewRound]:
    """Rounds the member was invited to and did not decline; each carries `invitation`."""
    invitations = {
        i.round_id: i for i in Invitation.objects.filter(member=member, declined_at__isnull=True)
    }
    rounds = list(
        ReviewRound.objects.filter(pk__in=invitations)
        .select_related("version__document")
        .order_by("-created_at")
    )
    for r in rounds:
        r.invitation = invitations[r.pk]  # type: ignore[attr-defined]
    return rounds


def member_comments(*, member_id: int) -> list[Comment]:
    """A member's own comments with their answers (their panel page, the coordinator's)."""
    return list(
        Comment.objects.filter(member_id=member_id)
        .select_related("answer", "round__version__document")
        .order_by("created_at")
    )


def member_contribution_counts(*, member_id: int) -> dict[str, int]:
    """What leaving would touch in guidance, for the panel's confirmation page."""
    from facit.guidance.models import Answer

    comments = Comment.objects.filter(member_id=member_id)
    return {
        "comments": comments.count(),
        "follow_ups": Answer.objects.filter(comment__in=comments).exclude(follow_up="").count(),
        "invitations": Invitation.objects.filter(member_id=member_id).count(),
    }


def unanswered_comments() -> list[Comment]:
    """For the editor's home: live comments of open rounds still waiting for an answer."""
    return list(
        Comment.objects.filter(
            round__closed_at__isnull=True, removed_at__isnull=True, answer__isnull=True
        )
        .select_related("round__version__document")
        .order_by("created_at")
    )


def rounds_closing_soon(days: int = 7) -> list[ReviewRound]:
    """Open rounds whose deadline is within `days` (or has passed)."""
    import datetime as dt

    from django.utils import timezone

    until = timezone.localdate() + dt.timedelta(days=days)
    return list(
        ReviewRound.objects.open()
        .filter(deadline__lte=until)
        .select_related("version__document")
        .order_by("deadline")
    )
