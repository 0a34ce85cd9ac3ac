"""Directory pages in a real browser: accessibility (axe) and the quick exit."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.personas import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded_directory(db):
    from facit.directory.seed import seed_directory

    seed_directory()


@pytest.fixture
def exit_here(settings, live_server):
    settings.FACIT_EXIT_URL = f"{live_server.url}/sv/"
    return settings.FACIT_EXIT_URL


def test_search_page_is_accessible_and_lists_results(page, seeded_directory):
    page.goto("/sv/directory/search/?municipality=Malm%C3%B6&age=16")
    expect(page.get_by_role("heading", name="Evonhuset Malmö")).to_be_visible()
    expect(page.locator("#share-link")).to_be_visible()
    assert_accessible(page)
    page.goto("/sv/directory/search/?municipality=Malmoe")
    expect(page.locator(".suggestions")).to_be_visible()
    assert_accessible(page)


def test_service_page_is_accessible(page, seeded_directory):
    from facit.directory.models import Service

    bris = Service.objects.get(name__startswith="BRIS")
    page.goto(f"/sv/directory/services/{bris.pk}/")
    expect(page.get_by_text("116 111").first).to_be_visible()
    assert_accessible(page)


def test_referral_guide_is_accessible_with_summary(page, seeded_directory):
    page.goto("/sv/directory/referral-guide/")
    assert_accessible(page)
    page.locator("#support input[name=municipality], form input[name=municipality]").first.fill(
        "Malmö"
    )
    page.locator("input[name=age]").fill("14")
    page.locator("input[name=situation]").first.check()
    page.get_by_role("button", name="Visa stöd som passar").click()
    expect(page.locator("#referral-summary")).to_be_visible()
    expect(page.locator("[data-copy-target=referral-summary]")).to_be_visible()
    assert_accessible(page)


def _signed_in_editor(page):
    """Sign in through the real form and TOTP step (selectors by field name, any language)."""
    from django_otp.oath import totp

    user = make_user("browser_editor", ["editor"])
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    page.goto("/sv/accounts/login/")
    page.locator("input[name=username]").fill("browser_editor")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.locator("input[name=otp_token], input[name=token]").first.fill(
        f"{totp(device.bin_key):06d}"
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_quick_exit_button_leaves_and_ends_the_session(page, seeded_directory, exit_here):
    _signed_in_editor(page)
    page.goto("/sv/directory/referral-guide/")
    page.locator("[data-quick-exit-link]").click()
    page.wait_for_url(exit_here)
    page.goto("/sv/directory/changes/")
    assert "/accounts/login/" in page.url


def test_pressing_shift_three_times_leaves_and_ends_the_session(page, seeded_directory, exit_here):
    _signed_in_editor(page)
    page.goto("/sv/directory/search/")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(exit_here)
    page.goto("/sv/directory/changes/")
    assert "/accounts/login/" in page.url


def test_search_near_my_position_uses_the_browsers_location(page, seeded_directory):
    """The position (here Malmö's, granted to the test browser) goes only into the address."""
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 55.6, "longitude": 13.0})
    page.goto("/sv/directory/search/")
    page.get_by_role("button", name="Sök nära min position").click()
    page.wait_for_url("**lat=55.6**")
    expect(page.get_by_text("Söker nära en position")).to_be_visible()
    assert_accessible(page)
