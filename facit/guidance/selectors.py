"""Reads that span documents, rounds, comments and the panel's consents."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from facit.guidance.models import Comment, Credit, Document, ReviewRound, Version
from facit.panel.models import Member, Purpose


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


def _active_consents(member_ids: set[int]) -> set[tuple[int, str]]:
    from facit.panel.models import Consent

    rows = Consent.objects.filter(member_id__in=member_ids, withdrawn_at__isnull=True)
    return set(rows.values_list("member_id", "purpose"))


def public_comments(comments: list[Comment]) -> list[PublicComment]:
    ids = {c.member_id for c in comments if c.member_id}
    consents = _active_consents(ids)
    names = dict(
        Member.objects.filter(pk__in=ids, left_at__isnull=True).values_list("pk", "pseudonym")
    )
    out = []
    for c in comments:
        credited = (
            c.credit == Credit.PSEUDONYM
            and c.member_id in names
            and (c.member_id, Purpose.CREDIT) in consents
        )
        quoted = c.member_id in names and (c.member_id, Purpose.QUOTE) in consents
        answer = getattr(c, "answer", None)
        out.append(
            PublicComment(
                comment=c,
                credit_label=names.get(c.member_id or 0, "") if credited else _("A panel member"),
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


def rounds_for_member(member: Member) -> list[ReviewRound]:
    return list(
        ReviewRound.objects.filter(
            invitations__member=member, invitations__declined_at__isnull=True
        )
        .select_related("version__document")
        .order_by("-created_at")
    )
