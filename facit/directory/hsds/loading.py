"""One entry point for imports: accept any HSDS form, check everything, import nothing
unless all of it is valid."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from .errors import HsdsError, HsdsValidationError
from .model import HsdsDataset
from .tabular import read_tabular_checked
from .validate import KnownIds, check_document, validate_dataset


def _is_tabular(path: Path) -> bool:
    if path.is_dir():
        return True
    return zipfile.is_zipfile(path)


NESTED_ELSEWHERE = "but the object is nested under"  # the wording of model.flatten_into
MAX_JSON_DEPTH = 64  # HSDS documents nest about ten levels; far deeper is not HSDS


def json_depth_error(doc: Any, *, file: str | None = None) -> HsdsError | None:
    """An error when the parsed document nests deeper than MAX_JSON_DEPTH (iterative walk,
    so that checking cannot itself run out of stack)."""
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return HsdsError(
                "$", f"nested more than {MAX_JSON_DEPTH} levels deep; not HSDS data", file=file
            )
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return None


def parse_json(text: str, *, file: str | None = None) -> Any:
    """Parse JSON text with a depth limit: a clear error instead of a RecursionError."""
    try:
        doc = json.loads(text)
    except RecursionError:
        reason = f"nested more than {MAX_JSON_DEPTH} levels deep; not HSDS data"
        raise HsdsValidationError([HsdsError("$", reason, file=file)]) from None
    error = json_depth_error(doc, file=file)
    if error is not None:
        raise HsdsValidationError([error])
    return doc


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
        return parse_json(text, file=path.name)
    except json.JSONDecodeError as exc:
        error = HsdsError("$", f"not valid JSON: {exc.msg}", file=path.name, row=exc.lineno)
        raise HsdsValidationError([error]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise HsdsValidationError([HsdsError("$", f"cannot read: {exc}", file=path.name)]) from exc


def load_document(
    doc: Any, *, kind: str | None = None, known_ids: KnownIds | None = None
) -> HsdsDataset:
    """Validate a parsed JSON document and return its dataset, or raise with all errors."""
    errors, dataset = check_document(doc, kind=kind, known_ids=known_ids)
    if errors:
        raise HsdsValidationError(errors)
    return dataset


def load_lenient(
    path: str | Path, *, known_ids: KnownIds | None = None
) -> tuple[HsdsDataset, list[HsdsError]]:
    """Like load_any, but referential and semantic problems in schema-valid data become
    warnings: the offending value is dropped and the warning (with its JSON path) is
    returned. Schema errors and the other rules (addresses, ages) still refuse it whole."""
    from .validate import repair, semantic_problems

    source = Path(path)
    if not source.exists():
        raise HsdsValidationError([HsdsError("$", "file not found", file=str(source))])
    if _is_tabular(source):
        dataset, errors = read_tabular_checked(source)
    else:
        errors, dataset = check_document(_read_json(source), known_ids=known_ids)
        errors = [e for e in errors if e not in semantic_problems(dataset, known_ids=known_ids)]
    # an object that says it belongs elsewhere than where it is nested (e.g. metadata
    # about a location inside a service): the claim is dropped, the nesting decides
    nesting = [e for e in errors if NESTED_ELSEWHERE in e.reason]
    errors = [e for e in errors if NESTED_ELSEWHERE not in e.reason]
    warnings = nesting + semantic_problems(dataset, known_ids=known_ids)
    if not errors:
        repair(dataset, warnings)
        errors = validate_dataset(dataset, known_ids=known_ids)
    if errors:
        raise HsdsValidationError(errors)
    return dataset, warnings


def load_any(
    path: str | Path, *, kind: str | None = None, known_ids: KnownIds | None = None
) -> HsdsDataset:
    """Load a JSON object, list, ``*_package``, bundle, datapackage directory or zip.

    Everything is validated before anything is returned; on any problem
    :class:`HsdsValidationError` lists all of them, so that the caller imports nothing.
    """
    source = Path(path)
    if not source.exists():
        raise HsdsValidationError([HsdsError("$", "file not found", file=str(source))])
    if _is_tabular(source):
        dataset, errors = read_tabular_checked(source)
        errors += validate_dataset(dataset, known_ids=known_ids)
        if errors:
            raise HsdsValidationError(errors)
        return dataset
    return load_document(_read_json(source), kind=kind, known_ids=known_ids)
