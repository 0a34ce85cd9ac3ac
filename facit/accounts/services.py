"""Writes for accounts: creating people with roles, and their second factor."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from facit.accounts.models import User
from facit.accounts.roles import ROLE_LABELS
from facit.core.audit import audit_record


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    roles: Iterable[str] = (),
    email: str = "",
    actor: User | None = None,
) -> User:
    unknown = set(roles) - set(ROLE_LABELS)
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(sorted(unknown))}")
    user = User.objects.create_user(username=username, password=password, email=email)
    user.groups.set(Group.objects.filter(name__in=list(roles)))
    audit_record(actor=actor, action="account.create", target=user, detail={"roles": sorted(roles)})
    return user


def totp_device_get_or_create(*, user: User) -> TOTPDevice:
    """The person's unconfirmed device to set up, or their confirmed one."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


def totp_device_confirm(*, device: TOTPDevice) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    audit_record(actor=device.user, action="account.two_factor_enabled", target=device.user)
