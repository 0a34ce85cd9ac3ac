"""Validation of HSDS documents: the official JSON Schemas, then the rules they cannot say
(unique ids, links that point at something, coordinates on Earth, known taxonomy terms)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from jsonschema import ValidationError

from .errors import HsdsError, json_path
from .model import (
    ONE_TO_ONE_LINK,
    SCALARS,
    HsdsDataset,
    Origin,
    child_links,
    flatten_into,
    one_to_one_props,
)
from .schemas import (
    COMPILED_KINDS,
    DOCUMENT_KINDS,
    OBJECT_KINDS,
    load_schema,
    validator_for_kind,
)

KnownIds = Mapping[str, Collection[str]]
BUNDLE = "bundle"
_JSON_TYPES = {
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true/false",
    list: "a list",
    dict: "an object",
    type(None): "null",
}
# The kinds guessed for a bare object; when several fit, the earlier wins (an object with
# only id and name is read as an organization and reported as lacking a description).
_SNIFF_PREFERENCE = (
    "organization",
    "service",
    "service_at_location",
    "taxonomy_term",
    "taxonomy",
)


class UnknownKindError(Exception):
    """Raised when a document's kind can neither be given nor recognised."""


# --------------------------------------------------------------------------- sniffing


def _sniff_object(doc: Mapping[str, Any]) -> str:
    """Only the kinds the HSDS API serves on their own are guessed: a broken organization
    must not pass as a valid contact. Other kinds need ``kind=`` or a bundle."""
    keys = set(doc)
    candidates = []
    for rank, kind in enumerate(_SNIFF_PREFERENCE):
        allowed = set(SCALARS[kind]) | {link.prop for link in child_links(kind)}
        allowed |= set(one_to_one_props(kind))
        if keys <= allowed:
            required = 0 if _required_present(kind, keys) else 1
            candidates.append((required, rank, kind))
    if not candidates:
        raise UnknownKindError(f"no HSDS document has all of the fields {sorted(keys)}")
    return min(candidates)[2]


def _required_present(kind: str, keys: set[str]) -> bool:
    return set(load_schema(kind).get("required", ())) <= keys


def sniff_kind(doc: Any) -> str:
    """Guess the document kind: an object, a list (``*_package``), a page (``*_list``)
    or a bundle written by :func:`dataset_to_json`."""
    if isinstance(doc, list):
        first = next((d for d in doc if isinstance(d, Mapping)), None)
        if first is None:
            raise UnknownKindError("an empty list or a list without objects")
        kind = _sniff_object(first)
        return f"{kind}_package" if kind in COMPILED_KINDS else kind
    if not isinstance(doc, Mapping):
        raise UnknownKindError(f"expected a JSON object or list, got {type(doc).__name__}")
    if "contents" in doc and isinstance(doc["contents"], list):
        first = next((d for d in doc["contents"] if isinstance(d, Mapping)), None)
        kind = _sniff_object(first) if first is not None else "service"
        return f"{kind}_list" if kind in COMPILED_KINDS else kind
    if doc and set(doc) <= set(OBJECT_KINDS) and all(isinstance(v, list) for v in doc.values()):
        return BUNDLE
    return _sniff_object(doc)


# --------------------------------------------------------------------------- schema errors


def _kind_at(root_kind: str, parts: list[str | int]) -> tuple[str, list[str | int]]:
    """The kind of the innermost object on ``parts`` and the path to that object."""
    kind = root_kind.removesuffix("_list").removesuffix("_package")
    obj_end = 0
    i = 0
    if root_kind.endswith("_package") and parts:  # the schema is the array itself
        i = obj_end = 1
    while i < len(parts):
        part = parts[i]
        links = {link.prop: link.kind for link in child_links(kind)}
        if part in links and i + 1 < len(parts) and isinstance(parts[i + 1], int):
            kind, i = links[str(part)], i + 2
            obj_end = i
        elif part in one_to_one_props(kind):
            kind, i = ONE_TO_ONE_LINK[str(part)][0], i + 1
            obj_end = i
        else:
            break
    return kind, parts[:obj_end]


def _reason(error: ValidationError) -> str:
    validator = error.validator
    if validator == "required":
        return "is required but missing"
    if validator == "type":
        wanted = error.validator_value
        wanted_text = " or ".join(wanted) if isinstance(wanted, list) else wanted
        got = _JSON_TYPES.get(type(error.instance), type(error.instance).__name__)
        return f"must be of type {wanted_text}, but is {got} ({error.instance!r:.60})"
    if validator == "enum":
        options = ", ".join(repr(v) for v in error.validator_value)
        return f"{error.instance!r:.60} is not one of the allowed values: {options}"
    if validator == "format":
        return f"{error.instance!r:.60} is not a valid {error.validator_value}"
    return str(error.message)


def _lookup(doc: Any, parts: list[str | int]) -> Any:
    for part in parts:
        try:
            doc = doc[part]
        except (KeyError, IndexError, TypeError):
            return None
    return doc


def schema_errors(doc: Any, kind: str, *, prefix: list[str | int] | None = None) -> list[HsdsError]:
    """Errors of one document against the official schema of its kind."""
    validator = validator_for_kind(kind)
    errors: list[HsdsError] = []
    for error in validator.iter_errors(doc):
        parts: list[str | int] = list(error.absolute_path)
        if error.validator == "required":
            missing = str(error.message).split("'")[1] if "'" in str(error.message) else ""
            parts.append(missing)
        obj_kind, obj_parts = _kind_at(kind, parts)
        obj = _lookup(doc, obj_parts)
        oid = obj.get("id") if isinstance(obj, Mapping) else None
        errors.append(
            HsdsError(
                json_path([*(prefix or []), *parts]),
                _reason(error),
                obj_kind,
                oid if isinstance(oid, str) else None,
            )
        )
    return sorted(errors, key=lambda e: e.path)


# --------------------------------------------------------------------------- dataset rules


def _link_target(kind: str, name: str, record: Mapping[str, Any]) -> str | None:
    """Which table an ``*_id`` field of ``kind`` points into (None: not a link)."""
    if name == "link_id":
        entity = record.get("link_entity")
        return entity if entity in OBJECT_KINDS else None
    if name == "resource_id":
        entity = record.get("resource_type")
        return entity if entity in OBJECT_KINDS else None
    if name == "parent_organization_id":
        return "organization"
    if name == "parent_id" and kind == "taxonomy_term":
        return "taxonomy_term"
    if name.endswith("_id") and name.removesuffix("_id") in OBJECT_KINDS:
        return name.removesuffix("_id")
    return None


def _where(dataset: HsdsDataset, kind: str, oid: str, name: str | None) -> dict[str, Any]:
    origin = dataset.origin(kind, oid) or Origin(f"$.{kind}[?(@.id=='{oid}')]")
    path = origin.path + (f".{name}" if name else "")
    return {
        "path": path,
        "kind": kind,
        "object_id": oid,
        "file": origin.file,
        "row": origin.row,
        "column": name if origin.file else None,
    }


def _reference_errors(dataset: HsdsDataset, known: KnownIds) -> list[HsdsError]:
    errors = []
    for kind, table in dataset.tables():
        for oid, record in table.items():
            for name, value in record.items():
                target = _link_target(kind, name, record)
                if target is None or not isinstance(value, str):
                    continue
                if value in dataset.table(target) or value in known.get(target, ()):
                    continue
                if target == "taxonomy_term":
                    reason = f"refers to taxonomy term {value!r}, which is not a known term"
                else:
                    reason = f"refers to {target} {value!r}, which is not in the data"
                errors.append(HsdsError(reason=reason, **_where(dataset, kind, oid, name)))
    return errors


def _coordinate_errors(dataset: HsdsDataset) -> list[HsdsError]:
    errors = []
    limits = {"latitude": 90.0, "longitude": 180.0}
    for oid, record in dataset.locations.items():
        present = [n for n in limits if n in record]
        if len(present) == 1:
            missing = "longitude" if present[0] == "latitude" else "latitude"
            errors.append(
                HsdsError(
                    reason=f"has {present[0]} but no {missing}; give both or neither",
                    **_where(dataset, "location", oid, missing),
                )
            )
        for name, limit in limits.items():
            value = record.get(name)
            if _out_of_range(value, limit):
                errors.append(
                    HsdsError(
                        reason=f"{value} is outside the valid range -{limit:g}..{limit:g}",
                        **_where(dataset, "location", oid, name),
                    )
                )
    return errors


def _out_of_range(value: Any, limit: float) -> bool:
    """Wrong types are the schema's to report; NaN is out of every range."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    return not -limit <= value <= limit


def validate_dataset(dataset: HsdsDataset, *, known_ids: KnownIds | None = None) -> list[HsdsError]:
    """Rules beyond the schema over a whole document set.

    ``known_ids`` (kind -> ids) lists objects that already exist elsewhere (the database),
    so that a service may point at an organization imported earlier.
    """
    known = known_ids or {}
    return (
        _reference_errors(dataset, known)
        + _coordinate_errors(dataset)
        + _url_errors(dataset)
        + _age_errors(dataset)
    )


def semantic_problems(
    dataset: HsdsDataset, *, known_ids: KnownIds | None = None
) -> list[HsdsError]:
    """Problems in schema-valid data that an import can step around: a reference to an
    object not in the data (or the database), a coordinate out of range or without its
    pair. Publishers' real feeds have them; `repair` drops exactly the offending value."""
    return _reference_errors(dataset, known_ids or {}) + _coordinate_errors(dataset)


def repair(dataset: HsdsDataset, problems: list[HsdsError]) -> None:
    """Drop the value each semantic problem is about (a dangling reference, a coordinate:
    then both coordinates of that location, as one without the other means nothing)."""
    for problem in problems:
        if problem.kind is None or problem.object_id is None:
            continue
        record = dataset.table(problem.kind).get(problem.object_id)
        if record is None:
            continue
        name = problem.column or problem.path.rsplit(".", 1)[-1]
        if name in ("latitude", "longitude"):
            record.pop("latitude", None)
            record.pop("longitude", None)
        else:
            record.pop(name, None)


# Fields holding a web address shown as a link: only these schemes may be stored. (The
# `uri` fields are identifiers, e.g. urn:, and are never rendered as links.)
URL_FIELDS = frozenset({"url", "website", "schedule_link"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
MIN_AGE, MAX_AGE = 0, 120  # as facit.directory.models (ages a service may state)


def url_allowed(value: str) -> bool:
    """http(s), mailto or tel only (no javascript:, data:, file:, ...)."""
    from urllib.parse import urlsplit

    text = "".join(value.split()).lower()  # browsers ignore whitespace inside the scheme
    try:
        scheme = urlsplit(text).scheme
    except ValueError:
        return False
    return scheme in URL_SCHEMES


def _url_errors(dataset: HsdsDataset) -> list[HsdsError]:
    errors = []
    for kind, table in dataset.tables():
        for oid, record in table.items():
            for name in URL_FIELDS & record.keys():
                value = record[name]
                if isinstance(value, str) and value and not url_allowed(value):
                    errors.append(
                        HsdsError(
                            reason="a web address must begin with http://, https://, mailto: or tel:",
                            **_where(dataset, kind, oid, name),
                        )
                    )
    return errors


def _age_errors(dataset: HsdsDataset) -> list[HsdsError]:
    errors = []
    for oid, record in dataset.services.items():
        ages = {n: record.get(n) for n in ("minimum_age", "maximum_age")}
        numbers = {
            n: v for n, v in ages.items() if isinstance(v, (int, float)) and not isinstance(v, bool)
        }
        bad = False
        for name, value in numbers.items():
            if not MIN_AGE <= value <= MAX_AGE:
                bad = True
                errors.append(
                    HsdsError(
                        reason=f"{value} is not an age between {MIN_AGE} and {MAX_AGE}",
                        **_where(dataset, "service", oid, name),
                    )
                )
        if not bad and len(numbers) == 2 and numbers["minimum_age"] > numbers["maximum_age"]:
            errors.append(
                HsdsError(
                    reason="minimum_age is above maximum_age",
                    **_where(dataset, "service", oid, "maximum_age"),
                )
            )
    return errors


def validate_document(
    doc: Any, *, kind: str | None = None, known_ids: KnownIds | None = None
) -> list[HsdsError]:
    """Every problem in one HSDS JSON document (schema first, then cross-object rules).

    ``kind`` is one of :data:`DOCUMENT_KINDS` or ``"bundle"``; when omitted it is sniffed.
    """
    errors, _dataset = check_document(doc, kind=kind, known_ids=known_ids)
    return errors


def check_document(
    doc: Any, *, kind: str | None = None, known_ids: KnownIds | None = None
) -> tuple[list[HsdsError], HsdsDataset]:
    """Like :func:`validate_document`, also returning the dataset built from the document."""
    dataset = HsdsDataset()
    try:
        kind = kind or sniff_kind(doc)
    except UnknownKindError as exc:
        return [HsdsError("$", f"not an HSDS document: {exc}")], dataset
    if kind != BUNDLE and kind not in DOCUMENT_KINDS:
        return [HsdsError("$", f"unknown document kind {kind!r}")], dataset
    errors = _structure_errors(doc, kind, dataset)
    return errors + validate_dataset(dataset, known_ids=known_ids), dataset


def _structure_errors(doc: Any, kind: str, dataset: HsdsDataset) -> list[HsdsError]:
    if kind == BUNDLE:
        errors = []
        for item_kind, items in doc.items():
            for index, item in enumerate(items):
                errors += schema_errors(item, item_kind, prefix=[item_kind, index])
            errors += flatten_into(dataset, items, item_kind, prefix=[item_kind])
        return errors
    if kind in OBJECT_KINDS and isinstance(doc, list):
        errors = []
        for index, item in enumerate(doc):
            errors += schema_errors(item, kind, prefix=[index])
        return errors + flatten_into(dataset, doc, kind)
    if kind.endswith("_list") and isinstance(doc, list):
        errors = []
        for index, item in enumerate(doc):
            errors += schema_errors(item, kind, prefix=[index])
        return errors + flatten_into(dataset, doc, kind)
    if kind.endswith("_list") and isinstance(doc, Mapping):
        errors = []
        for index, item in enumerate(doc.get("contents") or []):
            errors += schema_errors(item, kind, prefix=["contents", index])
        return errors + flatten_into(dataset, doc, kind)
    return schema_errors(doc, kind) + flatten_into(dataset, doc, kind)
