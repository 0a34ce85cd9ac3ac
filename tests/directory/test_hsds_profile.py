"""facit's HSDS profile (data/hsds-facit-profile/profile/): merge-patch files named after the
HSDS 3.0 schema files they modify, served with the merged schemas, declared in the
/api/hsds/ root answer; facit's own answers validate against the merged schemas."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from facit.directory.hsds.profile import merge_patch, patch_names, profile_schema
from tests.directory import factories as f

SCHEMA_DIR = Path(settings.DATA_DIR) / "hsds-3.0" / "schema"
PROFILE_DIR = Path(settings.DATA_DIR) / "hsds-facit-profile" / "profile"
BASE = "https://facit.invalid/api/hsds/profile/schema/"


def _core(name: str) -> Any:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def _validator(name: str, *, profile: bool = True) -> Draft202012Validator:
    """The schema of one file, its $refs resolved to the profile's (or the core) files."""

    def retrieve(uri: str) -> Resource[Any]:
        file = uri.removeprefix(BASE)
        doc = profile_schema(file) if profile else _core(file)
        return Resource.from_contents(doc, default_specification=DRAFT202012)

    registry: Registry[Any] = Registry(retrieve=retrieve)  # type: ignore[call-arg]
    return Draft202012Validator({"$ref": BASE + name}, registry=registry)


def _errors(name: str, answer: Any, *, profile: bool = True) -> list[str]:
    return [
        f"{e.json_path}: {e.message}" for e in _validator(name, profile=profile).iter_errors(answer)
    ]


@pytest.fixture
def data(places):
    org = f.organization(name="Invented provider")
    services = [
        f.service(
            org=org,
            name="Invented local",
            areas=(("municipality", "1280"), ("county", "12")),
            terms=("exploitation:online", "audience:young-people"),
            at=(55.6, 13.0),
            minimum_age=15,
            maximum_age=17.5,
        ),
        f.service(org=org, name="Invented radius", areas=(("radius", (55.6, 13.0, 25.0)),)),
        f.service(org=org, name="Invented national", phone="+46 8 000 00 00"),
    ]
    return org, services


def test_the_profile_modifies_files_named_after_hsds_schema_files():
    names = patch_names()
    assert {"service.json", "service_area.json", "openapi.json"} <= set(names)
    assert all((SCHEMA_DIR / n).is_file() for n in names), names


@pytest.mark.parametrize("name", [n for n in patch_names() if n != "openapi.json"])
def test_each_merged_schema_is_valid_json_schema_2020_12(name):
    merged = merge_patch(_core(name), json.loads((PROFILE_DIR / name).read_text("utf-8")))
    Draft202012Validator.check_schema(merged)
    assert merged == profile_schema(name)


def test_the_merged_openapi_keeps_every_hsds_path_and_names_the_profile():
    merged = profile_schema("openapi.json")
    assert merged is not None
    assert merged["openapi"].startswith("3.1")
    assert merged["paths"] == _core("openapi.json")["paths"]
    assert "facit" in merged["info"]["title"] and merged["info"]["version"] == "1.0.0"
    assert "contact" not in merged["info"]  # null removes it (RFC 7386)


def test_merge_patch_follows_rfc_7386():
    target = {"a": "b", "c": {"d": "e", "f": "g"}, "l": [1, 2]}
    patch = {"a": "z", "c": {"f": None}, "l": [3], "n": {"x": None}}
    assert merge_patch(copy.deepcopy(target), patch) == {
        "a": "z",
        "c": {"d": "e"},
        "l": [3],
        "n": {},
    }


def test_the_root_answer_declares_the_profile_uri_which_lists_its_files(visitor):
    root = visitor.get("/api/hsds/").json()
    assert root["profile"] == "http://testserver/api/hsds/profile/"
    described = visitor.get(root["profile"])
    assert described.status_code == 200
    body = described.json()
    assert sorted(body["profile"]) == patch_names()
    assert body["profile"]["service.json"].endswith("/api/hsds/profile/profile/service.json")
    assert "service.json" in body["schema"] and "phone.json" in body["schema"]


def test_the_served_schema_is_the_served_patch_merged_into_the_core_file(visitor):
    for name in patch_names():
        patch = visitor.get(f"/api/hsds/profile/profile/{name}").json()
        served = visitor.get(f"/api/hsds/profile/schema/{name}").json()
        assert served == merge_patch(_core(name), patch), name
    # a file the profile leaves alone is served as the core file
    assert visitor.get("/api/hsds/profile/schema/phone.json").json() == _core("phone.json")
    assert visitor.get("/api/hsds/profile/profile/phone.json").status_code == 404
    assert visitor.get("/api/hsds/profile/schema/..%2Fsecret.json").status_code == 404


def test_facits_answers_validate_against_the_profile_schemas(visitor, data):
    _org, services = data
    checked = 0
    for s in services:
        answer = visitor.get(f"/api/hsds/services/{s.pk}").json()
        assert _errors("service.json", answer) == [], s.name
        checked += len(answer["service_areas"])
    assert checked == 4
    local = visitor.get(f"/api/hsds/services/{services[0].pk}").json()
    assert {a["extent"] for a in local["service_areas"]} == {
        "facit:municipality=1280",
        "facit:county=12",
    }
    assert local["minimum_age"] == 15 and local["maximum_age"] == 17.5
    assert local["attributes"]  # the forms of exploitation and audience, as attributes
    for page in ("/api/hsds/services?full=true", "/api/hsds/organizations?full=true"):
        for item in visitor.get(page).json()["contents"]:
            kind = "service.json" if "services" in page else "organization.json"
            assert _errors(kind, item) == [], page
    sal = visitor.get("/api/hsds/service_at_locations").json()["contents"][0]["id"]
    answer = visitor.get(f"/api/hsds/service_at_locations/{sal}").json()
    assert _errors("service_at_location.json", answer) == []


def test_the_profile_refuses_what_the_core_schema_lets_through(visitor, data):
    """The check can fail: a malformed facit extent and an age over 120 pass HSDS 3.0 but
    not facit's profile."""
    answer = visitor.get(f"/api/hsds/services/{data[1][0].pk}").json()
    answer["service_areas"][0]["extent"] = "facit:municipality=12"
    answer["maximum_age"] = 130
    assert _errors("service.json", answer, profile=False) == []
    problems = _errors("service.json", answer)
    assert any("service_areas[0].extent" in p for p in problems), problems
    assert any("maximum_age" in p for p in problems), problems
