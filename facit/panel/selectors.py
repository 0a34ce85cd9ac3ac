"""Reads of the panel that need a rule: identity only for the coordinator, always audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from facit.accounts.roles import COORDINATOR
from facit.core.audit import audit_record
from facit.panel.models import Member, MemberIdentity, Purpose


def identity_for(*, actor: Any, member: Member) -> MemberIdentity | None:
    """THE only way to read a member's legal identity.

    Refuses anyone but the coordinator, and records who read whose identity and when,
    never what it says.
    """
    if not (getattr(actor, "is_authenticated", False) and actor.has_role(COORDINATOR)):
        raise PermissionDenied
    audit_record(actor=actor, action="panel.identity_read", target=member)
    return MemberIdentity.objects.filter(member=member).first()


def member_for_user(user: Any) -> Member | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.active().filter(user=user).first()


def contributions_viewed(*, actor: Any, target: Any, count: int, what: str) -> None:
    """Staff looked at members' words: who, when and which object; never the words."""
    audit_record(
        actor=actor,
        action="panel.contributions_viewed",
        target=target,
        detail={"what": what, "count": count},
    )


def member_consents(member: Member) -> dict[str, bool]:
    active = set(
        member.consents.filter(withdrawn_at__isnull=True).values_list("purpose", flat=True)
    )
    return {p: p in active for p in Purpose.values}


def members_with_consent(purpose: str) -> QuerySet[Member]:
    return Member.objects.active().filter(
        consents__purpose=purpose, consents__withdrawn_at__isnull=True
    )


# What guidance may ask of the panel (guidance never reads the panel's tables itself) ---------


def review_eligible_members() -> QuerySet[Member]:
    """Members who may be invited to a review round: active, not paused, consenting now."""
    return Member.objects.invitable().filter(
        consents__purpose=Purpose.REVIEW, consents__withdrawn_at__isnull=True
    )


def member_may_review(member: Member) -> bool:
    return member.is_active and member.has_consent(Purpose.REVIEW)


def public_consents(member_ids: set[int]) -> dict[int, dict[str, Any]]:
    """For each current member among `member_ids`: pseudonym and whether they consent, right
    now, to being quoted and to credit by pseudonym."""
    from facit.panel.models import Consent

    active = set(
        Consent.objects.filter(member_id__in=member_ids, withdrawn_at__isnull=True).values_list(
            "member_id", "purpose"
        )
    )
    names = dict(
        Member.objects.filter(pk__in=member_ids, left_at__isnull=True).values_list(
            "pk", "pseudonym"
        )
    )
    return {
        pk: {
            "pseudonym": name,
            "quote": (pk, Purpose.QUOTE) in active,
            "credit": (pk, Purpose.CREDIT) in active,
        }
        for pk, name in names.items()
    }


def member_notice_address(member_id: int | None) -> str:
    """The account email for notices ("there is an answer"), never the identity record."""
    if member_id is None:
        return ""
    member = (
        Member.objects.filter(pk=member_id, left_at__isnull=True).select_related("user").first()
    )
    if member is None or member.user is None or not member.user.is_active:
        return ""
    return member.user.email or ""


def member_by_username(username: str) -> Member | None:
    return Member.objects.active().filter(user__username=username).first()
