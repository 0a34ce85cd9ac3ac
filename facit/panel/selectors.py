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
