"""Writes of the panel domain: members, consents, fees, assessments and leaving the panel."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from facit.accounts.roles import COORDINATOR, PANEL_MEMBER
from facit.core.audit import audit_record
from facit.panel.errors import Refused
from facit.panel.models import (
    Assessment,
    Consent,
    ConsentText,
    Fee,
    Member,
    MemberIdentity,
    Purpose,
)


def _require_coordinator(actor: Any) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.has_role(COORDINATOR)):
        raise Refused(_("Only the panel coordinator may do this."), code="forbidden", status=403)


@transaction.atomic
def member_create(
    *,
    user: Any,
    pseudonym: str,
    actor: Any,
    legal_name: str = "",
    email: str = "",
    phone: str = "",
    payment_details: str = "",
) -> Member:
    _require_coordinator(actor)
    if Member.objects.filter(pseudonym__iexact=pseudonym).exists():
        raise Refused(_("That pseudonym is taken; choose another."), code="pseudonym_taken")
    member = Member.objects.create(user=user, pseudonym=pseudonym)
    user.groups.add(Group.objects.get(name=PANEL_MEMBER))
    if legal_name:
        MemberIdentity.objects.create(
            member=member,
            legal_name=legal_name,
            email=email,
            phone=phone,
            payment_details=payment_details,
        )
    audit_record(actor=actor, action="panel.member_create", target=member)
    return member


def member_pause(*, member: Member) -> None:
    """Take no new invitations for now; no reason asked."""
    if member.paused_at is None:
        member.paused_at = timezone.now()
        member.save(update_fields=["paused_at", "updated_at"])


def member_resume(*, member: Member) -> None:
    member.paused_at = None
    member.save(update_fields=["paused_at", "updated_at"])


def member_interruption_seen(*, member: Member) -> None:
    member.interruption_seen_at = timezone.now()
    member.save(update_fields=["interruption_seen_at", "updated_at"])


@transaction.atomic
def consent_text_publish(*, purpose: str, text_sv: str, text_en: str, actor: Any) -> ConsentText:
    """A new version of a consent text; earlier consents keep pointing at what was agreed."""
    _require_coordinator(actor)
    if purpose not in Purpose.values:
        raise Refused(_("Unknown consent purpose."), code="unknown_purpose", status=400)
    last = ConsentText.objects.filter(purpose=purpose).order_by("-number").first()
    text = ConsentText.objects.create(
        purpose=purpose,
        number=(last.number + 1) if last else 1,
        text_sv=text_sv,
        text_en=text_en,
        published_by=actor,
    )
    audit_record(actor=actor, action="panel.consent_text_publish", target=text)
    return text


@transaction.atomic
def consent_give(*, member: Member, purpose: str) -> Consent:
    text = ConsentText.objects.filter(purpose=purpose).order_by("-number").first()
    if text is None:
        raise Refused(_("There is no consent text for this yet."), code="no_consent_text")
    if member.has_consent(purpose):
        raise Refused(_("You have already given this consent."), code="already_given")
    try:
        with transaction.atomic():
            consent = Consent.objects.create(member=member, purpose=purpose, consent_text=text)
    except IntegrityError:  # a double click raced the check above
        raise Refused(_("You have already given this consent."), code="already_given") from None
    audit_record(
        actor=member.user, action="panel.consent_give", target=member, detail={"purpose": purpose}
    )
    return consent


@transaction.atomic
def consent_withdraw(*, member: Member, purpose: str) -> Consent:
    """Takes effect at once: every page reads consent live, nothing is cached."""
    now = timezone.now()
    consent = Consent.objects.filter(
        member=member, purpose=purpose, withdrawn_at__isnull=True
    ).first()
    if consent is None or not Consent.objects.filter(
        pk=consent.pk, withdrawn_at__isnull=True
    ).update(withdrawn_at=now):
        raise Refused(_("This consent is already withdrawn."), code="already_withdrawn")
    consent.withdrawn_at = now
    audit_record(
        actor=member.user,
        action="panel.consent_withdraw",
        target=member,
        detail={"purpose": purpose},
    )
    return consent


@transaction.atomic
def fee_record(
    *, member: Member, amount: Decimal, paid_on: dt.date, actor: Any, note: str = ""
) -> Fee:
    _require_coordinator(actor)
    if amount <= 0:
        raise Refused(_("A fee is a positive amount."), code="invalid_amount", status=400)
    fee = Fee.objects.create(
        member=member, amount=amount, paid_on=paid_on, note=note, recorded_by=actor
    )
    audit_record(actor=actor, action="panel.fee_record", target=member)
    return fee


def assessment_save(
    *,
    member: Member,
    intervention: Any,
    relevant: int,
    respectful: int,
    perpetrator_responsible: int,
    comment: str = "",
) -> Assessment:
    assessment, _created = Assessment.objects.update_or_create(
        member=member,
        intervention=intervention,
        defaults={
            "relevant": relevant,
            "respectful": respectful,
            "perpetrator_responsible": perpetrator_responsible,
            "comment": comment,
        },
    )
    return assessment


@transaction.atomic
def member_leave(*, member: Member, choice: str, actor: Any) -> dict[str, int]:
    """Leave the panel, taking one's words along (delete) or leaving them unnamed (anonymise).

    Deletion empties the text in every table that holds a member's words (comments,
    follow-ups, assessment comments) and leaves a tombstone row, so the change trace
    (comment -> answer -> changed passage) keeps its shape. facit keeps no history tables,
    search index or stored exports of these texts; exports are generated live from the tables.
    """
    from facit.guidance.models import Answer, Comment, Invitation

    if member.left_at is not None:
        raise Refused(_("You have already left the panel."), code="already_left")
    if choice not in Member.LeaveChoice.values:
        raise Refused(_("Choose to delete or to anonymise."), code="invalid_choice", status=400)
    now = timezone.now()
    comments = Comment.objects.filter(member=member)
    assessments = Assessment.objects.filter(member=member)
    counts = {"comments": comments.count(), "assessments": assessments.count()}
    if choice == Member.LeaveChoice.DELETE:
        Answer.objects.filter(comment__in=comments).update(follow_up="")
        _drop_own_words_from_quotes(comments)
        comments.update(body="", removed_at=now, credit="anonymous", member=None)
        assessments.update(comment="", removed_at=now, member=None)
    else:
        comments.update(credit="anonymous", member=None)
        assessments.update(member=None)
    Invitation.objects.filter(member=member).delete()
    Consent.objects.filter(member=member, withdrawn_at__isnull=True).update(withdrawn_at=now)
    MemberIdentity.objects.filter(member=member).delete()
    user = member.user
    if user is not None:
        user.groups.remove(Group.objects.get(name=PANEL_MEMBER))
    member.pseudonym = f"former-{uuid.uuid4().hex[:12]}"
    member.left_at, member.leave_choice, member.user = now, choice, None
    member.save(update_fields=["pseudonym", "left_at", "leave_choice", "user", "updated_at"])
    audit_record(
        actor=actor, action="panel.member_leave", target=member, detail={"choice": choice, **counts}
    )
    return counts


def _drop_own_words_from_quotes(comments: Any) -> None:
    """The quote should be a passage of the document; keep it only if it really is one
    (it anchors the change trace), otherwise it is the member's own words and goes too."""
    for comment in comments.select_related("round__version"):
        if comment.quote and comment.quote not in comment.round.version.markdown:
            type(comment).objects.filter(pk=comment.pk).update(quote="")
