"""The map downloads as a standalone SVG image of the map being shown."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from django.urls import reverse

from facit.evidence.gapmap.palette import LEVEL_COLOURS
from facit.evidence.gapmap.queries import evidence_map

SVG = "{http://www.w3.org/2000/svg}"


def _get(client, query: str) -> ET.Element:
    response = client.get(reverse("evidence:map_export", args=["svg"]) + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert 'filename="facit-evidence-map-' in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("<?xml")
    return ET.fromstring(text.encode())  # noqa: S314 -- facit's own output, in a test


def test_svg_has_one_bubble_per_non_empty_cell_coloured_by_best_level(client, seeded):
    root = _get(client, "?rows=focus&cols=target_group")
    assert root.tag == f"{SVG}svg"
    emap = evidence_map("focus", "target_group")
    bubbles = [g for g in root.iter(f"{SVG}g") if g.get("class") == "cell"]
    assert len(bubbles) == len(emap.cells)
    for g in bubbles:
        circle = g.find(f"{SVG}circle")
        assert circle is not None
        assert circle.get("fill") == LEVEL_COLOURS[int(g.get("data-level"))]
        assert g.find(f"{SVG}title").text  # the cell's text, not colour alone
    gaps = [t for t in root.iter(f"{SVG}text") if t.get("class") == "gap"]
    assert len(gaps) == len(emap.rows) * len(emap.cols) - len(emap.cells)


def test_svg_follows_the_chosen_axes_and_language(client, seeded):
    root = _get(client, "?rows=prevention_level&cols=focus")
    title = root.find(f"{SVG}title").text
    assert title == "Preventionsnivå mot inriktning: insatser, utvärderingar och bästa evidensnivå"
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "universell" in texts
    assert "Bästa evidensnivå" in texts


def test_the_map_page_links_the_svg_download(client, seeded):
    html = client.get(reverse("evidence:map") + "?rows=focus&cols=design").content.decode()
    assert reverse("evidence:map_export", args=["svg"]) + "?" in html
