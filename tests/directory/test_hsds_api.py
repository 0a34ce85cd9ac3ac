"""The HSDS 3.0 API at /api/hsds/ (data/hsds-3.0/schema/openapi.json)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from facit.directory import vocab
from facit.directory.hsds import validate_document
from facit.directory.hsds.validate import schema_errors
from facit.directory.models import Service
from tests.directory import factories as f

PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


@pytest.fixture
def five(places):
    org = f.organization(name="Invented provider")
    return [
        f.service(
            org=org,
            name=f"Invented {i}",
            terms=("channel:chat",) if i % 2 else (),
            at=(55.6 + i / 100, 13.0),
            address={
                "address_1": f"Påhittad gata {i}",
                "city": "Malmö",
                "state_province": "Skåne län",
                "postal_code": "21100",
                "country": "SE",
                "address_type": "physical",
            },
        )
        for i in range(5)
    ]


def test_root_describes_the_api(visitor, places):
    body = visitor.get("/api/hsds/").json()
    assert body["version"] == "3.0"
    assert body["openapi_url"].endswith("/api/hsds/openapi.json")
    assert visitor.get("/api/hsds/openapi.json").status_code == 200


def test_services_are_paged_as_the_spec_says(visitor, five):
    body = visitor.get("/api/hsds/services", {"per_page": 2, "page": 3}).json()
    assert set(body) == PAGE_KEYS
    assert (body["total_items"], body["total_pages"], body["page_number"]) == (5, 3, 3)
    assert (body["size"], body["first_page"], body["last_page"], body["empty"]) == (
        1,
        False,
        True,
        False,
    )
    empty = visitor.get("/api/hsds/services", {"search": "nothing-like-this"}).json()
    assert empty["empty"] is True and empty["contents"] == []


def test_services_filters(visitor, five):
    chat = vocab.term_id("channel:chat")
    body = visitor.get("/api/hsds/services", {"taxonomy_term_id": chat}).json()
    assert body["total_items"] == 2
    body = visitor.get("/api/hsds/services", {"taxonomy_id": vocab.TAXONOMY_ID}).json()
    assert body["total_items"] == 2
    org = five[0].organization_id
    assert visitor.get("/api/hsds/services", {"organization_id": org}).json()["total_items"] == 5
    Service.objects.filter(pk=five[0].pk).update(last_modified=timezone.now() + timedelta(days=2))
    later = (timezone.now() + timedelta(days=1)).isoformat()
    body = visitor.get("/api/hsds/services", {"modified_after": later}).json()
    assert [s["id"] for s in body["contents"]] == [five[0].pk]
    body = visitor.get("/api/hsds/services", {"search": "Invented 3"}).json()
    assert [s["name"] for s in body["contents"]] == ["Invented 3"]


def test_full_service_validates_against_the_compiled_schema(visitor, five):
    doc = visitor.get(f"/api/hsds/services/{five[1].pk}").json()
    assert validate_document(doc, kind="service") == []
    assert doc["organization"]["name"] == "Invented provider"
    listing = visitor.get("/api/hsds/services", {"full": "true"}).json()
    for item in listing["contents"]:
        assert validate_document(item, kind="service") == []


def test_organization_and_service_at_location_validate(visitor, five):
    org = visitor.get(f"/api/hsds/organizations/{five[0].organization_id}").json()
    assert validate_document(org, kind="organization") == []
    assert len(org["services"]) == 5
    sals = visitor.get("/api/hsds/service_at_locations", {"full": "true"}).json()
    assert sals["total_items"] == 5
    for item in sals["contents"]:
        assert validate_document(item, kind="service_at_location") == []
    one = visitor.get(f"/api/hsds/service_at_locations/{sals['contents'][0]['id']}").json()
    assert validate_document(one, kind="service_at_location") == []


def test_postcode_and_proximity(visitor, five):
    body = visitor.get("/api/hsds/service_at_locations", {"postcode": "211 00"}).json()
    assert body["total_items"] == 5
    body = visitor.get(
        "/api/hsds/service_at_locations", {"postcode": "21100", "proximity": 1500}
    ).json()
    assert 1 <= body["total_items"] < 5


def test_taxonomies_and_terms(visitor, places):
    body = visitor.get("/api/hsds/taxonomies").json()
    assert [t["name"] for t in body["contents"]] == ["facit"]
    terms = visitor.get(
        "/api/hsds/taxonomy_terms", {"taxonomy_id": vocab.TAXONOMY_ID, "per_page": 200}
    ).json()
    assert terms["total_items"] == len(vocab.TERMS)
    for term in terms["contents"]:
        assert schema_errors(term, "taxonomy_term") == []


def test_unknown_ids_are_404_in_the_one_error_shape(visitor, places):
    for url in (
        "/api/hsds/services/nope",
        "/api/hsds/organizations/nope",
        "/api/hsds/taxonomies/nope",
    ):
        r = visitor.get(url)
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "not_found"
    r = visitor.get("/api/hsds/services", {"per_page": 100000})
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"


def test_ndjson_streams_every_result_and_minimal_lists_ids(visitor, five):
    import json

    r = visitor.get("/api/hsds/services", {"format": "ndjson", "per_page": 1})
    lines = b"".join(r.streaming_content).decode().splitlines()
    assert r["Content-Type"] == "application/x-ndjson"
    assert sorted(json.loads(x)["id"] for x in lines) == sorted(s.pk for s in five)
    body = visitor.get("/api/hsds/services", {"minimal": "true", "per_page": 1}).json()
    assert body["total_items"] == 5 and len(body["contents"]) == 5
    assert set(body["contents"][0]) == {"id", "modified_date"}
