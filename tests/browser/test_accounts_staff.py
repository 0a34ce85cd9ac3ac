"""Browser journey: the administrator gives a role on facit's own accounts page (real
Chromium, Swedish, axe-checked, phone and desktop widths)."""

from __future__ import annotations

import os

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from facit.accounts.models import User
from facit.core.models import AuditEvent
from tests.browser.conftest import assert_accessible, sign_in
from tests.personas import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("FACIT_SHOTS", "")


def _person(name: str) -> User:
    user = make_user(name)
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user


@pytest.mark.parametrize("width", [390, 1280])
def test_the_administrator_gives_a_role_and_deactivates_an_account(page: Page, width: int):
    admin = _person("admin")
    reviewer = _person("reviewer")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, admin.username, PASSWORD)

    page.goto("/sv/")
    page.get_by_role("link", name="Konton och roller").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Konton och roller")
    expect(page.get_by_role("row", name="reviewer")).to_contain_text("Granskare")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/accounts-list-{width}.png", full_page=True)

    page.get_by_role("link", name="reviewer", exact=True).click()
    page.get_by_label("Panelsamordnare").check()
    page.get_by_label("Får logga in").uncheck()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Kontot reviewer sparades.")
    expect(page.get_by_label("Panelsamordnare")).to_be_checked()
    assert_accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/accounts-detail-{width}.png", full_page=True)

    reviewer.refresh_from_db()
    assert not reviewer.is_active
    assert reviewer.groups.filter(name="coordinator").exists()
    assert AuditEvent.objects.filter(action="account.role_add", actor=admin).count() == 1
    assert AuditEvent.objects.filter(action="account.deactivate", actor=admin).count() == 1

    # Their own account cannot be changed from here.
    page.goto(f"/sv/accounts/people/{admin.pk}/")
    expect(page.get_by_text("Det här är ditt eget konto.")).to_be_visible()
    expect(page.get_by_role("button", name="Spara")).to_have_count(0)
