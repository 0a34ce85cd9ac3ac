"""The evidence API contract that other checks rely on."""

import pytest

from facit.evidence.registry.services import intervention_recompute
from tests import factories as f


def test_interventions_list_items_have_the_contract_fields(client, seeded):
    body = client.get("/api/v1/interventions?limit=5").json()
    assert body["count"] == 40
    item = body["items"][0]
    assert {
        "id",
        "name",
        "focus",
        "target_groups",
        "evaluation_count",
        "evidence_level",
        "flags",
    } <= set(item)
    assert {"code", "label", "why"} <= set(item["evidence_level"])
    assert item["evidence_level"]["why"].startswith("Nivå ")


def test_interventions_filter_by_focus_target_group_and_level(client, seeded):
    demand = client.get("/api/v1/interventions?focus=prevent-demand").json()
    assert demand["count"] >= 1
    assert all("prevent-demand" in i["focus"] for i in demand["items"])
    both = client.get("/api/v1/interventions?focus=prevent-demand&target_group=buyers").json()
    assert all("buyers" in i["target_groups"] for i in both["items"])
    assert client.get("/api/v1/interventions?level=3").json()["count"] == 0


def test_intervention_detail_has_evaluations_with_citation_and_sources(client, seeded):
    body = client.get("/api/v1/interventions/prevent-it").json()
    assert body["evaluations"]
    evaluation = body["evaluations"][0]
    assert evaluation["sources"] and evaluation["citation"]
    assert "appraisals" in evaluation and "outcomes" in evaluation


def test_evidence_map_endpoint_returns_cells_and_gaps(client, seeded):
    body = client.get("/api/v1/evidence-map?rows=focus&cols=target_group").json()
    assert body["rows"] == "focus" and body["cols"] == "target_group"
    cell = body["cells"][0]
    assert set(cell) == {
        "row",
        "col",
        "interventions",
        "evaluations",
        "best_level",
        "provisional",
        "studies",
    }
    assert {g["code"] for g in body["gaps"]} >= {"demand_interventions", "evaluated_once_share"}


@pytest.mark.django_db
def test_english_explanation_when_asked_in_english(client):
    i = f.intervention()
    intervention_recompute(intervention=i)
    body = client.get("/api/v1/interventions", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["items"][0]["evidence_level"]["why"].startswith("Level 7")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["level=0", "level=x", "rows=x", "cols=focus&rows=continent", "limit=-1"]
)
def test_malformed_input_is_422_with_field_and_reason(client, query):
    path = "/api/v1/evidence-map" if "rows" in query or "cols" in query else "/api/v1/interventions"
    response = client.get(f"{path}?{query}")
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["reason"]
