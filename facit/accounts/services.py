"""Writes for accounts: people, their roles and their second factor. Every change is audited.

Roles are given and taken only here. Nothing here makes a superuser: that is reserved for
`manage.py createsuperuser` on the server. The admin role may change other people's roles
and deactivate them, never their own account and never a superuser's.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from facit.accounts.models import User
from facit.accounts.roles import ADMIN, ROLE_LABELS
from facit.core.audit import audit_record


class AccountChangeRefused(Exception):
    """A role or account change the actor may not make; `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    roles: Iterable[str] = (),
    email: str = "",
    actor: User | None = None,
) -> User:
    roles = list(roles)
    unknown = set(roles) - set(ROLE_LABELS)
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(sorted(unknown))}")
    user = User.objects.create_user(username=username, password=password, email=email)
    user.groups.set(Group.objects.filter(name__in=roles))
    audit_record(actor=actor, action="account.create", target=user, detail={"roles": sorted(roles)})
    return user


def _check_may_change(*, user: User, actor: User) -> None:
    if not actor.is_active or not actor.has_role(ADMIN):
        raise AccountChangeRefused(_("Only administrators may change accounts."))
    if user.pk == actor.pk:
        raise AccountChangeRefused(_("You cannot change your own account's roles or access."))
    if user.is_superuser:
        raise AccountChangeRefused(_("Superuser accounts are managed on the server only."))


def _check_role(role: str) -> None:
    if role not in ROLE_LABELS:
        raise AccountChangeRefused(_("There is no such role."))


@transaction.atomic
def user_role_add(*, user: User, role: str, actor: User) -> None:
    """Give `user` the role `role` (one of accounts.roles), audited."""
    _check_role(role)
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_may_change(user=user, actor=actor)
    user.groups.add(Group.objects.get(name=role))
    audit_record(actor=actor, action="account.role_add", target=user, detail={"role": role})


@transaction.atomic
def user_role_remove(*, user: User, role: str, actor: User) -> None:
    """Take the role `role` from `user`, audited."""
    _check_role(role)
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_may_change(user=user, actor=actor)
    user.groups.remove(Group.objects.get(name=role))
    audit_record(actor=actor, action="account.role_remove", target=user, detail={"role": role})


@transaction.atomic
def user_deactivate(*, user: User, actor: User) -> None:
    """Stop `user` from signing in (their records stay), audited."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_may_change(user=user, actor=actor)
    if not user.is_active:
        return
    User.objects.filter(pk=user.pk).update(is_active=False)
    audit_record(actor=actor, action="account.deactivate", target=user)


@transaction.atomic
def user_reactivate(*, user: User, actor: User) -> None:
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_may_change(user=user, actor=actor)
    if user.is_active:
        return
    User.objects.filter(pk=user.pk).update(is_active=True)
    audit_record(actor=actor, action="account.reactivate", target=user)


def totp_device_get_or_create(*, user: User) -> TOTPDevice:
    """The person's unconfirmed device to set up, or their confirmed one."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    audit_record(actor=device.user, action="account.two_factor_enabled", target=device.user)
