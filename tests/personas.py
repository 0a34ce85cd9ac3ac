"""The people who use facit, as signed-in test clients (second factor verified).

Use the fixtures from tests/conftest.py: visitor, reviewer, editor, panel_member,
coordinator, provider, admin. Each is a django.test.Client; `client.user` is the account.
"""

from __future__ import annotations

import time

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from facit.accounts import roles
from facit.accounts.models import User
from facit.accounts.services import user_create

PERSONAS = {
    "reviewer": [roles.REVIEWER],
    "second_reviewer": [roles.REVIEWER],
    "third_reviewer": [roles.REVIEWER],
    "editor": [roles.EDITOR],
    "panel_member": [roles.PANEL_MEMBER],
    "other_panel_member": [roles.PANEL_MEMBER],
    "coordinator": [roles.COORDINATOR],
    "provider": [roles.PROVIDER],
    "admin": [roles.ADMIN],
}
PASSWORD = "correct horse battery staple"


def make_user(name: str, role_names: list[str] | None = None) -> User:
    roles.sync_roles()
    return user_create(username=name, password=PASSWORD, roles=role_names or PERSONAS.get(name, []))


def verified_client(user: User) -> Client:
    """A client signed in with password and a confirmed TOTP device, as after real sign-in."""
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session["facit_authenticated_at"] = time.time()  # a full sign-in just now (reauth)
    session.save()
    client.user = user  # type: ignore[attr-defined]
    return client
