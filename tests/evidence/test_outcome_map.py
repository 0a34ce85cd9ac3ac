"""The map by outcome domain (rows=intervention, cols=outcome_domain) and its studies."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from facit.evidence import vocabularies as vocab
from facit.evidence.gapmap.queries import cell_studies, outcome_domains_without_controlled


@pytest.fixture
def extracted(db):
    call_command("seed")


def test_the_outcome_domain_vocabulary_has_both_languages_and_an_unclassified_value():
    codes = [e.code for e in vocab.OUTCOME_DOMAINS]
    assert vocab.UNCLASSIFIED in codes
    assert all(e.sv and e.en and e.sv != e.code for e in vocab.OUTCOME_DOMAINS)


@pytest.mark.parametrize(
    ("text", "domain"),
    [
        ("knowledge of inappropriate touch", "knowledge"),
        ("annual incidence of sexual assault; disclosure", "victimisation"),
        ("feasibility/acceptability", "unclassified"),
        ("", "unclassified"),
    ],
)
def test_a_domain_is_given_only_where_the_text_names_it(text, domain):
    assert vocab.classify_outcome_domain(text) == domain


def test_api_map_by_intervention_and_outcome_domain_carries_studies_and_provisional(
    client, extracted
):
    body = client.get("/api/v1/evidence-map?rows=intervention&cols=outcome_domain").json()
    cell = next(c for c in body["cells"] if c["row"] == "prevent-it")
    assert cell == {
        "row": "prevent-it",
        "col": "perpetration",
        "interventions": 1,
        "evaluations": 1,
        "studies": 1,
        "best_level": 3,
        "provisional": 1,
    }
    assert any(c["col"] == "unclassified" for c in body["cells"])  # counted, never guessed


def test_a_bubble_opens_the_list_of_its_studies_with_design_direction_and_level(client, extracted):
    page = client.get(reverse("evidence:map"), {"rows": "intervention", "cols": "outcome_domain"})
    html = page.content.decode()
    assert reverse("evidence:map_studies") in html
    studies = client.get(
        reverse("evidence:map_studies"),
        {
            "rows": "intervention",
            "cols": "outcome_domain",
            "row": "prevent-it",
            "col": "perpetration",
        },
    ).content.decode()
    assert "significantly larger decrease in viewing time" in studies
    assert "randomiserad kontrollerad studie" in studies
    assert "gynnsam (preliminär)" in studies
    assert "Nivå 3" in studies


def test_cell_studies_respect_both_axes(extracted):
    found = cell_studies("outcome_domain", "design", "knowledge", "rct")
    assert found and all(e.design.code == "rct" for e in found)


def test_the_gaps_name_outcomes_without_controlled_evidence_and_evaluations_with_results(
    client, extracted
):
    gaps = {g["code"]: g for g in client.get("/api/v1/evidence-map").json()["gaps"]}
    assert "evaluations_with_results" in gaps
    assert gaps["evaluations_with_results"]["value"] < 75
    assert "outcome_domains_without_controlled" in gaps
    assert isinstance(outcome_domains_without_controlled(), list)


def test_the_status_filter_keeps_only_provisional_or_confirmed_levels(client, extracted):
    confirmed = client.get("/api/v1/evidence-map?status=confirmed&rows=intervention&cols=focus")
    assert confirmed.json()["cells"] == [
        c for c in confirmed.json()["cells"] if c["provisional"] == 0
    ]
    provisional = client.get("/api/v1/interventions?status=provisional&limit=100").json()
    assert provisional["count"] == 39
    assert all(i["evidence_level"]["provisional"] for i in provisional["items"])
