"""An intervention page lists who delivers it, nearest first for a municipality."""

from __future__ import annotations

from tests.directory import factories as f
from tests.factories import intervention


def test_intervention_page_lists_deliverers_nearest_first(visitor, places):
    method = intervention(name="Invented method")
    far = f.service(name="Kiruna deliverer", at=(68.19249, 20.65536))
    near = f.service(name="Lund deliverer", at=(55.66067, 13.45596))
    far.interventions.add(method)
    near.interventions.add(method)
    url = f"/sv/evidence/interventions/{method.slug}/"
    html = visitor.get(url, {"municipality": "Malmö"}).content.decode()
    assert html.index("Lund deliverer") < html.index("Kiruna deliverer")
    html = visitor.get(url, {"municipality": "Kiruna"}).content.decode()
    assert html.index("Kiruna deliverer") < html.index("Lund deliverer")


def test_intervention_page_without_deliverers_shows_no_section(visitor, places):
    method = intervention(name="Undelivered method")
    html = visitor.get(f"/sv/evidence/interventions/{method.slug}/").content.decode()
    assert "delivered-heading" not in html


def test_unknown_municipality_on_intervention_page_gives_suggestions(visitor, places):
    method = intervention(name="Invented method 2")
    f.service(name="Someone").interventions.add(method)
    html = visitor.get(
        f"/sv/evidence/interventions/{method.slug}/", {"municipality": "Malmoe"}
    ).content.decode()
    assert "Malmö" in html and "delivered-error" in html
