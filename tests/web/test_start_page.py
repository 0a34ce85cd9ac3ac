"""The start page answers from the data: its figures, its news and its search change with it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from facit.guidance import services as guidance
from tests import factories as f
from tests.directory import factories as df
from tests.personas import make_user

pytestmark = pytest.mark.django_db


def _figure(html: str, label: str) -> str:
    """The number shown beside a key figure's label."""
    match = re.search(r"<dt>\s*" + re.escape(label) + r"[^<]*</dt>\s*<dd>\s*([^<]+?)\s*</dd>", html)
    assert match, f"no figure labelled {label!r}"
    return match.group(1)


def _home(client) -> str:
    return client.get(reverse("web:home")).content.decode()


def test_key_figures_count_the_registry_and_change_with_it(visitor):
    once = f.intervention()
    f.evaluation(once)
    twice = f.intervention()
    first = f.evaluation(twice)
    f.evaluation(twice)
    f.intervention(is_published=False)  # a draft is not in the public figures
    for i in (once, twice):
        i.evaluation_count = i.evaluations.count()
        i.save(update_fields=["evaluation_count"])
    df.service()

    html = _home(visitor)
    assert _figure(html, "insatser i registret") == "2"
    assert _figure(html, "av 3 utvärderingar har extraherade resultat") == "0"
    assert _figure(html, "av de utvärderade insatserna har utvärderats bara en gång") == "50 %"
    assert _figure(html, "stödverksamheter i katalogen") == "1"

    f.outcome(first)
    html = _home(visitor)
    assert _figure(html, "av 3 utvärderingar har extraherade resultat") == "1"


def test_what_changed_lately_lists_new_evidence_and_published_guidelines(visitor):
    html = _home(visitor)
    assert "Inget nytt ännu" in html

    intervention = f.intervention(name="Invented school programme")
    f.outcome(f.evaluation(intervention))
    f.outcome(f.evaluation(intervention))  # two outcomes of one intervention: one line
    editor = make_user("editor")
    document = guidance.document_create(
        kind="material", title="Invented material title", markdown="# Om\n\nText.", actor=editor
    )
    guidance.version_publish(
        version=document.latest_version(), actor=editor, no_round_reason="Invented reason."
    )

    html = _home(visitor)
    assert "Inget nytt ännu" not in html
    assert html.count("Invented school programme") == 1
    assert "Ny evidens" in html
    assert "Invented material title (version 1)" in html


def test_search_groups_hits_by_kind_and_matches_swedish_inflections(visitor):
    f.intervention(name="Invented skolprogram", description="Lektioner om kroppen i olika skolor.")
    df.service(name="Invented stödlinje", description="Stöd för barn i skolor.")
    response = visitor.get(reverse("web:search"), {"q": "skola"})
    html = response.content.decode()
    assert response.status_code == 200
    interventions, services, guidelines = re.split(r"<h2 id=\"group-\d\">", html)[1:4]
    assert "Invented skolprogram" in interventions
    assert "Invented stödlinje" in services
    assert "Inga publicerade riktlinjer" in guidelines or "Ingen publicerad" in guidelines


def test_search_never_shows_drafts(visitor):
    f.intervention(name="Invented hemlig insats", is_published=False)
    editor = make_user("editor")
    guidance.document_create(
        kind="guideline", title="Invented hemlig riktlinje", markdown="# Om\n\nhemlig", actor=editor
    )
    html = visitor.get(reverse("web:search"), {"q": "hemlig"}).content.decode()
    assert "Invented hemlig" not in html
    assert "0 träffar" in html


def test_help_text_ids_that_fields_point_to_exist(visitor):
    """aria-describedby on a field names the id of its help text or error, present in the page."""
    html = visitor.get(reverse("directory:search"), {"municipality": "Ingenstans"}).content.decode()
    html += visitor.get(reverse("accounts:login")).content.decode()
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    pointed = {
        i for value in re.findall(r'aria-describedby="([^"]+)"', html) for i in value.split()
    }
    assert pointed, "the pages checked have described fields"
    assert pointed <= ids, f"aria-describedby points to missing ids: {pointed - ids}"


def test_barnahus_coverage_figure_counts_covered_municipalities(visitor):
    from facit.directory.models import Barnahus, County, Municipality

    county = County.objects.create(code="99", name="Invented county")
    first = Municipality.objects.create(
        code="9901", name="Invented A", county=county, latitude=59.0, longitude=18.0
    )
    Municipality.objects.create(
        code="9902", name="Invented B", county=county, latitude=59.1, longitude=18.1
    )
    label = "av 2 kommuner har ett Barnahus registrerat i facit (0 Barnahus)"
    assert _figure(_home(visitor), label) == "0"
    barnahus = Barnahus.objects.create(id="invented", name="Invented Barnahus")
    barnahus.municipalities.add(first)
    label = "av 2 kommuner har ett Barnahus registrerat i facit (1 Barnahus)"
    assert _figure(_home(visitor), label) == "1"
