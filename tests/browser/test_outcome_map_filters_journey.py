"""The outcome map with its new parts, as a Swedish visitor uses it at 390 px and 1280 px:
rows of interventions a page at a time, the age-band and country filters (with the count of
country texts that name no known country), and the PNG download beside the SVG one (hidden
without JavaScript). Axe-checked; no sideways page scroll."""

import os
import re
import struct

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("FACIT_SHOTS", "")
SLUG = "green-dot-high-school"
MAP = "/sv/evidence/?rows=intervention&cols=outcome_domain"


@pytest.fixture
def registry(transactional_db, monkeypatch):
    from django.core.management import call_command

    from facit.evidence.gapmap import axes
    from facit.evidence.models import Intervention

    call_command("seed")
    # The seeded registry has 40 interventions; 15 a page makes the paging visible.
    monkeypatch.setattr(axes, "ROWS_PER_PAGE", 15)
    # The seed data states no ages; one range, set here, gives the age filter a match.
    Intervention.objects.filter(slug=SLUG).update(age_min=14, age_max=18)


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _png_size(path: str) -> tuple[int, int]:
    with open(path, "rb") as fh:
        head = fh.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    assert head[12:16] == b"IHDR"
    return struct.unpack(">II", head[16:24])


@pytest.mark.parametrize("width", [390, 1280])
def test_a_visitor_pages_filters_and_downloads_the_outcome_map(
    page: Page, registry, width: int, tmp_path
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(MAP)
    pager = page.get_by_test_id("map-pager")
    expect(pager).to_contain_text("Rad 1–15 av")
    expect(pager).to_contain_text("sida 1 av 3")
    assert_accessible(page)
    _no_sideways_scroll(page)
    _shot(page, f"outcome-map-page1-{width}")

    pager.get_by_role("link", name="Nästa").click()
    expect(page.get_by_test_id("map-pager")).to_contain_text("Rad 16–30 av")
    expect(page.get_by_test_id("map-pager").get_by_role("link", name="Föregående")).to_be_visible()

    # Filters: the country not recognised is an option with its count; the age band 13–17 år.
    page.goto(MAP)
    page.locator("details.filters > summary").click()
    country = page.locator("fieldset").filter(
        has=page.locator("legend", has_text=re.compile(r"^Land$"))
    )
    expect(country).to_contain_text("land som inte kunde tolkas (")
    expect(country).not_to_contain_text("multiple")
    page.get_by_label("13–17 år").check()
    page.get_by_role("button", name="Visa").click()
    expect(page).to_have_url(re.compile(r"age_band=13-17"))
    rows = page.locator("table.evidence-map tbody th[scope=row]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Green Dot")
    expect(page.get_by_test_id("map-pager")).to_have_count(0)
    assert_accessible(page)
    _no_sideways_scroll(page)
    _shot(page, f"outcome-map-age-filter-{width}")

    # PNG beside SVG: made in the browser from the SVG of the map being shown.
    button = page.get_by_role("button", name="PNG-bild")
    expect(button).to_be_visible()
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "facit-evidence-map-intervention-outcome_domain.png"
    target = str(tmp_path / "map.png")
    download.save_as(target)
    png_w, png_h = _png_size(target)
    assert 1000 <= png_w <= 8000 and 500 <= png_h <= 8000, (png_w, png_h)
    assert os.path.getsize(target) > 5_000


def test_the_png_button_is_hidden_without_javascript(browser: Browser, live_server, registry):
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(MAP)
    expect(page.get_by_role("link", name="SVG-bild")).to_be_visible()
    expect(page.locator("[data-map-png]")).to_be_hidden()
    context.close()
