"""Every HSDS API answer validates against the schema its OpenAPI path declares
(data/hsds-3.0/schema/openapi.json), including the fixed /service_at_locations/{id}
(upstream issue #574 declared the service schema there)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from facit.directory import vocab
from tests.directory import factories as f

SCHEMA_DIR = Path(settings.DATA_DIR) / "hsds-3.0" / "schema"
UPSTREAM = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
OPENAPI = json.loads((SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8"))


def _retrieve(uri: str) -> Resource[Any]:
    """The bundled copy of an upstream schema (nothing is downloaded)."""
    assert uri.startswith(UPSTREAM), uri
    doc = json.loads((SCHEMA_DIR / uri.removeprefix(UPSTREAM)).read_text(encoding="utf-8"))
    return Resource.from_contents(doc, default_specification=DRAFT202012)


def _declared(path: str) -> dict[str, Any]:
    response = OPENAPI["paths"][path]["get"]["responses"]["200"]
    schema = response["content"]["application/json"]["schema"]
    # "#/components/..." refers to the OpenAPI document: carry its components along
    return {**schema, "components": OPENAPI["components"]}


def _errors(path: str, answer: Any) -> list[str]:
    registry: Registry[Any] = Registry(retrieve=_retrieve)  # type: ignore[call-arg]
    validator = Draft202012Validator(_declared(path), registry=registry)
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(answer)]


@pytest.fixture
def data(places):
    org = f.organization(name="Invented provider")
    services = [
        f.service(org=org, name=f"Invented {i}", at=(55.6 + i / 100, 13.0)) for i in range(3)
    ]
    return org, services


def test_the_bundled_openapi_declares_the_service_at_location_schema_for_its_path():
    ref = _declared("/service_at_locations/{id}")["$ref"]
    assert ref.endswith("compiled/service_at_location.json")


def test_every_hsds_answer_validates_against_its_declared_schema(visitor, data):
    org, services = data
    sal = visitor.get("/api/hsds/service_at_locations").json()["contents"][0]["id"]
    term = vocab.term_id(vocab.codes(vocab.CHANNEL)[0])
    ids = {
        "/services/{id}": services[0].pk,
        "/organizations/{id}": org.pk,
        "/service_at_locations/{id}": sal,
        "/taxonomies/{id}": vocab.TAXONOMY_ID,
        "/taxonomy_terms/{id}": term,
    }
    checked = 0
    for path, item in OPENAPI["paths"].items():
        if "get" not in item:
            continue
        url = "/api/hsds" + path.replace("{id}", str(ids.get(path, "")))
        if path == "/":
            url = "/api/hsds/"
        response = visitor.get(url)
        assert response.status_code == 200, url
        assert _errors(path, response.json()) == [], url
        checked += 1
    assert checked == len([p for p in OPENAPI["paths"].values() if "get" in p]) == 11


def test_a_service_answer_does_not_pass_as_a_service_at_location(visitor, data):
    """The check can fail: the service schema, which #574 declared, rejects the answer."""
    sal = visitor.get("/api/hsds/service_at_locations").json()["contents"][0]["id"]
    answer = visitor.get(f"/api/hsds/service_at_locations/{sal}").json()
    registry: Registry[Any] = Registry(retrieve=_retrieve)  # type: ignore[call-arg]
    wrong = Draft202012Validator({"$ref": UPSTREAM + "compiled/service.json"}, registry=registry)
    assert list(wrong.iter_errors(answer))
