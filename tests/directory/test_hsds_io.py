"""HSDS import and export on the database: validation with paths, all-or-nothing imports,
round trips through JSON and the tabular data package, and exports that validate."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from facit.directory.hsds import HsdsValidationError, validate_document
from facit.directory.hsds.validate import schema_errors
from facit.directory.hsds_io import export_all, import_path
from facit.directory.models import Location, Organization, Schedule, Service, ServiceArea
from tests.directory import factories as f

ORG = "11111111-1111-4111-8111-111111111111"
SVC = "22222222-2222-4222-8222-222222222222"
LOC = "33333333-3333-4333-8333-333333333333"


def _write(tmp_path: Path, doc: object, name: str = "in.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _valid_org() -> dict:
    return {
        "id": ORG,
        "name": "Invented organisation",
        "description": "Invented for a test",
        "services": [
            {
                "id": SVC,
                "organization_id": ORG,
                "name": "Invented service",
                "status": "active",
                "minimum_age": 12,
                "maximum_age": 17,
                "service_areas": [{"id": "44444444-4444-4444-8444-444444444444", "name": "Malmö"}],
            }
        ],
        "locations": [
            {
                "id": LOC,
                "organization_id": ORG,
                "location_type": "physical",
                "latitude": 55.6,
                "longitude": 13.0,
            }
        ],
    }


@pytest.fixture
def rich(directory_seeded):
    """The seed plus invented services with locations, addresses, schedules and areas."""
    s = f.service(
        name="Invented rich service",
        areas=(("municipality", "1280"), ("radius", (55.6, 13.0, 25.0)), ("county", "12")),
        terms=("channel:chat", "exploitation:online"),
        at=(55.6, 13.0),
        phone="000-111 22 33",
        address={
            "address_1": "Påhittad väg 1",
            "city": "Malmö",
            "state_province": "Skåne län",
            "postal_code": "21000",
            "country": "SE",
            "address_type": "physical",
        },
    )
    Schedule.objects.create(
        service=s, freq="WEEKLY", byday="MO,TU", opens_at="09:00", closes_at="12:00"
    )
    return s


def test_every_export_validates_against_the_compiled_schemas(rich, tmp_path):
    export_all(tmp_path)
    bundle = json.loads((tmp_path / "json" / "hsds.json").read_text(encoding="utf-8"))
    assert bundle["organization"] and bundle["taxonomy_term"]
    for kind, docs in bundle.items():  # each document against its compiled schema
        for doc in docs:
            assert schema_errors(doc, kind) == [], (kind, doc.get("id"))
    for list_file in (tmp_path / "json").glob("*_list.json"):
        kind = list_file.stem.removesuffix("_list")
        docs = json.loads(list_file.read_text(encoding="utf-8"))
        assert all(schema_errors(doc, kind) == [] for doc in docs), list_file.name
    # ... and the whole export together: every reference points at something exported
    assert validate_document(bundle, kind="bundle") == []
    from facit.directory.hsds.tabular import read_tabular_checked

    _dataset, errors = read_tabular_checked(tmp_path / "tabular")
    assert errors == []


def _canon(value: object) -> object:
    """Order-free form: lists of objects sorted by id."""
    if isinstance(value, dict):
        return {k: _canon(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canon(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value


def _snapshot() -> object:
    from facit.directory.hsds import dataset_to_json
    from facit.directory.hsds_io import dataset_from_db

    return _canon(dataset_to_json(dataset_from_db()))


def _wipe() -> None:
    from facit.directory.hsds_io import MODELS

    for model in reversed(list(MODELS.values())):
        model._default_manager.all().delete()


def test_json_round_trip_keeps_everything(rich, tmp_path):
    export_all(tmp_path)
    before = _snapshot()
    _wipe()
    assert not Service.objects.exists()
    import_path(tmp_path / "json" / "hsds.json")
    assert _snapshot() == before
    area = ServiceArea.objects.get(service=rich, scope="radius")
    assert (area.latitude, area.longitude, area.radius_km) == (55.6, 13.0, 25.0)
    assert area.min_latitude is not None


def test_tabular_round_trip_keeps_everything(rich, tmp_path):
    export_all(tmp_path)
    before = _snapshot()
    _wipe()
    import_path(tmp_path / "tabular")
    assert _snapshot() == before


def test_import_of_a_nested_organization_maps_service_area_names(places, tmp_path):
    summary = import_path(_write(tmp_path, _valid_org()))
    assert summary.counts["service"] == 1
    service = Service.objects.get(pk=SVC)
    assert service.origin == "imported" and service.maximum_age == 17
    assert ServiceArea.objects.get(service=service).municipality_id == "1280"


@pytest.mark.parametrize(
    ("mutate", "path_part"),
    [
        (lambda d: d["services"][0].update(minimum_age="twelve"), "services[0].minimum_age"),
        (lambda d: d["services"][0].pop("name"), "services[0]"),
        (
            lambda d: d["services"][0].update(organization_id=SVC.replace("2", "9")),
            "organization_id",
        ),
        (lambda d: d["locations"][0].update(latitude=123.0), "latitude"),
        (
            lambda d: d["services"].append({**d["services"][0], "name": "Another copy"}),
            "services[1]",
        ),
    ],
    ids=["wrong type", "missing required", "dangling reference", "bad coordinate", "duplicate id"],
)
def test_invalid_json_reports_each_problem_with_its_path_and_imports_nothing(
    places, tmp_path, mutate, path_part
):
    doc = _valid_org()
    mutate(doc)
    with pytest.raises(HsdsValidationError) as info:
        import_path(_write(tmp_path, doc))
    paths = [e.path for e in info.value.errors]
    assert any(path_part in p for p in paths), paths
    assert not Organization.objects.filter(pk=ORG).exists()
    assert not Service.objects.exists()


def test_invalid_csv_reports_row_and_column_and_imports_nothing(rich, tmp_path):
    export_all(tmp_path)
    table = tmp_path / "tabular" / "locations.csv"
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    rows[0]["latitude"] = "north"
    with table.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    _wipe()
    with pytest.raises(HsdsValidationError) as info:
        import_path(tmp_path / "tabular")
    located = [(e.file, e.row, e.column) for e in info.value.errors]
    assert ("locations.csv", 1, "latitude") in located, located
    assert not Service.objects.exists() and not Location.objects.exists()


def test_a_failure_while_writing_rolls_back_the_whole_import(places, tmp_path, monkeypatch):
    import facit.directory.services as services

    def boom(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "service_index", boom)
    with pytest.raises(RuntimeError):
        import_path(_write(tmp_path, _valid_org()))
    assert not Organization.objects.exists() and not Service.objects.exists()
    assert not Location.objects.exists()


def test_cli_import_lists_problems_and_export_writes_files(places, tmp_path, capsys):
    doc = _valid_org()
    doc["services"][0]["minimum_age"] = "twelve"
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("hsds_import", str(_write(tmp_path, doc)))
    assert "minimum_age" in capsys.readouterr().err
    call_command("hsds_import", str(_write(tmp_path, _valid_org(), "ok.json")))
    assert Service.objects.filter(pk=SVC).exists()
    call_command("hsds_export", str(tmp_path / "out"))
    assert (tmp_path / "out" / "json" / "hsds.json").exists()
    assert (tmp_path / "out" / "tabular" / "datapackage.json").exists()
