"""Validation of HSDS JSON documents: exact paths and plain reasons for each problem."""

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from facit.directory.hsds import (
    HsdsDataset,
    HsdsError,
    sniff_kind,
    validate_dataset,
    validate_document,
    validator_for_kind,
)
from facit.directory.hsds.schemas import DOCUMENT_KINDS, OBJECT_KINDS, load_schema

from .conftest import LOC1, MISSING, ORG1, SVC1

SERVICE: dict[str, Any] = {
    "id": SVC1,
    "name": "Testtjänst (fiktiv)",
    "status": "active",
    "phones": [{"id": "00000091-0000-4000-8000-000000000001", "number": "000-000 00 00"}],
}


def _paths(errors: list[HsdsError]) -> list[str]:
    return [e.path for e in errors]


def _service(**changes: Any) -> dict[str, Any]:
    doc = copy.deepcopy(SERVICE)
    doc.update(changes)
    return doc


def test_fictional_fixture_is_valid(fictional_doc: list[dict[str, Any]]) -> None:
    assert validate_document(fictional_doc) == []


def test_every_document_kind_has_a_draft_2020_12_validator() -> None:
    for kind in DOCUMENT_KINDS:
        assert type(validator_for_kind(kind)).__name__ == "Draft202012Validator"


def test_validators_are_cached() -> None:
    assert validator_for_kind("service_package") is validator_for_kind("service_package")


def test_wrong_type_deep_in_a_package_has_exact_path(
    fictional_doc: list[dict[str, Any]],
) -> None:
    fictional_doc[0]["services"][0]["phones"][0]["number"] = 123
    errors = validate_document(fictional_doc, kind="organization_package")
    assert _paths(errors) == ["$[0].services[0].phones[0].number"]
    assert errors[0].kind == "phone"
    assert errors[0].object_id == "00000091-0000-4000-8000-000000000003"
    assert "must be of type string" in errors[0].reason


def test_wrong_type_in_a_service_list_page_has_path_under_contents() -> None:
    page = {
        "total_items": 4,
        "contents": [_service(), _service(id=MISSING, phones=[], minimum_age="tolv")],
    }
    errors = validate_document(page)
    assert _paths(errors) == ["$.contents[1].minimum_age"]
    assert (errors[0].kind, errors[0].object_id) == ("service", MISSING)


def test_service_package_path_matches_the_documented_shape() -> None:
    services = [_service(id=f"000000b1-0000-4000-8000-00000000000{i}") for i in range(1, 5)]
    for i, service in enumerate(services):
        service["phones"][0]["id"] = f"00000091-0000-4000-8000-00000000001{i}"
    services[3]["phones"][0]["number"] = ["not", "a", "string"]
    errors = validate_document(services)
    assert _paths(errors) == ["$[3].phones[0].number"]
    assert str(errors[0]).startswith("$[3].phones[0].number (phone ")


def test_missing_required_field_points_at_the_field() -> None:
    doc = _service()
    del doc["status"]
    del doc["phones"][0]["number"]
    errors = validate_document(doc, kind="service")
    assert sorted(_paths(errors)) == ["$.phones[0].number", "$.status"]
    assert all(e.reason == "is required but missing" for e in errors)


def test_enum_violation_lists_the_allowed_values() -> None:
    errors = validate_document(_service(status="open"), kind="service")
    assert _paths(errors) == ["$.status"]
    assert "'active'" in errors[0].reason and "'open'" in errors[0].reason


def test_id_that_is_not_a_uuid_is_reported() -> None:
    errors = validate_document(_service(id="svc-1"), kind="service")
    assert _paths(errors) == ["$.id"]
    assert "uuid" in errors[0].reason


def test_dangling_organization_reference_is_reported() -> None:
    errors = validate_document(_service(organization_id=MISSING))
    assert _paths(errors) == ["$.organization_id"]
    assert errors[0].kind == "service" and errors[0].object_id == SVC1
    assert "not in the data" in errors[0].reason


def test_reference_known_from_elsewhere_is_accepted() -> None:
    errors = validate_document(
        _service(organization_id=MISSING), known_ids={"organization": {MISSING}}
    )
    assert errors == []


def test_dangling_location_of_service_at_location_is_reported(
    fictional_doc: list[dict[str, Any]],
) -> None:
    fictional_doc[0]["services"][0]["service_at_locations"][0]["location_id"] = MISSING
    errors = validate_document(fictional_doc)
    assert _paths(errors) == ["$[0].services[0].service_at_locations[0].location_id"]
    assert errors[0].kind == "service_at_location"


def test_invalid_coordinates_are_reported(fictional_doc: list[dict[str, Any]]) -> None:
    location = fictional_doc[0]["locations"][0]
    location["latitude"], location["longitude"] = 91.0, -180.5
    errors = validate_document(fictional_doc)
    assert _paths(errors) == [
        "$[0].locations[0].latitude",
        "$[0].locations[0].longitude",
    ]
    assert all(e.object_id == LOC1 for e in errors)
    assert "-90..90" in errors[0].reason and "-180..180" in errors[1].reason


def test_boundary_coordinates_are_valid(fictional_doc: list[dict[str, Any]]) -> None:
    location = fictional_doc[0]["locations"][0]
    location["latitude"], location["longitude"] = -90, 180
    assert validate_document(fictional_doc) == []


def test_latitude_without_longitude_is_reported(
    fictional_doc: list[dict[str, Any]],
) -> None:
    del fictional_doc[0]["locations"][0]["longitude"]
    assert _paths(validate_document(fictional_doc)) == ["$[0].locations[0].longitude"]


def test_duplicate_ids_with_different_content_are_reported() -> None:
    errors = validate_document([_service(), _service(name="En annan tjänst (fiktiv)")])
    assert _paths(errors) == ["$[1].id"]
    assert "duplicate service id" in errors[0].reason and "$[0]" in errors[0].reason


def test_duplicate_nested_ids_are_reported() -> None:
    doc = _service()
    doc["phones"].append({"id": doc["phones"][0]["id"], "number": "000-000 00 99"})
    errors = validate_document(doc)
    assert _paths(errors) == ["$.phones[1].id"]
    assert errors[0].kind == "phone"


def test_identical_repeated_copies_are_not_duplicates(
    fictional_doc: list[dict[str, Any]],
) -> None:
    organization = {k: v for k, v in fictional_doc[0].items() if not isinstance(v, list)}
    services = [_service(organization_id=ORG1, organization=organization)]
    services.append(
        _service(
            id="000000b1-0000-4000-8000-000000000009",
            phones=[],
            organization_id=ORG1,
            organization=copy.deepcopy(organization),
        )
    )
    assert validate_document(services, kind="service_package") == []


def test_unknown_taxonomy_term_of_an_attribute_is_reported() -> None:
    attribute = {
        "id": "000000f1-0000-4000-8000-000000000001",
        "taxonomy_term_id": MISSING,
    }
    errors = validate_document(_service(attributes=[attribute]))
    assert _paths(errors) == ["$.attributes[0].taxonomy_term_id"]
    assert "not a known term" in errors[0].reason


def test_nested_object_contradicting_its_link_is_reported() -> None:
    doc = _service()
    doc["phones"][0]["service_id"] = MISSING
    errors = validate_document(doc)
    assert "$.phones[0].service_id" in _paths(errors)


def test_all_problems_are_reported_not_just_the_first(
    fictional_doc: list[dict[str, Any]],
) -> None:
    fictional_doc[0]["name"] = 5
    fictional_doc[0]["locations"][0]["latitude"] = 100
    fictional_doc[1]["services"][0]["status"] = "nej"
    fictional_doc[1]["parent_organization_id"] = MISSING
    assert len(validate_document(fictional_doc)) == 4


@pytest.mark.parametrize(
    ("doc", "kind"),
    [
        (SERVICE, "service"),
        ([SERVICE], "service_package"),
        ({"contents": [SERVICE]}, "service_list"),
        ({"id": ORG1, "name": "X", "description": "Y", "services": []}, "organization"),
        ({"id": SVC1, "service_id": SVC1, "location_id": LOC1}, "service_at_location"),
        (
            {"id": SVC1, "name": "T", "description": "D", "taxonomy_id": ORG1},
            "taxonomy_term",
        ),
        ({"taxonomy": [{"id": ORG1, "name": "T", "description": "D"}]}, "bundle"),
    ],
)
def test_document_kind_is_sniffed(doc: Any, kind: str) -> None:
    assert sniff_kind(doc) == kind


def test_a_document_that_is_no_hsds_object_is_one_error() -> None:
    errors = validate_document({"foo": 1})
    assert _paths(errors) == ["$"] and "not an HSDS document" in errors[0].reason


def test_an_incomplete_organization_is_not_mistaken_for_a_contact() -> None:
    errors = validate_document({"id": ORG1, "name": "Utan beskrivning (fiktiv)"})
    assert [(e.path, e.kind) for e in errors] == [("$.description", "organization")]


def test_bundle_validates_standalone_objects_with_their_own_schema() -> None:
    location = {
        "id": LOC1,
        "location_type": "virtual",
        "phones": [{"id": "00000091-0000-4000-8000-000000000001", "number": 7}],
    }
    errors = validate_document({"location": [location]})
    assert [(e.path, e.kind) for e in errors] == [("$.location[0].phones[0].number", "phone")]


def test_dataset_built_in_code_gets_filter_paths() -> None:
    dataset = HsdsDataset()
    dataset.services[SVC1] = {
        "id": SVC1,
        "name": "X",
        "status": "active",
        "organization_id": MISSING,
    }
    errors = validate_dataset(dataset)
    assert [e.path for e in errors] == [f"$.service[?(@.id=='{SVC1}')].organization_id"]


@pytest.mark.parametrize(
    "name",
    [
        *(k for k in OBJECT_KINDS),
        "compiled/organization_list",
        "compiled/service_list",
        "compiled/service_at_location_list",
        "compiled/tabular",
    ],
)
def test_schema_files_are_valid_json_schema_2020_12(name: str) -> None:
    Draft202012Validator.check_schema(load_schema(name))


def test_error_inside_a_listed_service_names_the_inner_object() -> None:
    service = _service()
    service["organization"] = {"id": ORG1, "name": 1, "description": "D"}
    errors = validate_document({"contents": [service]}, kind="service_list")
    assert [(e.path, e.kind, e.object_id) for e in errors] == [
        ("$.contents[0].organization.name", "organization", ORG1)
    ]


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "name", "status", "phones", "number", "contents", "service"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(doc=_JSON)
def test_arbitrary_json_gives_errors_never_an_exception(doc: Any) -> None:
    errors = validate_document(doc)
    assert all(isinstance(e, HsdsError) and e.path.startswith("$") for e in errors)
