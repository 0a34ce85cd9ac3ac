"""F10: session renewed after the second factor, coordinator idle timeout and recent
sign-in before identities, sign-in throttling, lockout nobody can aim at a named user,
a password change page for every account, and password validators that bite."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from facit.accounts.middleware import CoordinatorIdleTimeoutMiddleware
from facit.accounts.reauth import SESSION_KEY
from facit.core.models import AuditEvent
from facit.panel.models import MemberIdentity
from tests.panel import factories as panel_factories
from tests.personas import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SECRET_NAME = "Qwxz Testidentitet"


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


def _login(client, username, password=PASSWORD, **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


def test_the_session_id_is_renewed_after_the_totp_step(client):
    user = make_user("reviewer")
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    _login(client, "reviewer")
    before = client.cookies["sessionid"].value
    response = client.post(reverse("accounts:otp_verify"), {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    # The pre-TOTP session id no longer works.
    stale = Client()
    stale.cookies["sessionid"] = before
    assert stale.get(reverse("web:home")).wsgi_request.user.is_authenticated is False


@pytest.fixture
def member(panel_member):
    m = panel_factories.member(panel_member.user, pseudonym="Tranan")
    MemberIdentity.objects.create(member=m, legal_name=SECRET_NAME, email="t@example.invalid")
    return m


def test_identities_need_a_recent_sign_in(coordinator, member, settings):
    url = reverse("panel:coordinator_member", args=[member.public_id]) + "?identity=1"
    session = coordinator.session
    session[SESSION_KEY] = time.time() - (settings.FACIT_REAUTH_MINUTES * 60 + 5)
    session.save()
    response = coordinator.get(url)
    assert response.status_code == 302 and reverse("accounts:reauth") in response["Location"]
    assert not AuditEvent.objects.filter(action="panel.identity_read").exists()
    # Without identities the page still opens.
    plain = reverse("panel:coordinator_member", args=[member.public_id])
    assert coordinator.get(plain).status_code == 200
    # Password and a fresh code: back to the identity.
    device = TOTPDevice.objects.get(user=coordinator.user)
    confirm = coordinator.post(
        reverse("accounts:reauth"),
        {"password": PASSWORD, "token": f"{totp(device.bin_key):06d}", "next": url},
    )
    assert confirm.status_code == 302 and confirm["Location"] == url
    assert SECRET_NAME in coordinator.get(url).content.decode()


def test_reauthentication_with_a_wrong_password_is_refused(coordinator, member):
    device = TOTPDevice.objects.get(user=coordinator.user)
    session = coordinator.session
    session[SESSION_KEY] = 0
    session.save()
    response = coordinator.post(
        reverse("accounts:reauth"), {"password": "wrong", "token": f"{totp(device.bin_key):06d}"}
    )
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="account.reauthentication_failed").exists()


def test_the_coordinator_is_signed_out_when_idle(coordinator, settings):
    coordinator.get(reverse("web:home"))
    session = coordinator.session
    session[CoordinatorIdleTimeoutMiddleware.SESSION_KEY] = (
        time.time() - settings.COORDINATOR_IDLE_TIMEOUT - 5
    )
    session.save()
    response = coordinator.get(reverse("panel:coordinator"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert coordinator.get(reverse("panel:coordinator")).status_code == 302


def test_password_spraying_from_one_ip_is_slowed(client, settings):
    settings.FACIT_LOGIN_IP_RATE = "10/h"
    for n in range(30):
        make_user(f"sprayed{n}", [])
    codes = [_login(client, f"sprayed{n}", "wrong password").status_code for n in range(30)]
    assert codes[:10] == [200] * 10
    assert set(codes[10:]) == {429}
    # Another IP is not affected.
    other = _login(Client(), "sprayed0", PASSWORD, REMOTE_ADDR="198.51.100.20")
    assert other.status_code == 302


def test_nobody_can_lock_out_a_named_user_from_elsewhere(client, settings):
    make_user("coordinator")
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        _login(client, "coordinator", "wrong password", REMOTE_ADDR="203.0.113.66")
    # The attacker's IP is locked for this username; the person's own is not.
    assert _login(Client(), "coordinator", REMOTE_ADDR="203.0.113.66").status_code == 429
    assert _login(Client(), "coordinator", REMOTE_ADDR="192.0.2.10").status_code == 302


def test_a_slower_global_limit_per_username(settings):
    settings.FACIT_LOGIN_USERNAME_RATE = "5/h"
    make_user("editor")
    codes = [
        _login(Client(), "editor", "wrong password", REMOTE_ADDR=f"198.51.100.{n}").status_code
        for n in range(1, 9)
    ]
    assert codes[:5] == [200] * 5 and set(codes[5:]) == {429}


@pytest.mark.parametrize("persona", ["visitor_account", "panel_member", "provider", "reviewer"])
def test_every_account_can_change_its_password(persona, request):
    if persona == "visitor_account":
        from tests.personas import verified_client

        client = verified_client(make_user("plain-account", []))
    else:
        client = request.getfixturevalue(persona)
    url = reverse("accounts:password_change")
    assert client.get(url).status_code == 200
    new = "Ny lösenfras med ord 2026"
    response = client.post(
        url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    client.user.refresh_from_db()
    assert client.user.check_password(new)


@pytest.mark.parametrize("weak", ["aaaaaaaaaaaa", "passwordpassword", "abcabcabcabc", "short"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_a_reasonable_passphrase_is_accepted():
    validate_password("Ny lösenfras med ord 2026")


def test_the_change_page_refuses_a_weak_password_in_swedish(reviewer):
    response = reviewer.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "passwordpassword",
            "new_password2": "passwordpassword",
        },
    )
    assert response.status_code == 200
    assert "upprepar" in response.content.decode()
