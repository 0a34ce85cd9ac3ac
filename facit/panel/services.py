"""Writes of the panel domain: members, consents, fees, assessments, aftercare, leaving.

The panel talks to guidance only through guidance's services (invitations closed on a
withdrawal, contributions erased on leaving), never through its tables.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from facit.accounts.models import User
from facit.accounts.roles import COORDINATOR, PANEL_MEMBER
from facit.core.audit import audit_record
from facit.panel import hooks
from facit.panel.errors import Refused
from facit.panel.models import (
    AftercareRequest,
    Assessment,
    Consent,
    ConsentText,
    Fee,
    Member,
    MemberIdentity,
    Purpose,
)

# What the audit log keeps of an erased member's own actions: that they happened, not who.
ERASED_LABEL = "erased-member"


def _require_coordinator(actor: User) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.has_role(COORDINATOR)):
        raise Refused(_("Only the panel coordinator may do this."), code="forbidden")


@transaction.atomic
def member_create(
    *,
    user: User,
    pseudonym: str,
    actor: User,
    legal_name: str = "",
    email: str = "",
    phone: str = "",
    payment_details: str = "",
) -> Member:
    _require_coordinator(actor)
    if Member.objects.filter(pseudonym__iexact=pseudonym).exists():
        raise Refused(_("That pseudonym is taken; choose another."), code="pseudonym_taken")
    try:
        with transaction.atomic():
            member = Member.objects.create(user=user, pseudonym=pseudonym)
    except IntegrityError:  # the same name in another case, sent at the same moment
        raise Refused(
            _("That pseudonym is taken; choose another."), code="pseudonym_taken"
        ) from None
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


@transaction.atomic
def consent_texts_seed(*, texts: Mapping[Purpose, tuple[str, str]]) -> int:
    """Version 1 of each purpose's consent text (Swedish, English), where the purpose has no
    text yet; a published later version is never touched. Audited as the system. Returns
    how many were created."""
    created = 0
    for purpose, (sv, en) in texts.items():
        if not ConsentText.objects.filter(purpose=purpose).exists():
            text = ConsentText.objects.create(purpose=purpose, number=1, text_sv=sv, text_en=en)
            audit_record(actor=None, action="panel.consent_text_seed", target=text)
            created += 1
    return created


@transaction.atomic
def demo_member_seed(*, user: User, pseudonym: str) -> Member:
    """The invented demo member of the demo account (the demo seed gives it its roles).
    Audited as the system."""
    member = Member.objects.create(user=user, pseudonym=pseudonym)
    audit_record(actor=None, action="panel.demo_member_seed", target=member)
    return member


def _on_behalf(member: Member, actor: User | None) -> bool:
    """The member acts, or the coordinator records it for them (e.g. after a phone call)."""
    if actor is None or actor == member.user:
        return False
    _require_coordinator(actor)
    return True


@transaction.atomic
def member_pause(*, member: Member, actor: User | None = None) -> None:
    """Take no new invitations for now; no reason asked."""
    on_behalf = _on_behalf(member, actor)
    if member.paused_at is None:
        member.paused_at = timezone.now()
        member.save(update_fields=["paused_at", "updated_at"])
        audit_record(
            actor=actor or member.user,
            action="panel.member_pause",
            target=member,
            detail={"on_behalf": on_behalf},
        )


@transaction.atomic
def member_resume(*, member: Member, actor: User | None = None) -> None:
    on_behalf = _on_behalf(member, actor)
    if member.paused_at is not None:
        member.paused_at = None
        member.save(update_fields=["paused_at", "updated_at"])
        audit_record(
            actor=actor or member.user,
            action="panel.member_resume",
            target=member,
            detail={"on_behalf": on_behalf},
        )


def member_interruption_seen(*, member: Member) -> None:
    member.interruption_seen_at = timezone.now()
    member.save(update_fields=["interruption_seen_at", "updated_at"])


@transaction.atomic
def consent_text_publish(*, purpose: str, text_sv: str, text_en: str, actor: User) -> ConsentText:
    """A new version of a consent text; earlier consents keep pointing at what was agreed."""
    _require_coordinator(actor)
    if purpose not in Purpose.values:
        raise Refused(_("Unknown consent purpose."), code="unknown_purpose")
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
def consent_withdraw(*, member: Member, purpose: str, actor: User | None = None) -> Consent:
    """Takes effect at once, everywhere: every page reads consent live, nothing is cached, and
    a withdrawn consent to review closes the member's open invitations (guidance's service)."""
    on_behalf = _on_behalf(member, actor)
    now = timezone.now()
    consent = Consent.objects.filter(
        member=member, purpose=purpose, withdrawn_at__isnull=True
    ).first()
    if consent is None or not Consent.objects.filter(
        pk=consent.pk, withdrawn_at__isnull=True
    ).update(withdrawn_at=now):
        raise Refused(_("This consent is already withdrawn."), code="already_withdrawn")
    consent.withdrawn_at = now
    closed = 0
    if purpose == Purpose.REVIEW:
        closed = hooks.member_invitations_close(member_id=member.pk)
    audit_record(
        actor=actor or member.user,
        action="panel.consent_withdraw",
        target=member,
        detail={"purpose": purpose, "on_behalf": on_behalf, "invitations_closed": closed},
    )
    return consent


@transaction.atomic
def fee_record(
    *, member: Member, amount: Decimal, paid_on: dt.date, actor: User, note: str = ""
) -> Fee:
    _require_coordinator(actor)
    if amount <= 0:
        raise Refused(_("A fee is a positive amount."), code="invalid_amount")
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
    """Only while the member consents to reviewing (the database refuses too)."""
    if not member.is_active or not member.has_consent(Purpose.REVIEW):
        raise Refused(
            _("Assessing needs your consent to review drafts. Nothing was saved."),
            code="no_consent",
        )
    try:
        with transaction.atomic():
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
    except IntegrityError:  # consent withdrawn between the check and the write
        raise Refused(
            _("Assessing needs your consent to review drafts. Nothing was saved."),
            code="no_consent",
        ) from None
    return assessment


@transaction.atomic
def aftercare_request(*, member: Member) -> AftercareRequest:
    """The member asks for a follow-up call; the coordinator sees it on the panel page."""
    open_request = member.aftercare_requests.filter(handled_at__isnull=True).first()
    if open_request is not None:
        return open_request
    request = AftercareRequest.objects.create(member=member)
    audit_record(actor=member.user, action="panel.aftercare_request", target=member)
    return request


@transaction.atomic
def aftercare_handled(*, aftercare: AftercareRequest, actor: User) -> None:
    _require_coordinator(actor)
    if aftercare.handled_at is None:
        aftercare.handled_at, aftercare.handled_by = timezone.now(), actor
        aftercare.save(update_fields=["handled_at", "handled_by"])
        audit_record(actor=actor, action="panel.aftercare_handled", target=aftercare.member)


def leave_preview(*, member: Member) -> dict[str, int]:
    """What leaving touches, counted, for the confirmation page."""
    return {
        **hooks.member_contribution_counts(member_id=member.pk),
        "assessments": Assessment.objects.filter(member=member).count(),
        "fees": Fee.objects.filter(member=member).count(),
        "consents": Consent.objects.filter(member=member, withdrawn_at__isnull=True).count(),
        "identity": MemberIdentity.objects.filter(member=member).count(),
    }


@transaction.atomic
def member_leave(*, member: Member, choice: str, actor: User) -> dict[str, int]:
    """Leave the panel, taking one's words along (delete) or leaving them unnamed (anonymise).

    Deletion empties the text in every table that holds a member's words (comments,
    follow-ups, assessment comments) and leaves a tombstone row, so the change trace
    (comment -> answer -> changed passage) keeps its shape. Either way the member's identity,
    fee notes, account (deactivated, signed out everywhere, renamed), Django's admin log entries
    about them and their name in facit's audit log go: the audit keeps that things happened,
    not who. facit keeps no history tables, search index, cache or task payload of these
    texts; exports are generated live from the tables.
    """
    if member.left_at is not None:
        raise Refused(_("You have already left the panel."), code="already_left")
    if choice not in Member.LeaveChoice.values:
        raise Refused(_("Choose to delete or to anonymise."), code="invalid_choice")
    now = timezone.now()
    assessments = Assessment.objects.filter(member=member)
    delete = choice == Member.LeaveChoice.DELETE
    # Admin log rows name these objects (their repr and change messages), so they go too.
    logged = {
        Member: [member.pk],
        Fee: list(Fee.objects.filter(member=member).values_list("pk", flat=True)),
        Assessment: list(assessments.values_list("pk", flat=True)),
        MemberIdentity: list(
            MemberIdentity.objects.filter(member=member).values_list("pk", flat=True)
        ),
    }
    counts = {
        **hooks.member_contributions_erase(member_id=member.pk, delete=delete),
        "assessments": len(logged[Assessment]),
    }
    if delete:
        assessments.update(comment="", removed_at=now, member=None)
    else:
        assessments.update(member=None)
    Consent.objects.filter(member=member, withdrawn_at__isnull=True).update(withdrawn_at=now)
    MemberIdentity.objects.filter(member=member).delete()
    Fee.objects.filter(member=member).update(note="")
    AftercareRequest.objects.filter(member=member).delete()
    user = member.user
    member.pseudonym = f"former-{uuid.uuid4().hex[:12]}"
    member.left_at, member.leave_choice, member.user = now, choice, None
    member.save(update_fields=["pseudonym", "left_at", "leave_choice", "user", "updated_at"])
    _admin_log_erase(logged)
    if user is not None:
        user.groups.remove(Group.objects.get(name=PANEL_MEMBER))
        _account_erase(user)
    acting_self = actor is None or actor == user
    audit_record(
        actor=None if acting_self else actor,
        action="panel.member_leave",
        target=member,
        detail={"choice": choice, **counts},
    )
    return counts


def _account_erase(user: User) -> None:
    """The member's account: deactivated, renamed, no password, signed out everywhere; the
    audit log keeps what the account did, not whose it was."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.sessions.models import Session

    from facit.core.models import AuditEvent

    user_id, old_username = str(user.pk), user.get_username()
    user.username = f"erased-{uuid.uuid4().hex[:12]}"
    user.email = ""
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    for session in Session.objects.iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            session.delete()
    AuditEvent.objects.filter(actor=user).update(actor=None, actor_label=ERASED_LABEL)
    AuditEvent.objects.filter(actor_label=old_username).update(actor_label=ERASED_LABEL)
    AuditEvent.objects.filter(detail__username=old_username).update(
        detail={"username": ERASED_LABEL}
    )
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for log in (AccessAttempt, AccessFailureLog, AccessLog):
        log.objects.filter(username=old_username).delete()
    LogEntry.objects.filter(user=user).delete()
    from django.contrib.contenttypes.models import ContentType

    user_type = ContentType.objects.get_for_model(type(user))
    LogEntry.objects.filter(content_type=user_type, object_id=user_id).delete()


def _admin_log_erase(logged: dict[Any, list[Any]]) -> None:
    """Django's admin log copies names and text into object_repr and change_message."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    for model, pks in logged.items():
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in pks],
        ).delete()
