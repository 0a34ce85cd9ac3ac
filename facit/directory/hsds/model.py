"""The plain HSDS dataset container and its conversion to and from nested JSON.

A dataset holds every HSDS object *flat* (scalar fields only, links as ``*_id`` fields),
one dict per table keyed by id. That is the shape a relational store needs; nested JSON
is produced on demand by following the links the schemas define.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any

from .errors import HsdsError, HsdsValidationError, json_path
from .schemas import COMPILED_KINDS, OBJECT_KINDS, object_properties

Record = dict[str, Any]
Table = dict[str, Record]

TABLE_ATTRS: dict[str, str] = {
    "organization": "organizations",
    "program": "programs",
    "service": "services",
    "attribute": "attributes",
    "service_at_location": "service_at_locations",
    "location": "locations",
    "phone": "phones",
    "contact": "contacts",
    "address": "addresses",
    "schedule": "schedules",
    "funding": "fundings",
    "service_area": "service_areas",
    "required_document": "required_documents",
    "language": "languages",
    "accessibility": "accessibilities",
    "taxonomy_term": "taxonomy_terms",
    "metadata": "metadata",
    "meta_table_description": "meta_table_descriptions",
    "cost_option": "cost_options",
    "organization_identifier": "organization_identifiers",
    "taxonomy": "taxonomies",
}
# A nested single object (``service.organization``) is linked by this field of its parent.
ONE_TO_ONE_LINK: dict[str, tuple[str, str]] = {
    "organization": ("organization", "organization_id"),
    "program": ("program", "program_id"),
    "location": ("location", "location_id"),
    "service": ("service", "service_id"),
    "taxonomy_term": ("taxonomy_term", "taxonomy_term_id"),
    "taxonomy_detail": ("taxonomy", "taxonomy_id"),
}
# Parents come before children so that standalone export nests as much as it can.
EXPORT_ORDER: tuple[str, ...] = (
    "organization",
    "service",
    "location",
    "service_at_location",
    "program",
    "contact",
    "phone",
    *(
        k
        for k in OBJECT_KINDS
        if k
        not in (
            "organization",
            "service",
            "location",
            "service_at_location",
            "program",
            "contact",
            "phone",
        )
    ),
)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record was first seen, for error messages."""

    path: str
    file: str | None = None
    row: int | None = None


@dataclass
class HsdsDataset:
    """All HSDS objects of an import or export, flat and keyed by id, one dict per table."""

    organizations: Table = field(default_factory=dict)
    programs: Table = field(default_factory=dict)
    services: Table = field(default_factory=dict)
    attributes: Table = field(default_factory=dict)
    service_at_locations: Table = field(default_factory=dict)
    locations: Table = field(default_factory=dict)
    phones: Table = field(default_factory=dict)
    contacts: Table = field(default_factory=dict)
    addresses: Table = field(default_factory=dict)
    schedules: Table = field(default_factory=dict)
    fundings: Table = field(default_factory=dict)
    service_areas: Table = field(default_factory=dict)
    required_documents: Table = field(default_factory=dict)
    languages: Table = field(default_factory=dict)
    accessibilities: Table = field(default_factory=dict)
    taxonomy_terms: Table = field(default_factory=dict)
    metadata: Table = field(default_factory=dict)
    meta_table_descriptions: Table = field(default_factory=dict)
    cost_options: Table = field(default_factory=dict)
    organization_identifiers: Table = field(default_factory=dict)
    taxonomies: Table = field(default_factory=dict)
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict, compare=False, repr=False)

    def table(self, kind: str) -> Table:
        """The table for an HSDS object kind (``"service"`` -> ``self.services``)."""
        table: Table = getattr(self, TABLE_ATTRS[kind])
        return table

    def tables(self) -> Iterator[tuple[str, Table]]:
        for kind in OBJECT_KINDS:
            yield kind, self.table(kind)

    def __len__(self) -> int:
        return sum(len(t) for _, t in self.tables())

    def origin(self, kind: str, object_id: str) -> Origin | None:
        return self.origins.get((kind, object_id))


assert {f.name for f in fields(HsdsDataset)} - {"origins"} == set(TABLE_ATTRS.values())


# --------------------------------------------------------------------------- relations


@dataclass(frozen=True, slots=True)
class ChildLink:
    """``parent.<prop>`` is an array of ``kind`` objects linked by ``child[link_field]``."""

    prop: str
    kind: str
    link_field: str
    entity_field: str | None  # attribute.link_entity / metadata.resource_type


@cache
def child_links(kind: str) -> tuple[ChildLink, ...]:
    """Array properties of a kind, derived from its per-object schema."""
    links = []
    for prop, spec in object_properties(kind).items():
        if spec.get("type") != "array" or "$ref" not in spec.get("items", {}):
            continue
        child = spec["items"]["$ref"].removesuffix(".json")
        if child == "attribute":
            links.append(ChildLink(prop, child, "link_id", "link_entity"))
        elif child == "metadata":
            links.append(ChildLink(prop, child, "resource_id", "resource_type"))
        else:
            links.append(ChildLink(prop, child, f"{kind}_id", None))
    if kind == "organization":  # only in the compiled schema
        links.append(ChildLink("services", "service", "organization_id", None))
    return tuple(links)


def _scalar_names(kind: str) -> frozenset[str]:
    return frozenset(
        name
        for name, spec in object_properties(kind).items()
        if spec.get("type") in ("string", "number", "integer", "boolean")
    )


@cache
def one_to_one_props(kind: str) -> tuple[str, ...]:
    """Properties of a kind holding one nested object linked by an ``*_id`` field."""
    props = [
        p for p, spec in object_properties(kind).items() if "$ref" in spec and p in ONE_TO_ONE_LINK
    ]
    if kind == "service_at_location":  # only in the compiled schema
        props.append("service")
    return tuple(props)


SCALARS: dict[str, frozenset[str]] = {kind: _scalar_names(kind) for kind in OBJECT_KINDS}


# --------------------------------------------------------------------------- JSON -> dataset


class _Flattener:
    def __init__(self, dataset: HsdsDataset) -> None:
        self.dataset = dataset
        self.errors: list[HsdsError] = []

    def error(self, parts: list[str | int], reason: str, kind: str, oid: str | None) -> None:
        self.errors.append(HsdsError(json_path(parts), reason, kind, oid))

    def walk(self, obj: Any, kind: str, parts: list[str | int], links: Record) -> str | None:
        """Store ``obj`` and everything nested in it; return its id."""
        if not isinstance(obj, Mapping):
            return None  # the schema validation reports the wrong type
        oid = obj.get("id")
        if not isinstance(oid, str) or not oid:
            return None  # reported by the schema as a missing or non-string id
        record = {k: v for k, v in obj.items() if k in SCALARS[kind] and v is not None}
        self._apply_links(record, links, kind, parts)
        for prop in one_to_one_props(kind):
            self._walk_single(obj, record, kind, prop, parts)
        self.store(kind, oid, record, parts)
        for link in child_links(kind):
            items = obj.get(link.prop)
            if not isinstance(items, list):
                continue
            values: Record = {link.link_field: oid}
            if link.entity_field:
                values[link.entity_field] = kind
            for index, item in enumerate(items):
                self.walk(item, link.kind, [*parts, link.prop, index], values)
        return oid

    def _apply_links(
        self, record: Record, links: Record, kind: str, parts: list[str | int]
    ) -> None:
        """A nested child gets its parent's id; an explicit different one is an error."""
        for name, value in links.items():
            if name in record and record[name] != value:
                reason = f"says {record[name]!r} but the object is nested under {value!r}"
                self.error([*parts, name], reason, kind, record["id"])
            else:
                record[name] = value

    def _walk_single(
        self,
        obj: Mapping[str, Any],
        record: Record,
        kind: str,
        prop: str,
        parts: list[str | int],
    ) -> None:
        """A nested single object (``service.organization``) fills the parent's link."""
        child_kind, link_field = ONE_TO_ONE_LINK[prop]
        child_id = self.walk(obj.get(prop), child_kind, [*parts, prop], {})
        if child_id is None:
            return
        if record.get(link_field, child_id) != child_id:
            reason = f"says {record[link_field]!r} but the nested {prop} has id {child_id!r}"
            self.error([*parts, link_field], reason, kind, record["id"])
        record.setdefault(link_field, child_id)

    def store(self, kind: str, oid: str, record: Record, parts: list[str | int]) -> None:
        """Keep one record per id; identical repeated copies (a package repeating the same
        organization in every service) merge, differing copies are duplicate ids."""
        table = self.dataset.table(kind)
        existing = table.get(oid)
        if existing is None:
            table[oid] = record
            self.dataset.origins.setdefault((kind, oid), Origin(json_path(parts)))
            return
        differing = sorted(n for n, v in record.items() if n in existing and existing[n] != v)
        if differing:
            first = self.dataset.origins[(kind, oid)].path
            self.error(
                [*parts, "id"],
                f"duplicate {kind} id {oid!r}: differs from the {kind} at {first} "
                f"in {', '.join(differing)}",
                kind,
                oid,
            )
            return
        for name, value in record.items():
            existing.setdefault(name, value)


def flatten_into(
    dataset: HsdsDataset, doc: Any, kind: str, *, prefix: list[str | int] | None = None
) -> list[HsdsError]:
    """Add the objects of one document of a known ``kind`` to ``dataset``."""
    flattener = _Flattener(dataset)
    parts: list[str | int] = list(prefix or [])
    base = kind.removesuffix("_list").removesuffix("_package")
    if kind.endswith(("_list", "_package")):
        items = doc.get("contents") if isinstance(doc, Mapping) else doc
        if isinstance(doc, Mapping):
            parts.append("contents")
        for index, item in enumerate(items if isinstance(items, list) else []):
            flattener.walk(item, base, [*parts, index], {})
    elif isinstance(doc, list):
        for index, item in enumerate(doc):
            flattener.walk(item, kind, [*parts, index], {})
    else:
        flattener.walk(doc, kind, parts, {})
    return flattener.errors


# --------------------------------------------------------------------------- dataset -> JSON


class _Nester:
    def __init__(self, dataset: HsdsDataset, *, embed_terms: bool = False) -> None:
        self.dataset = dataset
        self.embed_terms = embed_terms
        self.emitted: set[tuple[str, str]] = set()
        self.index: dict[tuple[str, str, str | None], dict[str, list[str]]] = {}

    def children(self, parent_kind: str, parent_id: str, link: ChildLink) -> list[str]:
        key = (link.kind, link.link_field, parent_kind if link.entity_field else None)
        if key not in self.index:
            grouped: dict[str, list[str]] = defaultdict(list)
            for cid, rec in self.dataset.table(link.kind).items():
                if link.entity_field and rec.get(link.entity_field) != parent_kind:
                    continue
                if link.link_field in rec:
                    grouped[rec[link.link_field]].append(cid)
            self.index[key] = grouped
        return self.index[key].get(parent_id, [])

    def nest(self, kind: str, oid: str) -> Record:
        self.emitted.add((kind, oid))
        out: Record = dict(self.dataset.table(kind)[oid])
        if self.embed_terms and kind == "attribute":
            term = self.dataset.taxonomy_terms.get(out.get("taxonomy_term_id", ""))
            if term is not None:
                out["taxonomy_term"] = dict(term)
                taxonomy = self.dataset.taxonomies.get(term.get("taxonomy_id", ""))
                if taxonomy is not None:
                    out["taxonomy_term"]["taxonomy_detail"] = dict(taxonomy)
        for link in child_links(kind):
            ids = self.children(kind, oid, link)
            if ids:
                out[link.prop] = [self.nest(link.kind, cid) for cid in ids]
        return out


def dataset_to_json(dataset: HsdsDataset) -> dict[str, list[Record]]:
    """Export a dataset as HSDS JSON, grouped by document kind.

    Organizations come with everything nested under them (``services``, ``locations``,
    ``programs``, ...; each validates against ``compiled/organization.json``). Objects that
    hang under no organization follow as standalone documents of their own kind (a service
    without organization validates against ``compiled/service.json``, a taxonomy term
    against ``taxonomy_term.json``), so that the export loses nothing.
    """
    nester = _Nester(dataset)
    out: dict[str, list[Record]] = {}
    for kind in EXPORT_ORDER:
        docs = [
            nester.nest(kind, oid)
            for oid in dataset.table(kind)
            if (kind, oid) not in nester.emitted
        ]
        if docs:
            out[kind] = docs
    return out


def nested_object(dataset: HsdsDataset, kind: str, object_id: str) -> Record:
    """One object with everything that hangs under it nested (``location`` with its
    ``addresses``, ``phones``, ``schedules``...), attribute terms embedded."""
    return _Nester(dataset, embed_terms=True).nest(kind, object_id)


def service_document(dataset: HsdsDataset, service_id: str) -> Record:
    """One fully nested service as served by ``GET /services/{id}`` of the HSDS API, with
    its organization, program, locations and attribute terms embedded."""
    nester = _Nester(dataset, embed_terms=True)
    doc = nester.nest("service", service_id)
    rec = dataset.services[service_id]
    if rec.get("organization_id") in dataset.organizations:
        doc["organization"] = dict(dataset.organizations[rec["organization_id"]])
    if rec.get("program_id") in dataset.programs:
        doc["program"] = dict(dataset.programs[rec["program_id"]])
    for sal in doc.get("service_at_locations", []):
        if sal.get("location_id") in dataset.locations:
            sal["location"] = nester.nest("location", sal["location_id"])
    return doc


def dataset_from_json(docs: Any, *, kind: str | None = None) -> HsdsDataset:
    """Build a dataset from HSDS JSON: one document, a list, or ``dataset_to_json`` output.

    Raises :class:`HsdsValidationError` when objects cannot be placed (conflicting copies
    of one id, nested objects whose link says otherwise). Schema checks are the job of
    :func:`validate_document`; :func:`load_any` does both.
    """
    from .validate import sniff_kind

    dataset = HsdsDataset()
    errors: list[HsdsError] = []
    if kind is None and isinstance(docs, Mapping) and set(docs) <= set(OBJECT_KINDS):
        for doc_kind, items in docs.items():
            errors += flatten_into(dataset, items, doc_kind, prefix=[doc_kind])
    else:
        errors += flatten_into(dataset, docs, kind or sniff_kind(docs))
    if errors:
        raise HsdsValidationError(errors)
    return dataset


__all__ = [
    "COMPILED_KINDS",
    "HsdsDataset",
    "Origin",
    "dataset_from_json",
    "dataset_to_json",
    "nested_object",
    "service_document",
]
