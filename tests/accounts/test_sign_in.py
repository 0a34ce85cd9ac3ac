"""Signing in: password, then a second factor; lockout; audit; no caching of private pages."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from facit.core.models import AuditEvent
from tests.personas import PASSWORD, make_user


def _login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_a_new_account_must_set_up_totp_before_it_sees_anything(client):
    make_user("editor")
    response = _login(client, "editor")
    assert response.status_code == 302
    page = client.get(reverse("web:home"))
    assert page.status_code == 302
    assert reverse("accounts:otp_verify") in page["Location"]
    setup = client.get(reverse("accounts:otp_setup"))
    assert setup.status_code == 200
    assert b"<svg" in setup.content


@pytest.mark.django_db
def test_setting_up_totp_with_a_valid_code_signs_in_and_is_audited(client):
    user = make_user("editor")
    _login(client, "editor")
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("accounts:otp_setup"), {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("web:home")).status_code == 200
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"account.sign_in", "account.two_factor_enabled"} <= actions


@pytest.mark.django_db
def test_a_wrong_totp_code_is_refused_and_audited(client):
    user = make_user("reviewer")
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    _login(client, "reviewer")
    response = client.post(reverse("accounts:otp_verify"), {"token": "000000"})
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()
    assert AuditEvent.objects.filter(action="account.two_factor_failed", actor=user).exists()
    assert client.get(reverse("web:home")).status_code == 302


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_account_even_for_the_right_password(client, settings):
    make_user("coordinator")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "coordinator", "wrong password")
    locked = _login(client, "coordinator")
    assert locked.status_code == 429
    assert not client.session.get("_auth_user_id")
    failures = AuditEvent.objects.filter(action="account.sign_in_failed")
    assert failures.count() >= settings.AXES_FAILURE_LIMIT
    assert all("password" not in str(e.detail) for e in failures)


@pytest.mark.django_db
def test_signed_in_pages_are_never_cached_but_public_pages_may_be(client, editor):
    private = editor.get(reverse("web:home"))
    assert "no-store" in private["Cache-Control"]
    public = client.get(reverse("web:home"))
    assert "no-store" not in public.get("Cache-Control", "")


@pytest.mark.django_db
def test_the_api_answers_401_in_the_error_shape_before_the_second_factor(client):
    make_user("reviewer")
    _login(client, "reviewer")
    response = client.get("/api/v1/interventions")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "two_factor_required"


@pytest.mark.django_db
def test_no_role_may_use_the_django_admin(reviewer, panel_member, provider, admin):
    """The admin is read-only and for superusers only (issue 16, F1); staff roles work on
    facit's own pages."""
    assert reviewer.user.is_staff and admin.user.is_staff
    assert not panel_member.user.is_staff and not provider.user.is_staff
    assert reviewer.get("/admin/evidence/intervention/").status_code == 403
    assert panel_member.get("/admin/evidence/intervention/").status_code == 403
    assert admin.get("/admin/evidence/intervention/").status_code == 403
