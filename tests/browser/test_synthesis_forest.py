"""The intervention page with a pooled result, in a real browser: the forest plot and its
data table are there, and axe finds no serious accessibility problem."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.evidence.factories_synthesis import pooled_intervention


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_pooled_result_renders_forest_plot_and_table_accessibly(page, lang):
    intervention = pooled_intervention(rob="moderate")
    page.goto(f"/{lang}/evidence/interventions/{intervention.slug}/")
    plot = page.locator("[data-testid=forest-plot] svg[role=img]")
    plot.wait_for(state="visible")
    box = plot.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 100
    title = "Skogsdiagram" if lang == "sv" else "Forest plot"
    # the accessible name comes from the SVG's <title> and <desc>
    assert page.get_by_role("img", name=title).count() == 1
    table = page.locator("[data-testid=synthesis-table]")
    expect(table).to_be_visible()
    assert table.locator("tbody tr").count() == 3
    expect(table.locator("tfoot tr.pooled-row")).to_be_visible()
    sentence = page.get_by_test_id("plain-language").inner_text()
    assert sentence.startswith("Insatsen" if lang == "sv" else "The intervention")
    assert_accessible(page)
