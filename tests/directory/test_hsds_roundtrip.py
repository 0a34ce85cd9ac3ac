"""Round trips (dataset -> JSON -> dataset, dataset -> tabular -> dataset) and proof that
every export validates against the official compiled schemas."""

import csv
import json
import string
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facit.directory.hsds import (
    HsdsDataset,
    dataset_from_json,
    dataset_to_json,
    load_any,
    nested_object,
    read_tabular,
    service_document,
    validate_document,
    validator_for_kind,
    write_tabular,
)
from facit.directory.hsds.schemas import table_specs
from facit.directory.hsds.tabular import dataset_to_tabular_json

from .conftest import FICTIONAL, LOC1, SVC1


def _fictional() -> HsdsDataset:
    return load_any(FICTIONAL)


def test_fixture_fills_most_tables() -> None:
    counts = {kind: len(table) for kind, table in _fictional().tables()}
    empty = [kind for kind, count in counts.items() if count == 0]
    assert empty == ["meta_table_description"]


def test_json_round_trip_is_lossless() -> None:
    dataset = _fictional()
    assert dataset_from_json(dataset_to_json(dataset)) == dataset


def test_json_round_trip_survives_serialisation() -> None:
    dataset = _fictional()
    text = json.dumps(dataset_to_json(dataset), ensure_ascii=False)
    assert dataset_from_json(json.loads(text)) == dataset


def test_tabular_directory_round_trip_is_lossless(tmp_path: Path) -> None:
    dataset = _fictional()
    write_tabular(dataset, tmp_path / "export")
    assert read_tabular(tmp_path / "export") == dataset


def test_tabular_zip_round_trip_is_lossless(tmp_path: Path) -> None:
    dataset = _fictional()
    archive = write_tabular(dataset, tmp_path / "export.zip")
    assert load_any(archive) == dataset


def test_numbers_keep_their_type_through_csv(tmp_path: Path) -> None:
    dataset = _fictional()
    write_tabular(dataset, tmp_path / "t")
    again = read_tabular(tmp_path / "t")
    amounts = sorted(repr(c["amount"]) for c in again.cost_options.values())
    assert amounts == ["0", "12.5"]


def test_json_export_validates_against_compiled_schemas() -> None:
    bundle = dataset_to_json(_fictional())
    assert set(bundle) == {"organization", "taxonomy", "taxonomy_term"}
    for organization in bundle["organization"]:
        assert list(validator_for_kind("organization").iter_errors(organization)) == []
    assert validate_document(bundle) == []


def test_service_documents_validate_as_a_service_package() -> None:
    dataset = _fictional()
    package = [service_document(dataset, sid) for sid in dataset.services]
    assert list(validator_for_kind("service_package").iter_errors(package)) == []
    assert validate_document(package, kind="service_package") == []
    first = service_document(dataset, SVC1)
    assert first["organization"]["name"] == "Exempelorganisationen (fiktiv)"
    assert first["attributes"][0]["taxonomy_term"]["taxonomy_detail"]["version"] == "0.1"


def _read_csv_tables(folder: Path) -> dict[str, list[dict[str, str]]]:
    tables = {}
    for kind, spec in table_specs().items():
        with (folder / spec.path).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            assert tuple(reader.fieldnames or ()) == spec.columns
            tables[kind] = list(reader)
    return tables


def test_tabular_export_validates_against_tabular_schema(tmp_path: Path) -> None:
    write_tabular(_fictional(), tmp_path / "t")
    _read_csv_tables(tmp_path / "t")  # one CSV per table with the schema's columns
    rows = dataset_to_tabular_json(read_tabular(tmp_path / "t"))
    assert list(validator_for_kind("tabular").iter_errors(rows)) == []
    package = json.loads((tmp_path / "t" / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["name"]: r["path"] for r in package["resources"]} == {
        kind: spec.path for kind, spec in table_specs().items()
    }


# --------------------------------------------------------------------------- property

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=20,
)
_COORD = st.floats(min_value=-90, max_value=90, allow_nan=False)


def _uuid(prefix: str, n: int) -> str:
    return f"{prefix:0>8}-0000-4000-8000-{n:012d}"


@st.composite
def _datasets(draw: Any) -> HsdsDataset:
    dataset = HsdsDataset()
    n_org = draw(st.integers(1, 3))
    for i in range(n_org):
        oid = _uuid("a1", i)
        dataset.organizations[oid] = {
            "id": oid,
            "name": draw(_TEXT),
            "description": draw(_TEXT),
        }
        if draw(st.booleans()):
            dataset.organizations[oid]["year_incorporated"] = draw(st.integers(1800, 2030))
    for i in range(draw(st.integers(0, 4))):
        sid = _uuid("b1", i)
        dataset.services[sid] = {
            "id": sid,
            "name": draw(_TEXT),
            "status": draw(
                st.sampled_from(["active", "inactive", "defunct", "temporarily closed"])
            ),
            "organization_id": _uuid("a1", draw(st.integers(0, n_org - 1))),
        }
        for j in range(draw(st.integers(0, 2))):
            pid = _uuid(f"9{i}", j)
            dataset.phones[pid] = {"id": pid, "number": draw(_TEXT), "service_id": sid}
        if draw(st.booleans()):
            lid = _uuid("c1", i)
            dataset.locations[lid] = {
                "id": lid,
                "location_type": "physical",
                "organization_id": dataset.services[sid]["organization_id"],
                "latitude": draw(_COORD),
                "longitude": draw(_COORD) * 2,
                "name": draw(_TEXT),
            }
            xid = _uuid("d1", i)
            dataset.service_at_locations[xid] = {
                "id": xid,
                "service_id": sid,
                "location_id": lid,
            }
    return dataset


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dataset=_datasets())
def test_generated_datasets_round_trip_through_json_and_csv(
    dataset: HsdsDataset, tmp_path_factory: Any
) -> None:
    bundle = dataset_to_json(dataset)
    assert validate_document(bundle) == []
    assert dataset_from_json(bundle) == dataset
    folder = tmp_path_factory.mktemp("tab")
    write_tabular(dataset, folder)
    assert read_tabular(folder) == dataset


def test_printable_ascii_text_with_csv_metacharacters_survives(tmp_path: Path) -> None:
    dataset = _fictional()
    tricky = 'Komma, "citat"\nny rad; ' + string.punctuation
    next(iter(dataset.organizations.values()))["description"] = tricky
    write_tabular(dataset, tmp_path / "t")
    assert read_tabular(tmp_path / "t") == dataset


def test_nested_object_gathers_children_of_a_location() -> None:
    location = nested_object(_fictional(), "location", LOC1)
    assert location["addresses"][0]["city"] == "Malmö"
    assert location["schedules"][0]["byday"] == "MO,TU,WE,TH,FR"
    assert list(validator_for_kind("location").iter_errors(location)) == []
