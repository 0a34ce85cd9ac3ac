"""The journey of issue 9: a visitor on the Swedish map finds provisional promising results,
the quote behind each and the outcomes without controlled evidence; two reviewers confirm
one evaluation at the extraction desk; its level turns confirmed on the page, in the API and
in the exports. At 390 px and 1280 px, axe-checked, with the real sign-in."""

import json
import os

import pytest
from playwright.sync_api import Page, expect

from facit.evidence.gapmap.eppi import level_attribute_id
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("FACIT_SHOTS", "")
SLUG = "green-dot-high-school"


@pytest.fixture
def extracted_registry(transactional_db):
    from django.core.management import call_command

    call_command("seed")


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _no_sideways_scroll(page: Page) -> None:
    wide = page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth + 1 ? [] : "
        "[...document.querySelectorAll('body *')].filter(e => !e.closest('.table-scroll') && "
        "e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5)"
        ".map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 30))"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), wide


def _reviewer(name: str) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.personas import make_user

    TOTPDevice.objects.create(user=make_user(name), name="default", confirmed=True)


def _visitor_reads_the_outcome_map(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/sv/evidence/?rows=intervention&cols=outcome_domain")
    expect(page.locator("[data-gap=provisional_levels]")).to_contain_text("preliminära")
    expect(page.locator("[data-gap=outcome_domains_without_controlled]")).to_contain_text(
        "utan en enda kontrollerad studie"
    )
    expect(page.locator("[data-gap=evaluations_with_results]")).to_contain_text(
        "redovisar över huvud taget ett resultat"
    )
    expect(page.get_by_test_id("map-scroll")).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)
    _shot(page, f"map-outcome-{width}")
    bubble = page.locator(f"a[href*='row={SLUG}']").first
    expect(bubble).to_contain_text("1 preliminär")
    bubble.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Studier i den här cellen")
    studies = page.get_by_test_id("cell-studies")
    expect(studies).to_contain_text("prevalence rate ratios for sexual violence perpetration")
    expect(studies).to_contain_text("gynnsam (preliminär)")
    expect(studies).to_contain_text("Nivå 3: Lovande – preliminär")
    _no_sideways_scroll(page)
    assert_accessible(page)
    _shot(page, f"map-studies-{width}")


def test_visitor_sees_provisional_results_then_two_reviewers_confirm_one_at_the_desk(
    page: Page, browser, live_server, extracted_registry
):
    from facit.evidence.models import Evaluation
    from tests.personas import PASSWORD

    for width in (390, 1280):
        _visitor_reads_the_outcome_map(page, width)

    page.goto(f"/sv/evidence/interventions/{SLUG}/")
    expect(page.get_by_test_id("provisional-note")).to_be_visible()
    expect(page.get_by_test_id("evidence-quote").first).to_contain_text("prevalence rate ratios")
    assert_accessible(page)
    _shot(page, "intervention-provisional-1280")

    _reviewer("reviewer")
    _reviewer("second_reviewer")
    evaluation = Evaluation.objects.get(intervention__slug=SLUG)
    for name in ("reviewer", "second_reviewer"):
        context = browser.new_context(base_url=live_server.url, locale="sv-SE")
        desk_page = context.new_page()
        desk_page.set_default_timeout(10_000)
        desk_page.set_viewport_size({"width": 390 if name == "reviewer" else 1280, "height": 900})
        sign_in(desk_page, name, PASSWORD)
        desk_page.goto(f"/sv/evidence/interventions/{SLUG}/")
        desk_page.get_by_test_id("desk-link").first.click()
        expect(desk_page.get_by_role("heading", level=1)).to_have_text("Extraktionsbordet")
        expect(desk_page.get_by_test_id("prefilled-note")).to_be_visible()
        # Each pre-filled field says where its value comes from.
        expect(desk_page.locator("#id_direction_helptext")).to_have_text(
            "Förifyllt från den preliminära extraktionen: godta eller ändra."
        )
        assert_accessible(desk_page)
        desk_page.get_by_label("Jag har kontrollerat varje fält mot källan", exact=False).check()
        desk_page.get_by_role("button", name="Spara min extraktion").click()
        expect(desk_page.get_by_role("status").first).to_contain_text("Din extraktion sparades")
        _no_sideways_scroll(desk_page)
        if name == "second_reviewer":
            expect(desk_page.get_by_test_id("agree")).to_be_visible()
            assert_accessible(desk_page)
            _shot(desk_page, "desk-agree-1280")
            desk_page.get_by_role("button", name="Spara den samstämmiga bedömningen").click()
            expect(desk_page.get_by_test_id("desk-status")).to_contain_text("Bekräftad")
            assert_accessible(desk_page)
        else:
            _shot(desk_page, "desk-first-390")
        context.close()

    # The level is now confirmed on the page, in the API and in the exports.
    page.goto(f"/sv/evidence/interventions/{SLUG}/")
    expect(page.locator(".level-box .level")).to_have_text("Nivå 3: Lovande")
    expect(page.get_by_test_id("provisional-note")).to_have_count(0)
    assert_accessible(page)
    _shot(page, "intervention-confirmed-1280")
    api = json.loads(page.request.get(f"/api/v1/interventions/{SLUG}").text())
    assert api["evidence_level"]["provisional"] is False
    assert api["evaluations"][0]["outcomes"][0]["provenance"] == "confirmed"
    csv = page.request.get(
        "/sv/evidence/map/export.csv?rows=intervention&cols=outcome_domain"
    ).text()
    line = next(
        row for row in csv.splitlines() if row.startswith(f"{SLUG},") and ",perpetration," in row
    )
    assert ",1,1,3," in line  # one intervention, one study, best level 3
    assert line.endswith(",0")  # no provisional level left in its cell
    eppi = json.loads(page.request.get("/sv/evidence/map/export.eppi.json").text())
    reference = next(r for r in eppi["References"] if r["ItemId"] == evaluation.pk)
    assert level_attribute_id(3, provisional=False) in {
        c["AttributeId"] for c in reference["Codes"]
    }
    assert evaluation.intervention.evaluations.get().outcomes.get().provenance == "confirmed"
