"""Finding the services that fit: by place (municipality or point + radius), age, gender,
form of exploitation, language, cost, channel, open now and free text.

National services always appear; county services for municipalities in their county;
municipality services in their municipality; radius services when the place lies inside
their circle; with a point, services that have a location within the radius. Results are
ordered by relevance (text match, then how local the service is) and then by distance.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Exists, F, FloatField, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Power
from django.utils import timezone
from rapidfuzz import fuzz, process

from facit.directory import vocab
from facit.directory.models import (
    Attribute,
    Language,
    Location,
    Municipality,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from facit.directory.textsearch import stems

KM_PER_DEGREE = 111.195  # mean km per degree of latitude (great-circle, R = 6371.0088 km)
REACH_RANK = {"municipality": 0, "radius": 1, "near": 1, "county": 2, "national": 3, "": 4}
MAX_RADIUS_KM = 500.0


class UnknownMunicipality(Exception):
    """No municipality has this name or code; `suggestions` are the closest names."""

    def __init__(self, query: str, suggestions: list[Municipality]) -> None:
        super().__init__(f"unknown municipality {query!r}")
        self.query = query
        self.suggestions = suggestions


@dataclass
class SearchParams:
    municipality: str = ""
    lat: float | None = None
    lon: float | None = None
    radius_km: float = 25.0
    age: int | None = None
    gender: str = ""
    exploitation: list[str] = field(default_factory=list)
    audience: list[str] = field(default_factory=list)
    language: str = ""
    cost: str = ""
    channel: list[str] = field(default_factory=list)
    open_now: bool = False
    q: str = ""
    page: int = 1
    per_page: int = 20
    at: datetime | None = None  # "now" for open-now (tests fix it)

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass
class Hit:
    service: Service
    reach: str
    distance_km: float | None
    open_now: bool | None = None


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    place: Municipality | None

    @property
    def total_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


# --------------------------------------------------------------------------- places


def _all_municipalities() -> list[Municipality]:
    return list(Municipality.objects.select_related("county").order_by("code"))


def municipality_suggestions(query: str, limit: int = 5) -> list[Municipality]:
    everything = _all_municipalities()
    names = [m.name for m in everything]
    found = process.extract(query, names, scorer=fuzz.WRatio, limit=limit)
    return [everything[index] for _name, _score, index in found]


def municipality_resolve(query: str) -> Municipality:
    """By four-digit code or by name (any case, "kommun"/"stad" suffix allowed)."""
    text = " ".join(query.split())
    qs = Municipality.objects.select_related("county")
    if text.isdigit():
        found = qs.filter(code=text.zfill(4)).first()
    else:
        cleaned = text
        for suffix in (" kommun", " stad"):
            if cleaned.lower().endswith(suffix):
                cleaned = cleaned[: -len(suffix)]
        found = qs.filter(name__iexact=cleaned).first()
    if found is None:
        raise UnknownMunicipality(query, municipality_suggestions(text))
    return found


def nearest_municipality(lat: float, lon: float) -> Municipality | None:
    best: tuple[float, Municipality] | None = None
    for m in _all_municipalities():
        d = haversine_km(lat, lon, m.latitude, m.longitude)
        if best is None or d < best[0]:
            best = (d, m)
    return best[1] if best else None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


# --------------------------------------------------------------------------- coverage


def _bbox(lat: float, lon: float, km: float) -> tuple[tuple[float, float], tuple[float, float]]:
    dlat = km / KM_PER_DEGREE
    dlon = km / (KM_PER_DEGREE * max(0.01, math.cos(math.radians(lat))))
    return (lat - dlat, lat + dlat), (lon - dlon, lon + dlon)


def _coverage(
    place: Municipality | None, lat: float, lon: float, radius_km: float | None
) -> dict[str, str]:
    """service id -> how it reaches this place (the most local way wins)."""
    cond = Q(scope=ServiceArea.Scope.NATIONAL)
    if place is not None:
        cond |= Q(scope=ServiceArea.Scope.COUNTY, county_id=place.county_id)
        cond |= Q(scope=ServiceArea.Scope.MUNICIPALITY, municipality_id=place.code)
    cond |= Q(scope=ServiceArea.Scope.RADIUS, **_range("", lat, lon, MAX_RADIUS_KM))
    reach: dict[str, str] = {}
    rows = ServiceArea.objects.filter(cond).values_list(
        "service_id", "scope", "latitude", "longitude", "radius_km"
    )
    for sid, scope, alat, alon, radius in rows:
        if sid is None:
            continue
        if scope == ServiceArea.Scope.RADIUS and haversine_km(lat, lon, alat, alon) > radius:
            continue
        _better(reach, sid, scope)
    if radius_km is not None:
        for sid in _near_services(lat, lon, radius_km):
            _better(reach, sid, "near")
    return reach


def _range(prefix: str, lat: float, lon: float, km: float) -> dict[str, Any]:
    lat_range, lon_range = _bbox(lat, lon, km)
    return {f"{prefix}latitude__range": lat_range, f"{prefix}longitude__range": lon_range}


def _near_services(lat: float, lon: float, radius_km: float) -> set[str]:
    rows = ServiceAtLocation.objects.filter(
        location__is_protected=False, **_range("location__", lat, lon, radius_km)
    ).values_list("service_id", "location__latitude", "location__longitude")
    return {sid for sid, la, lo in rows if haversine_km(lat, lon, la, lo) <= radius_km}


def _better(reach: dict[str, str], sid: str, how: str) -> None:
    if REACH_RANK[how] < REACH_RANK[reach.get(sid, "")]:
        reach[sid] = how


# --------------------------------------------------------------------------- filters


def _has_term(codes: Iterable[str]) -> Exists:
    ids = [vocab.term_id(c) for c in codes]
    return Exists(Attribute.objects.filter(link_id=OuterRef("pk"), taxonomy_term_id__in=ids))


def _lenient(qs: QuerySet[Service], vocabulary: str, chosen: list[str]) -> QuerySet[Service]:
    """Services that state none of this vocabulary's terms serve everyone in it."""
    if not chosen:
        return qs
    return qs.filter(_has_term(chosen) | ~_has_term(vocab.codes(vocabulary)))


def _text_filter(qs: QuerySet[Service], query: str) -> QuerySet[Service]:
    if not query.strip():
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector(
            "name", "alternate_name", "description", "eligibility_description", config="swedish"
        )
        return qs.annotate(fts=vector).filter(fts=SearchQuery(query, config="swedish"))
    for stem in stems(query):
        qs = qs.filter(search_text__contains=f" {stem} ")
    return qs


def filtered_services(params: SearchParams) -> QuerySet[Service]:
    qs = Service.objects.published()
    if params.age is not None:
        qs = qs.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=params.age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=params.age),
        )
    qs = _lenient(qs, vocab.EXPLOITATION, params.exploitation)
    qs = _lenient(qs, vocab.GENDER, [params.gender] if params.gender else [])
    qs = _lenient(qs, vocab.AUDIENCE, params.audience)
    for chosen in ([params.cost] if params.cost else [], params.channel):
        if chosen:
            qs = qs.filter(_has_term(chosen))
    if params.language:
        qs = qs.filter(
            Exists(Language.objects.filter(service_id=OuterRef("pk"), code=params.language))
        )
    return _text_filter(qs, params.q)


def _distance_expr(lat: float, lon: float) -> Any:
    """Squared equirectangular distance in degrees of latitude: exact enough for ordering,
    plain arithmetic so that every database can compute it."""
    k = math.cos(math.radians(lat))
    loc = "service_at_locations__location__"
    return Min(
        Power(F(f"{loc}latitude") - lat, 2) + Power((F(f"{loc}longitude") - lon) * k, 2),
        filter=Q(**{f"{loc}is_protected": False}),
        output_field=FloatField(),
    )


def _open_map(ids: list[str], at: datetime) -> dict[str, bool | None]:
    try:
        from facit.directory.hours import is_open
    except ImportError:  # pragma: no cover - until the hours module is merged
        return {}

    fields = [f.name for f in Schedule._meta.concrete_fields if f.name not in ("id",)]
    by_service: dict[str, list[dict[str, Any]]] = {}
    for row in Schedule.objects.filter(service_id__in=ids).values("service_id", *fields):
        clean = {k: v for k, v in row.items() if v not in ("", None) and k != "service_id"}
        by_service.setdefault(row["service_id"], []).append(clean)
    return {sid: is_open(by_service.get(sid, []), at) for sid in ids}


def _sort_key(row: Mapping[str, Any], reach: dict[str, str], text_rank: dict[str, float]) -> tuple:
    d = row.get("d2")
    return (
        -text_rank.get(row["id"], 0.0),
        REACH_RANK[reach.get(row["id"], "")],
        d if d is not None else math.inf,
        row["name"],
    )


def _text_rank(rows: list[dict[str, Any]], query: str) -> dict[str, float]:
    """A match in the name counts more than one in the description."""
    wanted = set(stems(query))
    if not wanted:
        return {}
    return {r["id"]: float(len(wanted & set(stems(r["name"])))) for r in rows}


def search_services(params: SearchParams) -> SearchResult:
    """Run a search; raises UnknownMunicipality for a place that does not exist."""
    place: Municipality | None = None
    if params.municipality:
        place = municipality_resolve(params.municipality)
    if params.has_point:
        lat, lon = float(params.lat), float(params.lon)  # type: ignore[arg-type]
        place = place or nearest_municipality(lat, lon)
        radius: float | None = params.radius_km
    elif place is not None:
        lat, lon, radius = place.latitude, place.longitude, None
    else:
        lat = lon = None  # type: ignore[assignment]
        radius = None
    qs = filtered_services(params)
    reach: dict[str, str] = {}
    if lat is not None:
        reach = _coverage(place, lat, lon, radius)
        qs = qs.filter(pk__in=list(reach)).annotate(d2=_distance_expr(lat, lon))
    rows = list(qs.values("id", "name", *(["d2"] if lat is not None else [])))
    if params.open_now:
        opened = _open_map([r["id"] for r in rows], params.at or timezone.now())
        rows = [r for r in rows if opened.get(r["id"])]
    text_rank = _text_rank(rows, params.q)
    rows.sort(key=lambda r: _sort_key(r, reach, text_rank))
    start = (params.page - 1) * params.per_page
    page_rows = rows[start : start + params.per_page]
    return SearchResult(
        hits=_hits(page_rows, reach, lat, lon, params),
        total=len(rows),
        page=params.page,
        per_page=params.per_page,
        place=place,
    )


def _hits(
    rows: list[dict[str, Any]],
    reach: dict[str, str],
    lat: float | None,
    lon: float | None,
    params: SearchParams,
) -> list[Hit]:
    ids = [r["id"] for r in rows]
    services = {s.pk: s for s in service_cards(Service.objects.filter(pk__in=ids))}
    opened = _open_map(ids, params.at or timezone.now()) if ids else {}
    hits = []
    for r in rows:
        distance = None
        if lat is not None and r.get("d2") is not None:
            distance = math.sqrt(r["d2"]) * KM_PER_DEGREE
        hits.append(Hit(services[r["id"]], reach.get(r["id"], ""), distance, opened.get(r["id"])))
    return hits


def service_cards(qs: QuerySet[Service]) -> list[Service]:
    """Services with what a result card shows, in few queries."""
    services = list(
        qs.select_related("organization").prefetch_related("phones", "service_areas")
    )
    attach_terms(services)
    return services


def attach_terms(services: list[Service]) -> None:
    """`service.terms`: {vocabulary: [TaxonomyTerm]} from its attributes (one query)."""
    by_id = {s.pk: s for s in services}
    for s in services:
        s.terms = {}  # type: ignore[attr-defined]
    attrs = Attribute.objects.filter(link_id__in=list(by_id)).select_related("taxonomy_term")
    for a in attrs:
        term = a.taxonomy_term
        if term is None or ":" not in term.code:
            continue
        vocabulary = term.code.split(":", 1)[0]
        by_id[a.link_id].terms.setdefault(vocabulary, []).append(term)  # type: ignore[attr-defined]


def locations_public(service: Service) -> list[Location]:
    return [
        sal.location
        for sal in service.service_at_locations.select_related("location")
        if sal.location is not None
    ]


def nearest_first(
    services: QuerySet[Service], place: Municipality
) -> list[tuple[Service, float | None]]:
    """Services ordered by the distance from `place` to their nearest public location."""
    qs = services.select_related("organization").annotate(
        d2=_distance_expr(place.latitude, place.longitude)
    )
    pairs = [
        (s, math.sqrt(s.d2) * KM_PER_DEGREE if s.d2 is not None else None)  # type: ignore[attr-defined]
        for s in qs
    ]
    pairs.sort(key=lambda p: (p[1] if p[1] is not None else math.inf, p[0].name))
    return pairs
