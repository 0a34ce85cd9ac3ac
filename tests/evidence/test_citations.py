"""Author fields that hold an extractor's note in English are shown without it: on Swedish
pages, in study labels and in the exports, every author field of the real data reads as
names (or nothing), and the API keeps the field verbatim. Title fields that hold the
extractor's description of a study instead of its title are shown as a devised title, in
square brackets and without the note on what the source did not show."""

import json

import pytest
from django.conf import settings
from django.utils import translation

from facit.evidence.citations import author_names, authors_shown, title_is_description, title_text
from facit.evidence.gapmap.eppi import eppi_mapper_json
from facit.evidence.models import Evaluation
from facit.evidence.synthesis.selectors import study_label
from tests import factories as f

NOTE_WORDS = ("not shown", "not captured", "listed in", "excerpt")


def _real_citation_fields(name: str) -> list[str]:
    data = json.loads((settings.DATA_DIR / "interventions.json").read_text(encoding="utf-8"))
    return [
        e["citation"].get(name, "")
        for i in data
        for e in i.get("evaluations", [])
        if "citation" in e
    ]


def _real_author_fields() -> list[str]:
    return _real_citation_fields("authors")


def test_the_real_data_holds_such_notes_and_none_is_shown():
    fields = _real_author_fields()
    assert any("(authors not shown)" in a for a in fields)  # the case this is for
    for field in fields:
        with translation.override("sv"):
            shown = authors_shown(field)
        for word in NOTE_WORDS:
            assert word not in shown.lower(), (field, shown)
            assert word not in author_names(field).lower(), field


def test_a_partial_list_keeps_the_named_author_and_says_others_in_the_page_language():
    field = "(full author list not captured; corresponding author Miriam Schuler, Charité)"
    with translation.override("sv"):
        assert authors_shown(field) == "Miriam Schuler, Charité m.fl."
    with translation.override("en"):
        assert authors_shown(field) == "Miriam Schuler, Charité and others"
    assert author_names(field) == "Miriam Schuler, Charité"
    listed = "Suchindran C, Benefield T (order as listed in SafetyLit record)"
    assert authors_shown(listed) == "Suchindran C, Benefield T"
    assert authors_shown("Protect Children (Suojellaan Lapsia ry)") == (
        "Protect Children (Suojellaan Lapsia ry)"  # a name's own brackets stay
    )


@pytest.mark.django_db
def test_an_evaluation_with_no_known_author_leads_with_its_title_everywhere(client):
    intervention = f.intervention()
    evaluation = f.evaluation(intervention, title="Invented report title")
    Evaluation.objects.filter(pk=evaluation.pk).update(authors="(authors not shown)", year=2019)
    evaluation.refresh_from_db()
    with translation.override("sv"):
        assert evaluation.citation.startswith("Invented report title. (2019)")
    assert study_label(evaluation) == "Invented report title"
    page = client.get(f"/sv/evidence/interventions/{intervention.slug}/")
    assert b"not shown" not in page.content
    assert b"Invented report title. (2019)" in page.content
    (item,) = eppi_mapper_json([intervention])["References"]
    assert item["Authors"] == "" and "not shown" not in item["ShortTitle"]
    api = client.get(f"/api/v1/interventions/{intervention.slug}").json()
    assert [e["authors"] for e in api["evaluations"]] == ["(authors not shown)"]  # verbatim


def test_the_real_data_holds_described_titles_and_each_is_shown_bracketed_without_its_note():
    titles = _real_citation_fields("title")
    described = [t for t in titles if title_is_description(t)]
    assert len(described) >= 5  # the cases this is for
    for title in described:
        shown = title_text(title)
        assert shown.startswith("[") and shown.endswith("]"), shown
        for word in NOTE_WORDS:
            assert word not in shown.lower(), (title, shown)
    plain = [t for t in titles if not title_is_description(t)]
    assert all(title_text(t) == t.strip() for t in plain)  # a real title is never touched


def test_a_title_with_brackets_of_its_own_is_a_title_and_a_description_loses_its_note():
    assert title_text("Enough Abuse Campaign evaluation (2002-2007)") == (
        "Enough Abuse Campaign evaluation (2002-2007)"
    )
    assert (
        title_text(
            "(wide-scale implementation study of Safe Touches; title and authors not shown in "
            "the stored abstract)"
        )
        == "[wide-scale implementation study of Safe Touches]"
    )
    assert title_text("(real-world study, Phase II of iLookOut)") == (
        "[real-world study, Phase II of iLookOut]"
    )
    assert title_text("(a) and (b)") == "(a) and (b)"  # two bracketed parts: not one description


@pytest.mark.django_db
def test_a_described_study_is_marked_so_on_its_page_in_exports_and_labels_but_verbatim_in_the_api(
    client,
):
    intervention = f.intervention()
    evaluation = f.evaluation(intervention, title="Placeholder")
    Evaluation.objects.filter(pk=evaluation.pk).update(
        title="(invented pilot study of a programme; citation details not shown)",
        authors="(authors not shown)",
        year=2021,
    )
    evaluation.refresh_from_db()
    page = client.get(f"/sv/evidence/interventions/{intervention.slug}/").content.decode()
    assert "[invented pilot study of a programme]" in page
    assert "(en beskrivning av studien; källan anger ingen titel)" in page
    assert "not shown" not in page
    assert study_label(evaluation) == "[invented pilot study of a programme]"
    (item,) = eppi_mapper_json([intervention])["References"]
    assert item["Title"] == "[invented pilot study of a programme]"
    api = client.get(f"/api/v1/interventions/{intervention.slug}").json()
    assert [e["title"] for e in api["evaluations"]] == [
        "(invented pilot study of a programme; citation details not shown)"
    ]


@pytest.mark.django_db
def test_a_result_whose_source_names_no_measure_reads_so_in_the_pages_language(client):
    from facit.evidence.models import UNNAMED_MEASURE

    intervention = f.intervention()
    f.outcome(f.evaluation(intervention), measure=UNNAMED_MEASURE)
    path = f"/evidence/interventions/{intervention.slug}/"
    swedish = client.get(f"/sv{path}").content.decode()
    assert "huvudsakligt utfall (källan namnger inget mått)" in swedish
    assert "main outcome" not in swedish
    english = client.get(f"/en{path}").content.decode()
    assert "main outcome (the source names no measure)" in english
