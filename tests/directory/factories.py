"""Invented directory objects for tests (not real-world facts)."""

from __future__ import annotations

import itertools
from typing import Any

from facit.directory import vocab
from facit.directory.models import (
    Address,
    Attribute,
    Location,
    Organization,
    Phone,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from facit.directory.services import locations_protection_sync, service_index

_n = itertools.count(1)


def organization(**fields: Any) -> Organization:
    fields.setdefault("name", f"Invented organisation {next(_n)}")
    return Organization.objects.create(**fields)


def service(
    *,
    org: Organization | None = None,
    areas: tuple[tuple[str, Any], ...] = (("national", None),),
    terms: tuple[str, ...] = (),
    at: tuple[float, float] | None = None,
    phone: str = "",
    address: dict[str, Any] | None = None,
    **fields: Any,
) -> Service:
    fields.setdefault("name", f"Invented service {next(_n)}")
    s = Service.objects.create(organization=org or organization(), **fields)
    for scope, value in areas:
        area: dict[str, Any] = {"scope": scope}
        if scope == "county":
            area["county_id"] = value
        elif scope == "municipality":
            area["municipality_id"] = value
        elif scope == "radius":
            area["latitude"], area["longitude"], area["radius_km"] = value
        ServiceArea.objects.create(service=s, name=str(value or "Sverige"), **area)
    for code in terms:
        Attribute.objects.create(
            link_id=s.pk, link_entity="service", taxonomy_term_id=vocab.term_id(code)
        )
    if at is not None or address is not None:
        lat, lon = at if at is not None else (None, None)
        loc = Location.objects.create(name=f"{s.name} office", latitude=lat, longitude=lon)
        ServiceAtLocation.objects.create(service=s, location=loc)
        if address is not None:
            Address.objects.create(location=loc, **address)
            locations_protection_sync()
    if phone:
        Phone.objects.create(service=s, number=phone)
    service_index(service=s)
    return s
