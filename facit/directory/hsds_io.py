"""Between the database and the pure HSDS layer (facit.directory.hsds): build an
:class:`HsdsDataset` from the models for export and the HSDS API, and import one atomically.

Protected addresses never leave this module: they are dropped, and the coordinates of their
locations too, before any record is built — so the page, the APIs and every export agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from facit.directory.models import (
    Address,
    Attribute,
    Contact,
    CostOption,
    County,
    HsdsExtra,
    Language,
    Location,
    Municipality,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

# Kinds facit keeps as models, parents before children (the order of an import).
MODELS: dict[str, type[models.Model]] = {
    "taxonomy": Taxonomy,
    "taxonomy_term": TaxonomyTerm,
    "organization": Organization,
    "service": Service,
    "location": Location,
    "service_at_location": ServiceAtLocation,
    "address": Address,
    "contact": Contact,
    "phone": Phone,
    "schedule": Schedule,
    "service_area": ServiceArea,
    "language": Language,
    "cost_option": CostOption,
    "attribute": Attribute,
}
# HSDS field -> model attribute where the names differ.
RENAMED = {("taxonomy_term", "taxonomy_id"): "taxonomy_detail_id"}
_EXTENT = re.compile(r"^facit:(national|county|municipality|radius)(?:=(.*))?$")


def _attr(kind: str, name: str) -> str:
    return RENAMED.get((kind, name), name)


def _scalars(kind: str) -> frozenset[str]:
    from facit.directory.hsds.model import SCALARS

    return SCALARS[kind]


def _value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def record_of(kind: str, obj: models.Model) -> dict[str, Any]:
    """The flat HSDS record of one object: its scalar fields, empty ones left out."""
    out: dict[str, Any] = {}
    for name in _scalars(kind):
        attr = _attr(kind, name)
        if not hasattr(obj, attr):
            continue
        value = getattr(obj, attr)
        if value is None or value == "":
            continue
        out[name] = _value(value)
    if kind == "location" and getattr(obj, "is_protected", False):
        out.pop("latitude", None)
        out.pop("longitude", None)
    if kind == "service_area":
        out.update(_extent_of(obj))  # type: ignore[arg-type]
    if kind in ("organization", "taxonomy", "taxonomy_term") and not out.get("description"):
        # HSDS requires a description; facit's editors may leave it empty.
        out["description"] = out.get("name", "")
    return out


def _extent_of(area: ServiceArea) -> dict[str, str]:
    if area.extent or area.scope == ServiceArea.Scope.OTHER:
        return {}
    code = {
        "national": "SE",
        "county": area.county_id or "",
        "municipality": area.municipality_id or "",
        "radius": f"{area.latitude},{area.longitude},{area.radius_km}",
    }[area.scope]
    return {"extent": f"facit:{area.scope}={code}", "extent_type": "text"}


# --------------------------------------------------------------------------- export


@dataclass
class _Collected:
    objects: dict[str, list[models.Model]] = field(default_factory=dict)


def _published_services(service_ids: Iterable[str] | None) -> QuerySet[Service]:
    qs = Service.objects.published()
    if service_ids is not None:
        qs = qs.filter(pk__in=list(service_ids))
    return qs


def dataset_from_db(
    *,
    service_ids: Iterable[str] | None = None,
    organization_ids: Iterable[str] | None = None,
    with_extras: bool = True,
) -> Any:
    """The published directory (or the given services / organisations) as an HsdsDataset."""
    from facit.directory.hsds import HsdsDataset

    orgs = Organization.objects.published()
    services: QuerySet[Service]
    if organization_ids is not None:
        orgs = orgs.filter(pk__in=list(organization_ids))
        services = Service.objects.published().filter(organization__in=orgs)
    else:
        services = _published_services(service_ids)
        if service_ids is not None:
            orgs = orgs.filter(services__in=services).distinct()
    service_list = list(services)
    sids = [s.pk for s in service_list]
    org_list = list(orgs)
    oids = [o.pk for o in org_list]
    sals = list(ServiceAtLocation.objects.filter(service_id__in=sids))
    location_q = Q(pk__in=[s.location_id for s in sals])
    if organization_ids is not None or service_ids is None:
        location_q |= Q(organization_id__in=oids)
    locations = list(Location.objects.filter(location_q))
    lids = [loc.pk for loc in locations]
    salids = [s.pk for s in sals]
    owners = (
        Q(service_id__in=sids)
        | Q(location_id__in=lids)
        | Q(organization_id__in=oids)
        | Q(service_at_location_id__in=salids)
    )
    contacts = list(Contact.objects.filter(owners))
    cids = [c.pk for c in contacts]
    phones = list(Phone.objects.filter(owners | Q(contact_id__in=cids)))
    objects: dict[str, Sequence[models.Model]] = {
        "organization": org_list,
        "service": service_list,
        "location": locations,
        "service_at_location": sals,
        "address": list(Address.objects.filter(location_id__in=lids, is_protected=False)),
        "contact": contacts,
        "phone": phones,
        "schedule": list(
            Schedule.objects.filter(
                Q(service_id__in=sids)
                | Q(location_id__in=lids)
                | Q(service_at_location_id__in=salids)
            )
        ),
        "service_area": list(ServiceArea.objects.filter(service_id__in=sids)),
        "language": list(
            Language.objects.filter(
                Q(service_id__in=sids)
                | Q(location_id__in=lids)
                | Q(phone_id__in=[p.pk for p in phones])
            )
        ),
        "cost_option": list(CostOption.objects.filter(service_id__in=sids)),
    }
    exported = {k: {o.pk for o in v} for k, v in objects.items()}
    linked = set().union(*exported.values())
    attributes = [a for a in Attribute.objects.filter(link_id__in=list(linked))]
    term_ids = {a.taxonomy_term_id for a in attributes if a.taxonomy_term_id}
    terms = list(TaxonomyTerm.objects.filter(pk__in=term_ids))
    term_ids |= {t.parent_id for t in terms if t.parent_id}
    terms = list(TaxonomyTerm.objects.filter(pk__in=term_ids))
    objects["attribute"] = attributes
    objects["taxonomy_term"] = terms
    objects["taxonomy"] = list(
        Taxonomy.objects.filter(
            pk__in={t.taxonomy_detail_id for t in terms if t.taxonomy_detail_id}
        )
    )
    dataset = HsdsDataset()
    for kind, objs in objects.items():
        table = dataset.table(kind)
        for obj in objs:
            table[obj.pk] = record_of(kind, obj)
    if with_extras and service_ids is None and organization_ids is None:
        for extra in HsdsExtra.objects.all():
            dataset.table(extra.kind)[extra.object_id] = dict(extra.data)
    _drop_dangling(dataset)
    return dataset


def _drop_dangling(dataset: Any) -> None:
    """Links to objects outside the export (e.g. an unpublished organisation) are removed,
    so that what is exported always validates on its own."""
    from facit.directory.hsds.validate import _link_target

    changed = True
    while changed:
        changed = False
        for kind, table in dataset.tables():
            for oid in list(table):
                record = table[oid]
                for name, value in list(record.items()):
                    target = _link_target(kind, name, record)
                    if target is None or value in dataset.table(target):
                        continue
                    if name in ("link_id", "service_id", "location_id") and kind in (
                        "attribute",
                        "service_at_location",
                        "address",
                    ):
                        del table[oid]  # it means nothing without its owner
                        changed = True
                        break
                    del record[name]


# --------------------------------------------------------------------------- import


@dataclass
class ImportSummary:
    counts: dict[str, int]
    warnings: list[Any] = field(default_factory=list)  # HsdsError, each with its JSON path

    def __str__(self) -> str:
        parts = [f"{n} {k}" for k, n in self.counts.items() if n]
        return "imported " + (", ".join(parts) if parts else "nothing")


def known_ids() -> dict[str, set[str]]:
    """Ids already in the database, so that imported objects may point at them."""
    out: dict[str, set[str]] = {}
    for kind, model in MODELS.items():
        out[kind] = set(model._default_manager.values_list("pk", flat=True))
    for kind, oid in HsdsExtra.objects.values_list("kind", "object_id"):
        out.setdefault(kind, set()).add(oid)
    return out


def _area_scope(record: dict[str, Any]) -> dict[str, Any]:
    """facit's structured reach of a service area, from its extent or its name."""
    match = _EXTENT.match(record.get("extent", "") or "")
    if match:
        scope, code = match.group(1), match.group(2) or ""
        if scope == "county" and County.objects.filter(code=code).exists():
            return {"scope": scope, "county_id": code}
        if scope == "municipality" and Municipality.objects.filter(code=code).exists():
            return {"scope": scope, "municipality_id": code}
        if scope == "radius":
            try:
                lat, lon, km = (float(x) for x in code.split(","))
            except ValueError:
                return {"scope": "other"}
            if not (0 < km <= 200 and -90 <= lat <= 90 and -180 <= lon <= 180):
                return {"scope": "other"}
            return {"scope": scope, "latitude": lat, "longitude": lon, "radius_km": km}
        if scope == "national":
            return {"scope": scope}
    name = (record.get("name") or "").strip()
    if name.casefold() in {"sverige", "sweden", "hela sverige", "national"}:
        return {"scope": "national"}
    municipality = Municipality.objects.filter(name__iexact=name).first()
    if municipality is not None:
        return {"scope": "municipality", "municipality_id": municipality.code}
    county = County.objects.filter(name__iexact=name).first()
    if county is not None:
        return {"scope": "county", "county_id": county.code}
    return {"scope": "other"}


def by_attname(model: type[models.Model]) -> dict[str, models.Field]:
    return {f.attname: f for f in model._meta.concrete_fields}


def fields_for(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    fields = by_attname(MODELS[kind])
    out: dict[str, Any] = {}
    for name in _scalars(kind):
        attr = _attr(kind, name)
        if attr not in fields or attr == "id":
            continue
        value = record.get(name)
        if value is None:
            value = None if fields[attr].null else ""
        out[attr] = value
    if kind == "service_area":
        out.update(
            {
                "scope": "other",
                "county_id": None,
                "municipality_id": None,
                "latitude": None,
                "longitude": None,
                "radius_km": None,
            }
        )
        out.update(_area_scope(record))
        box = ServiceArea(**{k: v for k, v in out.items() if k in by_attname(ServiceArea)})
        box.set_bounds()
        out.update(
            min_latitude=box.min_latitude,
            max_latitude=box.max_latitude,
            min_longitude=box.min_longitude,
            max_longitude=box.max_longitude,
        )
    return out


def import_path(path: str | Path, *, actor: Any = None, strict: bool = True) -> ImportSummary:
    """Read and check the data at ``path``; the writing is the service
    :func:`facit.directory.services.hsds_dataset_import`, which checks the actor's role.

    Validate everything first (schema, references, coordinates, duplicates); raises
    HsdsValidationError listing every problem and imports nothing; otherwise imports all.

    With strict=False, referential and semantic problems in schema-valid data are warnings
    (summary.warnings, each with its JSON path): the offending value is dropped and the rest
    is imported."""
    from django.conf import settings

    from facit.directory.hsds.loading import load_any, load_lenient
    from facit.directory.hsds.tabular import zip_limits_set
    from facit.directory.services import hsds_dataset_import

    zip_limits_set(
        members=int(getattr(settings, "FACIT_HSDS_ZIP_MAX_MEMBERS", 200)),
        max_bytes=int(getattr(settings, "FACIT_HSDS_ZIP_MAX_BYTES", 200 * 1024 * 1024)),
    )
    if strict:
        dataset = load_any(path, known_ids=known_ids())
        warnings: list[Any] = []
    else:
        dataset, warnings = load_lenient(path, known_ids=known_ids())
    summary = hsds_dataset_import(dataset=dataset, actor=actor, source=Path(path).name)
    summary.warnings = warnings
    return summary


def export_all(target: Path) -> list[Path]:
    """JSON and tabular exports side by side, from one consistent snapshot."""
    import json

    from facit.directory.hsds import dataset_to_json, write_tabular

    dataset = dataset_from_db()
    json_dir = target / "json"
    json_dir.mkdir(parents=True, exist_ok=True)
    docs = dataset_to_json(dataset)
    bundle = json_dir / "hsds.json"  # every kind in one document: what hsds_import reads back
    bundle.write_text(json.dumps(docs, ensure_ascii=False, indent=1), encoding="utf-8")
    written = [bundle]
    for kind, items in docs.items():
        path = json_dir / f"{kind}_list.json"
        path.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
        written.append(path)
    written.append(write_tabular(dataset, target / "tabular"))
    return written
