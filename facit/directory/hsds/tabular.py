"""The HSDS tabular form: ``datapackage.json`` plus one CSV per table, in a directory or
a zip file, with the tables and columns of ``compiled/tabular.json``."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from facit.core.csv_safe import escape_cell, unescape_cell

from .errors import HsdsError, HsdsValidationError
from .model import HsdsDataset, Origin, Record
from .schemas import OBJECT_KINDS, TableSpec, table_specs
from .validate import schema_errors

_INT = re.compile(r"[+-]?\d+")


class _UnreadableFile(Exception):
    """A package member that exists but is not UTF-8 text."""


_ZIP_LIMITS = {"members": 200, "bytes": 200 * 1024 * 1024}


def zip_limits_set(*, members: int, max_bytes: int) -> None:
    """How large a zip import may be: the app sets this from its settings
    (FACIT_HSDS_ZIP_MAX_MEMBERS, FACIT_HSDS_ZIP_MAX_BYTES) before it loads a file."""
    _ZIP_LIMITS.update(members=members, bytes=max_bytes)


def zip_limits() -> tuple[int, int]:
    """(most members, most uncompressed bytes in all) a zip import may have."""
    return _ZIP_LIMITS["members"], _ZIP_LIMITS["bytes"]


class ZipTooLarge(Exception):
    """A zip with too many members or too much uncompressed data (a zip bomb)."""


class _Source:
    """Read access to the files of a directory or a zip, by name. A zip is checked against
    zip_limits() before anything is read, and every read stops at the byte limit whatever
    the zip's headers claim."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(path) if zipfile.is_zipfile(path) else None
        self.prefix = ""
        self.budget = 0
        if self.zip is not None:
            members, limit = zip_limits()
            infos = self.zip.infolist()
            if len(infos) > members:
                self.zip.close()
                raise ZipTooLarge(
                    f"the zip has {len(infos)} members; at most {members} are accepted"
                )
            declared = sum(i.file_size for i in infos)
            if declared > limit:
                self.zip.close()
                raise ZipTooLarge(
                    f"the zip unpacks to {declared:,} bytes; at most {limit:,} are accepted"
                )
            self.budget = limit
            names = [n for n in self.zip.namelist() if n.endswith("datapackage.json")]
            if names:
                self.prefix = min(names, key=len).removesuffix("datapackage.json")

    def read(self, name: str) -> str | None:
        """The member's text, or None when it is absent."""
        if self.zip is not None:
            try:
                with self.zip.open(self.prefix + name) as member:
                    data = member.read(self.budget + 1)
            except KeyError:
                return None
            self.budget -= len(data)
            if self.budget < 0:
                _members, limit = zip_limits()
                raise ZipTooLarge(f"the zip unpacks to more than {limit:,} bytes")
        else:
            file = self.path / name
            if not file.is_file():
                return None
            data = file.read_bytes()
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _UnreadableFile(f"not UTF-8 text (byte {exc.start})") from exc

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
        number = float(text)
    except ValueError:
        return None, f"{text!r} is not a number"
    if not math.isfinite(number):
        return None, f"{text!r} is not a finite number"
    return number, None


def _safe_member(path: str) -> bool:
    """Resource paths must stay inside the package (no absolute paths, no ``..``)."""
    pure = PurePosixPath(path.replace("\\", "/"))
    return bool(path) and not pure.is_absolute() and ".." not in pure.parts


def _resource_paths(source: _Source, errors: list[HsdsError]) -> dict[str, str]:
    """Table kind -> CSV file, from ``datapackage.json`` (the schema's names as fallback)."""
    paths = {kind: spec.path for kind, spec in table_specs().items()}
    try:
        text = source.read("datapackage.json")
    except _UnreadableFile as exc:
        errors.append(HsdsError("$", str(exc), file="datapackage.json"))
        return paths
    except ZipTooLarge as exc:
        errors.append(HsdsError("$", f"refused: {exc}", file="datapackage.json"))
        return paths
    if text is None:
        errors.append(HsdsError("$", "datapackage.json is missing", file="datapackage.json"))
        return paths
    from .loading import parse_json

    try:
        package = parse_json(text, file="datapackage.json")
    except json.JSONDecodeError as exc:
        errors.append(HsdsError("$", f"not valid JSON: {exc}", file="datapackage.json"))
        return paths
    except HsdsValidationError as exc:
        errors.extend(exc.errors)
        return paths
    if not isinstance(package, dict) or not isinstance(package.get("resources", []), list):
        errors.append(HsdsError("$", "not a data package descriptor", file="datapackage.json"))
        return paths
    for index, resource in enumerate(package.get("resources") or []):
        if not isinstance(resource, dict):
            resource = {}
        name, path = resource.get("name"), resource.get("path")
        if name in OBJECT_KINDS and isinstance(path, str) and _safe_member(path):
            paths[name] = path
        elif name in OBJECT_KINDS:
            errors.append(
                HsdsError(
                    f"$.resources[{index}].path",
                    f"path {path!r} must be a file inside the package",
                    file="datapackage.json",
                )
            )
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
    row_number = 0
    try:
        errors += _header_errors(spec, file, reader.fieldnames or [])
        for row_number, row in enumerate(reader, start=1):
            row = {k: unescape_cell(v) if isinstance(v, str) else v for k, v in row.items()}
            record = _row_record(spec, file, row_number, row, errors)
            _check_row(spec, file, row_number, record, errors)
            _store_row(dataset, spec, file, row_number, record, errors)
    except csv.Error as exc:
        errors.append(HsdsError("$", f"broken CSV: {exc}", spec.kind, None, file, row_number + 1))


def _header_errors(spec: TableSpec, file: str, header: Sequence[str]) -> list[HsdsError]:
    """Unknown columns would be silently dropped, so they are errors."""
    return [
        HsdsError(
            "$",
            f"unknown column {c!r} for table {spec.kind}",
            file=file,
            row=0,
            column=c,
        )
        for c in header
        if c not in spec.columns
    ]


def _row_record(
    spec: TableSpec,
    file: str,
    row_number: int,
    row: dict[Any, Any],
    errors: list[HsdsError],
) -> Record:
    record: Record = {}
    if None in row:  # DictReader's key for cells beyond the header
        errors.append(_cell(spec, file, row_number, "id", row.get("id"), "more cells than columns"))
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
            errors.append(_cell(spec, file, row_number, column, row.get("id"), problem))
        else:
            record[column] = value
    return record


def _store_row(
    dataset: HsdsDataset,
    spec: TableSpec,
    file: str,
    row_number: int,
    record: Record,
    errors: list[HsdsError],
) -> None:
    oid = record.get("id")
    if not isinstance(oid, str):
        return
    table = dataset.table(spec.kind)
    if oid in table:
        first = dataset.origins[(spec.kind, oid)].row
        reason = f"duplicate {spec.kind} id {oid!r} (first on row {first})"
        errors.append(_cell(spec, file, row_number, "id", oid, reason))
        return
    table[oid] = record
    path = f"$.{spec.kind}[{row_number - 1}]"
    dataset.origins[(spec.kind, oid)] = Origin(path, file, row_number)


def _cell(spec: TableSpec, file: str, row: int, column: str, oid: Any, reason: str) -> HsdsError:
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
    try:
        source = _Source(Path(path))
    except ZipTooLarge as exc:
        return dataset, [HsdsError("$", f"refused: {exc}", file=Path(path).name)]
    except (OSError, zipfile.BadZipFile) as exc:
        return dataset, [HsdsError("$", f"cannot open the package: {exc}", file=str(path))]
    try:
        paths = _resource_paths(source, errors)
        for kind, spec in table_specs().items():
            try:
                text = source.read(paths[kind])
            except _UnreadableFile as exc:
                errors.append(HsdsError("$", str(exc), kind, file=paths[kind]))
                continue
            except ZipTooLarge as exc:
                errors.append(HsdsError("$", f"refused: {exc}", file=Path(path).name))
                break
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
        "description": "Open Referral Human Services Data Specification (HSDS) 3.0, tabular form",
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
        writer.writerow({k: escape_cell(_format(v)) for k, v in record.items() if v is not None})
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
