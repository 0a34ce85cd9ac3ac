"""Email notices through Django's email API (console backend unless SMTP is configured).

A notice says only that there is something, and links to it: never a word of a comment, an
answer or a document, never a name. Sent after the transaction commits, never from a task
(so no address or text is left in a task's stored payload).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

logger = logging.getLogger(__name__)


def _link(name: str, **kwargs: Any) -> str:
    with translation.override("sv"):
        path = reverse(name, kwargs=kwargs)
    return settings.FACIT_SITE_URL.rstrip("/") + path


def _send(address: str, subject_key: str, body_key: str, link: str) -> None:
    if not address:
        return
    parts = []
    for lang in ("sv", "en"):
        with translation.override(lang):
            parts.append((_(subject_key), _(body_key)))
    subject = parts[0][0]
    body = "\n\n".join(f"{text}\n{link}" for _subject, text in parts)

    def deliver() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        except OSError:  # a mail server down must not undo the member's or editor's work
            logger.warning("facit: a notice could not be sent")

    transaction.on_commit(deliver)


def answer_given(comment: Any) -> None:
    """To the member: their comment has an answer."""
    from facit.panel.selectors import member_notice_address

    _send(
        member_notice_address(comment.member_id),
        gettext_noop("facit: your comment has an answer"),
        gettext_noop("An editor has answered a comment you sent to facit's panel. Read it here:"),
        _link("guidance:comment_detail", comment_id=comment.pk),
    )


def comment_arrived(review_round: Any) -> None:
    """To the editor who opened the round: a comment arrived."""
    editor = review_round.opened_by
    _send(
        getattr(editor, "email", "") if editor is not None and editor.is_active else "",
        gettext_noop("facit: a new comment in a review round"),
        gettext_noop("A panel member has commented in a review round you opened. Answer it here:"),
        _link("guidance:round_manage", round_id=review_round.pk),
    )
