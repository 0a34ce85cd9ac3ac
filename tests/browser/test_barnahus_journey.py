"""The Malmö social worker's journey, in Swedish, at phone and desktop width: the Barnahus
for a municipality that has one, the honest answer for one that has none, the referral
guide to the duty to report without English or internal notes, and out by the quick exit."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.personas import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

# Screenshots to look at (never committed): FACIT_SHOTS_DIR, by default a temp folder.
SHOTS = Path(os.environ.get("FACIT_SHOTS_DIR") or Path(tempfile.gettempdir()) / "shots-e")


@pytest.fixture
def seeded(db):
    from facit.directory.guide import guide_seed
    from facit.directory.seed import seed_directory

    seed_directory()
    guide_seed()


@pytest.fixture
def exit_here(settings, live_server):
    settings.FACIT_EXIT_URL = f"{live_server.url}/sv/"
    return settings.FACIT_EXIT_URL


def _shot(page, name: str, width: int) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    wide = page.evaluate(
        """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right
        > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className)"""
    )
    assert overflow <= 1, f"page scrolls sideways by {overflow}px: {wide}"


@pytest.mark.parametrize("width", [390, 1280])
def test_malmo_social_worker_finds_barnahus_follows_guide_and_leaves(
    page, seeded, exit_here, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/sv/directory/search/")
    field = page.get_by_role("combobox", name="Kommun")
    listbox = page.get_by_role("listbox", name="Kommun")
    expect(field).to_have_attribute("aria-expanded", "false")
    assert page.locator("#municipality-listbox [role=option]").count() == 290
    # typing capitals takes Shift: the quick exit must not fire while focus is in a field
    page.get_by_label("Ord").press_sequentially("BRIS")
    page.get_by_label("Ord").fill("")
    # the municipality by keyboard only: type, arrows, Escape, Enter
    field.focus()
    page.keyboard.type("mal")
    expect(field).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option", name="Malmö 1280, Skåne län")).to_be_visible()
    expect(listbox.get_by_role("option", name="Lund 1281, Skåne län")).to_be_hidden()
    page.keyboard.press("ArrowDown")
    first = field.get_attribute("aria-activedescendant")
    page.keyboard.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant") not in (None, first)
    page.keyboard.press("ArrowUp")
    assert field.get_attribute("aria-activedescendant") == first
    expect(page.locator(f"#{first}")).to_have_attribute("aria-selected", "true")
    assert_accessible(page)  # with the list open
    _shot(page, "search-combobox-open", width)
    page.keyboard.press("Escape")
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(field).to_have_value("mal")
    page.keyboard.press("Escape")  # closed: Escape empties the field
    expect(field).to_have_value("")
    page.keyboard.type("lun")
    page.keyboard.press("ArrowDown")
    expect(field).to_have_attribute("aria-activedescendant", "municipality-option-1281")
    page.keyboard.press("Enter")  # takes the option, does not send the form
    expect(field).to_have_value("Lund")
    expect(field).to_have_attribute("aria-expanded", "false")
    assert "municipality=" not in page.url
    page.wait_for_timeout(300)
    assert "/directory/search/" in page.url
    page.keyboard.press("Enter")  # the list is closed: Enter sends the form
    answer = page.locator(".barnahus-answer")
    expect(answer.get_by_role("heading", name="Barnahus för Lund")).to_be_visible()
    expect(answer.get_by_role("link", name="Barnahus Mellersta Skåne")).to_be_visible()
    expect(answer.get_by_text("Så här vet vi det:")).to_be_visible()
    assert_accessible(page)
    _shot(page, "search-lund", width)
    _no_sideways_scroll(page)

    page.goto("/sv/directory/search/?municipality=Malm%C3%B6")
    expect(answer).to_contain_text("facit har inget Barnahus registrerat för Malmö.")
    expect(answer).to_contain_text("polisen att ringa 114 14 eller kommunen")
    assert_accessible(page)

    answer.get_by_role("link", name="Alla Barnahus som finns i facit, med karta").click()
    expect(page.get_by_role("img", name="Barnahus per kommun")).to_be_visible()
    page.locator(".coverage-map").screenshot(path=str(SHOTS / f"map-{width}.png"))
    page.get_by_text("Visa tabellen över alla 290 kommuner").click()
    row = page.get_by_role("row", name="Västervik")
    expect(row).to_contain_text("brist rapporterad")
    # the network's facts and the police's advice link to their sources
    assert page.locator("main p .muted a[href^='http']").count() >= 2
    assert_accessible(page)
    _shot(page, "barnahus-list", width)
    _no_sideways_scroll(page)
    page.get_by_role("link", name="Barnahus Söderslätt").click()
    expect(page.get_by_role("heading", name="Kommuner som omfattas")).to_be_visible()
    expect(page.get_by_text("Trelleborg (1287)")).to_be_visible()
    assert page.locator("main [lang=en]").count() == 0
    assert_accessible(page)
    _shot(page, "barnahus-detail", width)

    page.goto("/sv/directory/referral-guide/")
    expect(page.get_by_text("ett utkast som granskas av panelen")).to_be_visible()
    municipality = page.get_by_role("combobox", name="Kommun")
    municipality.focus()
    page.keyboard.type("malm")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(municipality).to_have_value("Malmö")
    page.get_by_label("Barnets ålder").fill("15")
    page.get_by_role("button", name="Visa stöd som passar").click()
    duty = page.locator("#duty").locator("..")
    expect(duty).to_contain_text("Kontrollera aktuell paragraf i socialtjänstlagen")
    summary = page.locator("#referral-summary")
    expect(summary).to_contain_text("ring 112 i akuta fall")
    expect(summary.get_by_role("heading", name="Lokalt")).to_be_visible()
    expect(summary).to_contain_text("Evonhuset Malmö")
    expect(summary).to_contain_text("verkar i Malmö")
    body = page.locator("main").inner_text()
    for english in ("keep the reference configurable", "stated the duty", "In urgent cases"):
        assert english not in body
    assert page.locator("main [lang=en]").count() == 0
    assert "inte registrerad" not in body
    assert ".json" not in body  # no repository file names for the public
    assert_accessible(page)
    _shot(page, "referral-guide-malmo", width)
    _no_sideways_scroll(page)

    # away from any text field, Shift three times leaves
    page.locator("h1").click()
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(exit_here)


def test_an_editor_sees_the_internal_note_and_leaves_by_the_button(page, seeded, exit_here):
    user = make_user("journey_editor", ["editor"])
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    sign_in(page, "journey_editor", PASSWORD)
    page.goto("/sv/directory/referral-guide/")
    expect(page.locator(".editor-note")).to_contain_text("visas inte för allmänheten")
    expect(
        page.get_by_role("link", name="Utkastet i redigeringsvyn för vägledningar")
    ).to_be_visible()
    assert_accessible(page)
    page.locator("[data-quick-exit-link]").click()
    page.wait_for_url(exit_here)
    page.goto("/sv/directory/referral-guide/")
    assert page.locator(".editor-note").count() == 0


@pytest.mark.parametrize("path", ["/sv/", "/sv/evidence/", "/sv/guidance/"])
def test_quick_exit_is_on_public_pages(page, seeded, path):
    page.goto(path)
    expect(page.locator("[data-quick-exit-link]")).to_be_visible()
