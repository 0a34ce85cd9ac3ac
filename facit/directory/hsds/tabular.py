"""The HSDS tabular form: ``datapackage.json`` plus one CSV per table, in a directory or
a zip file, with the tables and columns of ``compiled/tabular.json``."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import HsdsError, HsdsValidationError
from .model import HsdsDataset, Origin, Record
from .schemas import OBJECT_KINDS, TableSpec, table_specs
from .validate import schema_errors

_INT = re.compile(r"[+-]?\d+")


class _Source:
    """Read access to the files of a directory or a zip, by name."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(path) if zipfile.is_zipfile(path) else None
        self.prefix = ""
        if self.zip is not None:
            names = [n for n in self.zip.namelist() if n.endswith("datapackage.json")]
            if names:
                self.prefix = min(names, key=len).removesuffix("datapackage.json")

    def read(self, name: str) -> str | None:
        if self.zip is not None:
            try:
                return self.zip.read(self.prefix + name).decode("utf-8-sig")
            except KeyError:
                return None
        file = self.path / name
        return file.read_bytes().decode("utf-8-sig") if file.is_file() else None

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


def _convert(spec: TableSpec, column: str, text: str) -> tuple[Any, str | None]:
    kind = spec.types.get(column, "string")
    if kind == "string":
        return text, None
    if kind == "boolean":
        if text.lower() in ("true", "false"):
            return text.lower() == "true", None
        return None, f"{text!r} is not true or false"
    if _INT.fullmatch(text.strip()):
        return int(text), None
    try:
        return float(text), None
    except ValueError:
        return None, f"{text!r} is not a number"


def _resource_paths(source: _Source, errors: list[HsdsError]) -> dict[str, str]:
    """Table kind -> CSV file, from ``datapackage.json`` (the schema's names as fallback)."""
    paths = {kind: spec.path for kind, spec in table_specs().items()}
    text = source.read("datapackage.json")
    if text is None:
        errors.append(
            HsdsError("$", "datapackage.json is missing", file="datapackage.json")
        )
        return paths
    try:
        package = json.loads(text)
    except json.JSONDecodeError as exc:
        errors.append(HsdsError("$", f"not valid JSON: {exc}", file="datapackage.json"))
        return paths
    for index, resource in enumerate(package.get("resources") or []):
        name, path = resource.get("name"), resource.get("path")
        if name in OBJECT_KINDS and isinstance(path, str):
            paths[name] = path
        else:
            errors.append(
                HsdsError(
                    f"$.resources[{index}]",
                    f"resource {name!r} is not an HSDS table",
                    file="datapackage.json",
                )
            )
    return paths


def _read_table(
    dataset: HsdsDataset, spec: TableSpec, file: str, text: str, errors: list[HsdsError]
) -> None:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for column in reader.fieldnames or []:
        if column not in spec.columns:
            errors.append(
                HsdsError(
                    "$",
                    f"unknown column {column!r} for table {spec.kind}",
                    file=file,
                    row=0,
                    column=column,
                )
            )
    table = dataset.table(spec.kind)
    for row_number, row in enumerate(reader, start=1):
        record: Record = {}
        for column, text_value in row.items():
            if column not in spec.columns or text_value is None:
                continue
            if text_value == "":
                # An empty cell is an absent value, except in a required text column,
                # where the schema demands the field and "" is the only value it can be.
                if column in spec.required and spec.types[column] == "string":
                    record[column] = ""
                continue
            value, problem = _convert(spec, column, text_value)
            if problem:
                errors.append(
                    _cell(spec, file, row_number, column, row.get("id"), problem)
                )
            else:
                record[column] = value
        _check_row(spec, file, row_number, record, errors)
        oid = record.get("id")
        if not isinstance(oid, str):
            continue
        if oid in table:
            first = dataset.origins[(spec.kind, oid)].row
            errors.append(
                _cell(
                    spec,
                    file,
                    row_number,
                    "id",
                    oid,
                    f"duplicate {spec.kind} id {oid!r} (first on row {first})",
                )
            )
            continue
        table[oid] = record
        dataset.origins[(spec.kind, oid)] = Origin(
            f"$.{spec.kind}[{row_number - 1}]", file, row_number
        )


def _cell(
    spec: TableSpec, file: str, row: int, column: str, oid: Any, reason: str
) -> HsdsError:
    return HsdsError(
        f"$.{spec.kind}[{row - 1}].{column}",
        reason,
        spec.kind,
        oid if isinstance(oid, str) else None,
        file,
        row,
        column,
    )


def _check_row(
    spec: TableSpec, file: str, row: int, record: Record, errors: list[HsdsError]
) -> None:
    for column in spec.tabular_required:
        if column not in record:
            errors.append(
                _cell(
                    spec,
                    file,
                    row,
                    column,
                    record.get("id"),
                    "is required in the tabular form but empty",
                )
            )
    for error in schema_errors(record, spec.kind):
        column = error.path.removeprefix("$.").split(".")[0].split("[")[0] or "id"
        reason = "is required but empty" if record.get(column) == "" else error.reason
        errors.append(_cell(spec, file, row, column, record.get("id"), reason))


def read_tabular_checked(path: str | Path) -> tuple[HsdsDataset, list[HsdsError]]:
    """Read a tabular package, returning the dataset and every problem found in it."""
    dataset = HsdsDataset()
    errors: list[HsdsError] = []
    source = _Source(Path(path))
    try:
        paths = _resource_paths(source, errors)
        for kind, spec in table_specs().items():
            text = source.read(paths[kind])
            if text is not None:
                _read_table(dataset, spec, paths[kind], text, errors)
    finally:
        source.close()
    return dataset, errors


def read_tabular(path: str | Path) -> HsdsDataset:
    """Read a datapackage directory or zip; raise :class:`HsdsValidationError` on any
    problem in a cell (each error names the file, row and column)."""
    dataset, errors = read_tabular_checked(path)
    if errors:
        raise HsdsValidationError(errors)
    return dataset


def _field(spec: TableSpec, column: str) -> dict[str, Any]:
    out: dict[str, Any] = {"name": column, "type": spec.types[column]}
    if column in spec.formats and spec.formats[column] in ("uri", "email", "uuid"):
        out["format"] = spec.formats[column]
    if column in spec.required or column in spec.tabular_required:
        out["constraints"] = {"required": True}
    return out


def datapackage_descriptor(name: str = "hsds-export") -> dict[str, Any]:
    """The ``datapackage.json`` of a full HSDS tabular export."""
    resources = [
        {
            "name": kind,
            "path": spec.path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {
                "fields": [_field(spec, c) for c in spec.columns],
                "primaryKey": "id",
            },
        }
        for kind, spec in table_specs().items()
    ]
    return {
        "name": name,
        "profile": "tabular-data-package",
        "licenses": [
            {"name": "CC-BY-SA-4.0", "title": "HSDS: an Open Referral resource"}
        ],
        "resources": resources,
    }


def _format(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _csv_text(spec: TableSpec, records: Iterator[Record]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=spec.columns, extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow({k: _format(v) for k, v in record.items() if v is not None})
    return buffer.getvalue()


def write_tabular(dataset: HsdsDataset, path: str | Path) -> Path:
    """Write every table (empty ones with their header) and ``datapackage.json``.

    A path ending in ``.zip`` gives a zip file, anything else a directory.
    """
    target = Path(path)
    files = {"datapackage.json": json.dumps(datapackage_descriptor(), indent=2)}
    for kind, spec in table_specs().items():
        files[spec.path] = _csv_text(spec, iter(dataset.table(kind).values()))
    if target.suffix == ".zip":
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in files.items():
                archive.writestr(name, text)
        return target
    target.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (target / name).write_text(text, encoding="utf-8", newline="")
    return target


def dataset_to_tabular_json(dataset: HsdsDataset) -> dict[str, list[Record]]:
    """The dataset as the object ``compiled/tabular.json`` describes (table -> rows)."""
    return {kind: list(table.values()) for kind, table in dataset.tables()}
