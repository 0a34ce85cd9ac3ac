"""A visitor browses the evidence map in Swedish and English; every page passes axe-core."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded_registry(transactional_db):
    from facit.evidence.seed import seed_interventions

    seed_interventions()


def test_visitor_reads_the_map_then_an_intervention_with_its_level_and_reason(
    page: Page, seeded_registry
):
    page.goto("/sv/evidence/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Evidens- och kunskapsluckekarta")
    expect(page.locator("[data-gap=demand_interventions]")).to_contain_text("efterfrågan")
    assert_accessible(page)
    page.locator("table.evidence-map a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Insatser")
    assert_accessible(page)
    page.goto("/sv/evidence/interventions/")
    page.get_by_label("Sök på namn eller beskrivning").fill("Prevent It")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.get_by_role("link", name="Prevent It", exact=True).click()
    expect(page.get_by_test_id("level-why")).to_contain_text("Nivå 6")
    assert_accessible(page)


def test_map_axes_can_be_switched_and_the_page_is_in_english_too(page: Page, seeded_registry):
    page.goto("/en/evidence/")
    page.get_by_label("Rows").select_option("setting")
    page.get_by_label("Columns").select_option("design")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("table.evidence-map caption")).to_contain_text("Setting by study design")
    assert_accessible(page)


def test_compare_and_level_rules_pages_are_accessible(page: Page, seeded_registry):
    page.goto("/sv/evidence/interventions/")
    page.get_by_role("checkbox", name="Jämför Prevent It").check()
    page.get_by_role("checkbox", name="Jämför PrevenTell").check()
    page.get_by_role("button", name="Jämför de valda insatserna").click()
    expect(page.locator("table.compare")).to_contain_text("Prevent It")
    assert_accessible(page)
    page.goto("/sv/evidence/levels/")
    assert_accessible(page)


def test_start_and_sign_in_pages_are_accessible_and_sign_in_works_with_totp(
    page: Page, transactional_db
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.personas import PASSWORD, make_user

    user = make_user("reviewer")
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    page.goto("/sv/")
    assert_accessible(page)
    page.goto("/sv/accounts/login/")
    assert_accessible(page)
    sign_in(page, "reviewer", PASSWORD)
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def test_reviewer_appraises_an_evaluation_on_an_accessible_page(page: Page, seeded_registry):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from facit.evidence.models import Evaluation
    from tests.personas import PASSWORD, make_user

    user = make_user("reviewer")
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    sign_in(page, "reviewer", PASSWORD)
    evaluation = Evaluation.objects.filter(intervention__slug="prevent-it").first()
    page.goto(f"/sv/evidence/evaluations/{evaluation.pk}/appraise/")
    assert_accessible(page)
    page.get_by_label("Samlad risk för snedvridning").select_option("low")
    page.get_by_role("button", name="Spara min bedömning").click()
    expect(page.get_by_role("status").first).to_contain_text("Din bedömning sparades")
    assert_accessible(page)


def test_the_plain_table_view_of_the_map_is_accessible(page: Page, seeded_registry):
    page.goto("/sv/evidence/")
    page.get_by_role("link", name="Visa som enkel tabell").click()
    expect(page.locator("table.evidence-list")).to_be_visible()
    assert_accessible(page)


def test_api_documentation_renders_from_local_files_under_the_csp(page: Page, transactional_db):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto("/api/v1/docs")
    expect(page.get_by_text("/api/v1/evidence-map").first).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e and "script" in e]
