"""Invented panel and guidance objects for tests (not real-world facts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from facit.accounts.models import User
from facit.guidance import services as gs
from facit.guidance.models import Comment, Document, ReviewRound, Version
from facit.panel.models import Member, Purpose
from facit.panel.seed import consent_texts_load
from facit.panel.services import consent_give

DOC_V1 = """# Att möta ett barn

Fråga och följ upp svaret.

## Att ställa frågan

Ställ frågan i lugn och ro, och lyssna.

## Vart barnet kan få stöd

Hänvisa till stöd i närheten.
"""

DOC_V2 = """# Att möta ett barn

Fråga och följ upp svaret.

## Att ställa frågan

Ställ frågan i lugn och ro, lyssna och tro på det barnet berättar.

## Vart barnet kan få stöd

Hänvisa till stöd i närheten.
"""


def member(
    user: User,
    *,
    pseudonym: str | None = None,
    consents: tuple[str, ...] = tuple(Purpose.values),
    seen: bool = True,
) -> Member:
    consent_texts_load()
    m = Member.objects.create(
        user=user,
        pseudonym=pseudonym or f"Ugglan-{user.pk}",
        interruption_seen_at=timezone.now() if seen else None,
    )
    for purpose in consents:
        consent_give(member=m, purpose=purpose)
    return m


def document(editor: User, markdown: str = DOC_V1, **kw: Any) -> Document:
    return gs.document_create(
        kind="guideline", title="Invented guideline", markdown=markdown, actor=editor, **kw
    )


def review_round(
    editor: User,
    version: Version,
    members: list[Member],
    *,
    warning: str = "",
    questions: str = "",
    accepted: bool = True,
) -> ReviewRound:
    """A round on `version`; the members have read its questions and accepted (unless not)."""
    rnd = gs.round_open(
        version=version,
        members=members,
        deadline=timezone.localdate() + dt.timedelta(days=14),
        actor=editor,
        content_warning=warning,
        questions=questions,
    )
    if accepted:
        for invitation in rnd.invitations.all():
            gs.invitation_accept(invitation=invitation)
    return rnd


def publish_reviewed(editor: User, version: Version) -> None:
    """Publish `version` after a (comment-free) panel round, as a guideline must be."""
    from facit.accounts.services import user_create

    if not gs.rounds_since_last_publication(version):
        reviewer = user_create(username=f"reviewer-{version.pk}", password="x" * 16, roles=[])
        review_round(editor, version, [member(reviewer, pseudonym=f"Granskaren-{version.pk}")])
    gs.version_publish(version=version, actor=editor)


def comment(
    review_round: ReviewRound, m: Member, body: str = "Tro på barnet.", **kw: Any
) -> Comment:
    kw.setdefault("anchor", "att-stalla-fragan")
    kw.setdefault("quote", "Ställ frågan i lugn och ro, och lyssna.")
    return gs.comment_create(review_round=review_round, member=m, body=body, **kw)
