"""Reading the tabular form and load_any: errors name file, row and column, and every
problem is reported at once so that an import can refuse all of it."""

import csv
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from facit.directory.hsds import (
    HsdsError,
    HsdsValidationError,
    dataset_to_json,
    load_any,
    read_tabular,
    write_tabular,
)

from .conftest import FICTIONAL, MISSING, SVC1


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return write_tabular(load_any(FICTIONAL), tmp_path / "pkg")


def _edit(folder: Path, file: str, row: int, column: str, value: str) -> None:
    path = folder / file
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[row - 1][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _errors(path: Path) -> list[HsdsError]:
    with pytest.raises(HsdsValidationError) as info:
        load_any(path)
    return info.value.errors


def _cells(errors: list[HsdsError]) -> list[tuple[str | None, int | None, str | None]]:
    return [(e.file, e.row, e.column) for e in errors]


def test_number_column_with_text_names_file_row_and_column(package: Path) -> None:
    _edit(package, "services.csv", 2, "minimum_age", "tolv")
    errors = _errors(package)
    assert _cells(errors) == [("services.csv", 2, "minimum_age")]
    assert "not a number" in errors[0].reason
    assert str(errors[0]).startswith("services.csv, row 2, column minimum_age")


def test_enum_violation_in_csv_names_the_cell(package: Path) -> None:
    _edit(package, "services.csv", 3, "status", "öppen")
    errors = _errors(package)
    assert _cells(errors) == [("services.csv", 3, "status")]
    assert errors[0].kind == "service"


def test_empty_tabular_required_column_is_reported(package: Path) -> None:
    _edit(package, "services.csv", 1, "organization_id", "")
    assert _cells(_errors(package)) == [("services.csv", 1, "organization_id")]


def test_missing_required_column_value_is_reported(package: Path) -> None:
    _edit(package, "locations.csv", 1, "location_type", "")
    errors = _errors(package)
    assert _cells(errors) == [("locations.csv", 1, "location_type")]
    assert errors[0].reason == "is required but empty"


def test_duplicate_id_rows_are_reported(package: Path) -> None:
    with (package / "services.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows.append(rows[1])
    with (package / "services.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    errors = _errors(package)
    assert _cells(errors) == [("services.csv", 4, "id")]
    assert "first on row 1" in errors[0].reason


def test_dangling_reference_in_csv_names_the_cell(package: Path) -> None:
    _edit(package, "service_at_location.csv", 1, "location_id", MISSING)
    errors = _errors(package)
    assert _cells(errors) == [("service_at_location.csv", 1, "location_id")]


def test_invalid_coordinate_in_csv_names_the_cell(package: Path) -> None:
    _edit(package, "locations.csv", 1, "longitude", "200")
    assert _cells(_errors(package)) == [("locations.csv", 1, "longitude")]


def test_unknown_column_is_reported(package: Path) -> None:
    _edit(package, "services.csv", 1, "name", "x")
    with (package / "services.csv").open(encoding="utf-8") as handle:
        text = handle.read()
    (package / "services.csv").write_text(text.replace("licenses", "licences", 1), encoding="utf-8")
    assert ("services.csv", 0, "licences") in _cells(_errors(package))


def test_all_problems_across_files_are_reported_together(package: Path) -> None:
    _edit(package, "services.csv", 2, "minimum_age", "tolv")
    _edit(package, "locations.csv", 1, "latitude", "-95")
    _edit(package, "attributes.csv", 1, "taxonomy_term_id", MISSING)
    with pytest.raises(HsdsValidationError) as info:
        load_any(package)
    assert sorted(_cells(info.value.errors)) == [
        ("attributes.csv", 1, "taxonomy_term_id"),
        ("locations.csv", 1, "latitude"),
        ("services.csv", 2, "minimum_age"),
    ]
    assert "3 problem(s)" in str(info.value)


def test_read_tabular_reports_cell_errors_without_cross_checks(package: Path) -> None:
    _edit(package, "service_at_location.csv", 1, "location_id", MISSING)
    assert read_tabular(package).service_at_locations  # links are load_any's job


def test_missing_datapackage_json_is_reported(package: Path) -> None:
    (package / "datapackage.json").unlink()
    assert ("datapackage.json", None, None) in _cells(_errors(package))


def test_zip_with_package_in_a_subfolder_is_read(package: Path, tmp_path: Path) -> None:
    archive = tmp_path / "nested.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for file in package.iterdir():
            handle.write(file, f"export/{file.name}")
    assert SVC1 in load_any(archive).services


def test_load_any_reads_single_object_list_package_and_bundle(tmp_path: Path) -> None:
    dataset = load_any(FICTIONAL)
    organization = json.loads(FICTIONAL.read_text(encoding="utf-8"))[0]
    single = tmp_path / "org.json"
    single.write_text(json.dumps(organization), encoding="utf-8")
    assert set(load_any(single).services) == {s["id"] for s in organization["services"]}
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps(dataset_to_json(dataset)), encoding="utf-8")
    assert load_any(bundle) == dataset
    page = tmp_path / "page.json"
    services = [
        {k: v for k, v in s.items() if not isinstance(v, list)} for s in organization["services"]
    ]
    page.write_text(json.dumps({"total_items": 2, "contents": services}), encoding="utf-8")
    program = {"program": {s["program_id"] for s in services if "program_id" in s}}
    assert set(load_any(page, known_ids=program).services) == {s["id"] for s in services}


def test_load_any_rejects_broken_json_with_line_number(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": 1,\n  oops}', encoding="utf-8")
    assert _cells(_errors(broken)) == [("broken.json", 2, None)]


def test_load_any_rejects_an_invalid_document_entirely(tmp_path: Path) -> None:
    doc = json.loads(FICTIONAL.read_text(encoding="utf-8"))
    doc[0]["services"][0]["status"] = "kanske"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    errors = _errors(path)
    assert [e.path for e in errors] == ["$[0].services[0].status"]


def test_copied_package_without_taxonomy_file_reports_dangling_terms(
    package: Path, tmp_path: Path
) -> None:
    copy = Path(shutil.copytree(package, tmp_path / "copy"))
    (copy / "taxonomy_terms.csv").unlink()
    errors = _errors(copy)
    assert {e.file for e in errors} == {"attributes.csv"}
    assert all("not a known term" in e.reason for e in errors)


def test_resource_path_leaving_the_package_is_refused(package: Path) -> None:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = "../../outside.csv"
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    errors = _errors(package)
    assert [(e.file, e.path) for e in errors] == [("datapackage.json", "$.resources[0].path")]


def test_non_finite_number_is_refused(package: Path) -> None:
    _edit(package, "locations.csv", 1, "latitude", "nan")
    errors = _errors(package)
    finite = [e for e in errors if "not a finite number" in e.reason]
    assert _cells(finite) == [("locations.csv", 1, "latitude")]
    # the value is dropped, so the location also lacks half of its coordinates
    assert any("no latitude" in e.reason for e in errors)


def test_file_that_is_not_utf8_is_reported(package: Path) -> None:
    (package / "phones.csv").write_bytes("id,number\nx,\xe5\n".encode("latin-1"))
    assert ("phones.csv", None, None) in _cells(_errors(package))


def test_row_with_more_cells_than_columns_is_reported(package: Path) -> None:
    with (package / "funding.csv").open("a", encoding="utf-8") as handle:
        handle.write("00000094-0000-4000-8000-000000000003,,,extra,cells,here\n")
    assert ("funding.csv", 3, "id") in _cells(_errors(package))


def test_oversized_csv_field_is_an_error_not_a_crash(package: Path) -> None:
    _edit(package, "organizations.csv", 1, "description", "x" * 200_000)
    broken = [e for e in _errors(package) if "broken CSV" in e.reason]
    assert [(e.file, e.row) for e in broken] == [("organizations.csv", 1)]
