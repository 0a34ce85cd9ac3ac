"""A visitor starts on the front page: figures from the registry, then one search across kinds."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def registry(transactional_db):
    from facit.directory.seed import seed_directory
    from facit.evidence.seed import seed_interventions

    seed_interventions()
    seed_directory()


@pytest.mark.parametrize("width", [390, 1280])
def test_visitor_reads_the_figures_and_finds_things_of_every_kind(page: Page, registry, width: int):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/sv/")
    figures = page.get_by_role("region", name="Kunskapsläget i siffror")
    expect(figures).to_contain_text("40")
    expect(figures).to_contain_text("insatser i registret")
    expect(figures).to_contain_text("av 75 utvärderingar har extraherade resultat")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)

    page.get_by_label("Sök bland insatser, stödverksamheter och riktlinjer").fill("barn")
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sök")
    expect(page.get_by_role("status")).to_contain_text("träffar för ”barn”")
    expect(page.get_by_role("heading", name="Insatser", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name="Stödverksamheter", exact=False)).to_be_visible()
    assert page.locator(".result").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
    page.locator(".result a").first.click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sök")
