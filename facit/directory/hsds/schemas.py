"""Registry of the official HSDS 3.0 JSON Schemas shipped in ``data/hsds-3.0/schema``.

The compiled schemas are several megabytes each (every nested object is expanded in
place), so each file is parsed once per process and its validator is cached.

Human Services Data Specification: an Open Referral resource (CC BY-SA 4.0).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.protocols import Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parents[3] / "data" / "hsds-3.0" / "schema"
# The schema files carry no ``$schema``; the HSDS OpenAPI document declares 2020-12 as its
# ``jsonSchemaDialect``, so that is the draft used when a file does not name one.
DEFAULT_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_BASE_URI = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"

#: Object kinds with a per-object schema file, in the tabular order of the specification.
OBJECT_KINDS: tuple[str, ...] = (
    "organization",
    "program",
    "service",
    "attribute",
    "service_at_location",
    "location",
    "phone",
    "contact",
    "address",
    "schedule",
    "funding",
    "service_area",
    "required_document",
    "language",
    "accessibility",
    "taxonomy_term",
    "metadata",
    "meta_table_description",
    "cost_option",
    "organization_identifier",
    "taxonomy",
)
#: Kinds with a fully expanded schema in ``compiled/`` (plus ``*_list`` and ``*_package``).
COMPILED_KINDS: tuple[str, ...] = ("organization", "service", "service_at_location")
DOCUMENT_KINDS: tuple[str, ...] = (
    *OBJECT_KINDS,
    *(f"{k}_list" for k in COMPILED_KINDS),
    *(f"{k}_package" for k in COMPILED_KINDS),
    "tabular",
)


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One table of the tabular form: its CSV file and scalar columns with their types."""

    kind: str
    path: str
    columns: tuple[str, ...]
    types: dict[str, str]
    formats: dict[str, str]
    required: tuple[str, ...]
    tabular_required: tuple[str, ...]


def _read(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Return a parsed schema; ``name`` is e.g. ``"service"`` or ``"compiled/service"``."""
    return _read(SCHEMA_DIR / f"{name}.json")


@cache
def _registry() -> Registry:
    """Per-object schemas refer to each other by file name (``"phone.json"``)."""
    resources = []
    for kind in OBJECT_KINDS:
        resource = Resource.from_contents(load_schema(kind), default_specification=DRAFT202012)
        resources.append((_BASE_URI + f"{kind}.json", resource))
    registry: Registry = Registry().with_resources(resources)
    return registry


def _schema_name(kind: str) -> str:
    if kind == "tabular":
        return "compiled/tabular"
    base = kind.removesuffix("_list").removesuffix("_package")
    if base in COMPILED_KINDS:
        return f"compiled/{kind}"
    if kind in OBJECT_KINDS:
        return kind
    raise KeyError(kind)


@cache
def validator_for_kind(kind: str) -> Validator:
    """A cached validator for a document kind, built for the draft its schema declares."""
    name = _schema_name(kind)
    schema = dict(load_schema(name))
    if name == kind:  # a per-object schema: give it an id so "phone.json" refs resolve
        schema.setdefault("$id", _BASE_URI + f"{kind}.json")
    cls = jsonschema.validators.validator_for(
        schema,
        default=jsonschema.validators.validator_for({"$schema": DEFAULT_DIALECT}),
    )
    # A full meta-schema check of a compiled schema takes seconds; the tests check the
    # per-object, list and tabular schemas in full, the compiled ones at the top level.
    cls.check_schema({k: v for k, v in schema.items() if k not in ("properties", "items")})
    validator: Validator = cls(schema, registry=_registry(), format_checker=cls.FORMAT_CHECKER)
    return validator


def object_properties(kind: str) -> dict[str, dict[str, Any]]:
    """Properties of a per-object schema (not expanded)."""
    props: dict[str, dict[str, Any]] = load_schema(kind)["properties"]
    return props


@cache
def table_specs() -> dict[str, TableSpec]:
    """The tabular form from ``compiled/tabular.json``: one CSV per object kind."""
    tabular = load_schema("compiled/tabular")["properties"]
    specs: dict[str, TableSpec] = {}
    for kind in OBJECT_KINDS:
        item = tabular[kind]["items"]
        scalar = {
            name: prop
            for name, prop in item["properties"].items()
            if prop.get("type") in ("string", "number", "integer", "boolean")
        }
        specs[kind] = TableSpec(
            kind=kind,
            path=item["path"],
            columns=tuple(scalar),
            types={name: prop["type"] for name, prop in scalar.items()},
            formats={name: prop["format"] for name, prop in scalar.items() if "format" in prop},
            required=tuple(item.get("required", ())),
            tabular_required=tuple(item.get("tabular_required", ())),
        )
    return specs
