"""Finding the services that fit: by place (municipality or point + radius), age, gender,
form of exploitation, language, cost, channel, open now and free text.

National services always appear; county services for municipalities in their county;
municipality services in their municipality; radius services when the place lies inside
their circle; with a point, services that have a location within the radius. Results are
ordered by relevance (text match, then how local the service is) and then by distance.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import (
    Exists,
    F,
    FloatField,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Power
from django.utils import timezone

from facit.directory import vocab
from facit.directory.geo import haversine_km
from facit.directory.models import (
    KM_PER_DEGREE,
    Attribute,
    Language,
    Location,
    Municipality,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    verifier_label,
)
from facit.directory.textsearch import stems

REACH_RANK = {"municipality": 0, "radius": 1, "near": 1, "county": 2, "national": 3, "": 4}
MAX_RADIUS_KM = 200.0  # the widest radius area (a wider reach is a county or national)


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
    service: Card
    reach: str
    distance_km: float | None
    open_now: bool | None = None
    why: list[str] = field(default_factory=list)  # set by the referral guide


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


_PLACES: dict[str, Any] = {"at": 0.0, "list": []}
PLACES_TTL_SECONDS = 300.0


def places_invalidate(*args: Any, **kwargs: Any) -> None:
    """Forget the cached municipalities (after a load or an edit)."""
    _PLACES["at"] = 0.0


def _all_municipalities() -> list[Municipality]:
    """All municipalities with their counties, cached briefly: every search resolves a place
    and the list changes only when the verified file is loaded again."""
    import time

    now = time.monotonic()
    if not _PLACES["list"] or now - _PLACES["at"] > PLACES_TTL_SECONDS:
        _PLACES["list"] = list(Municipality.objects.select_related("county").order_by("code"))
        _PLACES["by_code"] = {m.code: m for m in _PLACES["list"]}
        _PLACES["by_name"] = {m.name.casefold(): m for m in _PLACES["list"]}
        _PLACES["at"] = now
    return list(_PLACES["list"])


def places_version() -> float:
    """When the cached municipalities were last read: a rendering of them is current while
    this stays the same."""
    return float(_PLACES["at"])


def municipality_suggestions(query: str, limit: int = 5) -> list[Municipality]:
    """The closest names (case- and diacritic-insensitive), best first."""
    from facit.directory import geo

    _all_municipalities()
    found = [_PLACES["by_code"].get(m.code) for m in geo.suggest_municipalities(query, limit)]
    return [m for m in found if m is not None]


def municipality_resolve(query: str) -> Municipality:
    """By code ("1280", "180") or name ("Malmö", "malmo", "Malmö kommun")."""
    from facit.directory import geo

    _all_municipalities()
    found = geo.find_municipality(" ".join(query.split()))
    place = _PLACES["by_code"].get(found.code) if found is not None else None
    if place is None:
        raise UnknownMunicipality(query, municipality_suggestions(query))
    return place


def nearest_municipality(lat: float, lon: float) -> Municipality | None:
    best: tuple[float, Municipality] | None = None
    for m in _all_municipalities():
        d = haversine_km(lat, lon, m.latitude, m.longitude)
        if best is None or d < best[0]:
            best = (d, m)
    return best[1] if best else None


# --------------------------------------------------------------------------- coverage


def _bbox(lat: float, lon: float, km: float) -> tuple[tuple[float, float], tuple[float, float]]:
    dlat = km / KM_PER_DEGREE
    dlon = km / (KM_PER_DEGREE * max(0.01, math.cos(math.radians(lat))))
    return (lat - dlat, lat + dlat), (lon - dlon, lon + dlon)


def _coverage_areas(place: Municipality | None, lat: float, lon: float) -> QuerySet[ServiceArea]:
    """The service areas that may reach this place: a radius area by its bounding box (the
    circle itself is tested beside each result, `_REACH_RANK_SQL`)."""
    cond = Q(scope=ServiceArea.Scope.NATIONAL)
    if place is not None:
        cond |= Q(scope=ServiceArea.Scope.COUNTY, county_id=place.county_id)
        cond |= Q(scope=ServiceArea.Scope.MUNICIPALITY, municipality_id=place.code)
    cond |= Q(
        scope=ServiceArea.Scope.RADIUS,
        min_latitude__lte=lat,
        max_latitude__gte=lat,
        min_longitude__lte=lon,
        max_longitude__gte=lon,
    )
    return ServiceArea.objects.filter(cond, service__isnull=False)


# how a service area reaches the place, as a number (lower is more local: REACH_RANK)
_RANK_SCOPE = {0: "municipality", 1: "radius", 2: "county", 3: "national"}


# The most local way any of a service's areas reaches the place, as a number (NULL when
# none does), computed in the database beside each result: the filters of `_coverage_areas`
# with a radius area's circle tested by the equirectangular distance at the place (exact to
# well under 1 % within MAX_RADIUS_KM; plain arithmetic that every database runs).
# Written as SQL rather than ORM expressions: building and compiling the correlated subquery
# in the ORM took about 2 ms of Python per search, more than PostgreSQL takes to run it
# (bench/bench_barnahus_search.py). The names are the models' own tables and columns; the
# values are bound parameters.
_REACH_RANK_SQL = """(
  SELECT MIN(CASE a.scope WHEN 'municipality' THEN 0 WHEN 'radius' THEN 1
                          WHEN 'county' THEN 2 ELSE 3 END)
  FROM directory_servicearea a
  WHERE a.service_id = directory_service.id
    AND (a.scope = 'national'
         OR (a.scope = 'county' AND a.county_id = %s)
         OR (a.scope = 'municipality' AND a.municipality_id = %s)
         OR (a.scope = 'radius'
             AND a.min_latitude <= %s AND a.max_latitude >= %s
             AND a.min_longitude <= %s AND a.max_longitude >= %s
             AND ((a.latitude - %s) * (a.latitude - %s)
                  + (a.longitude - %s) * %s * ((a.longitude - %s) * %s)) * %s
                 <= a.radius_km * a.radius_km)))"""


def _reach_rank(place: Municipality | None, lat: float, lon: float) -> RawSQL:
    k = math.cos(math.radians(lat))
    county = place.county_id if place is not None else None
    code = place.code if place is not None else None
    params = (county, code, lat, lat, lon, lon, lat, lat, lon, k, lon, k, KM_PER_DEGREE**2)
    return RawSQL(_REACH_RANK_SQL, params, output_field=IntegerField())  # noqa: S611


def _range(prefix: str, lat: float, lon: float, km: float) -> dict[str, Any]:
    lat_range, lon_range = _bbox(lat, lon, km)
    return {f"{prefix}latitude__range": lat_range, f"{prefix}longitude__range": lon_range}


def _near_locations(lat: float, lon: float, radius_km: float) -> QuerySet[ServiceAtLocation]:
    """The public locations in the radius's bounding box (the distance is tested in Python)."""
    return ServiceAtLocation.objects.filter(
        location__is_protected=False, **_range("location__", lat, lon, radius_km)
    )


def _near_services(lat: float, lon: float, radius_km: float) -> set[str]:
    rows = _near_locations(lat, lon, radius_km).values_list(
        "service_id", "location__latitude", "location__longitude"
    )
    # the range filters leave out locations without coordinates
    return {
        sid
        for sid, la, lo in rows
        if la is not None and lo is not None and haversine_km(lat, lon, la, lo) <= radius_km
    }


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


# The Swedish full-text vector of a service on PostgreSQL, indexed with GIN (migration 0003).
FTS_VECTOR = (
    "to_tsvector('swedish'::regconfig, "
    "name || ' ' || alternate_name || ' ' || description || ' ' || eligibility_description"
    " || ' ' || description_sv || ' ' || eligibility_description_sv)"
)


def _text_filter(qs: QuerySet[Service], query: str) -> QuerySet[Service]:
    if not query.strip():
        return qs
    if connection.vendor == "postgresql":
        # exactly the expression of the GIN index (migration 0003), so the index answers;
        # FTS_VECTOR is a constant and the words are a bound parameter
        matching = (
            "SELECT id FROM directory_service WHERE "  # noqa: S608
            f"{FTS_VECTOR} @@ plainto_tsquery('swedish'::regconfig, %s)"
        )
        return qs.filter(pk__in=RawSQL(matching, [query]))  # noqa: S611
    for stem in stems(query):
        qs = qs.filter(search_text__contains=f" {stem} ")
    return qs


def filtered_services(params: SearchParams) -> QuerySet[Service]:
    qs: QuerySet[Service] = Service.objects.published()
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
    from facit.directory.hours import is_open

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


def _text_rank(rows: Sequence[Mapping[str, Any]], query: str) -> dict[str, float]:
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
    lat: float | None = None
    lon: float | None = None
    radius: float | None = None
    if params.lat is not None and params.lon is not None:  # params.has_point
        lat, lon = float(params.lat), float(params.lon)
        place = place or nearest_municipality(lat, lon)
        radius = params.radius_km
    elif place is not None:
        lat, lon = place.latitude, place.longitude
    qs = filtered_services(params)
    reach: dict[str, str] = {}
    rows: list[Mapping[str, Any]]
    if lat is not None and lon is not None:
        # the coverage as a semi-join (a long literal list of ids made the query text and the
        # planner slow), how each result reaches the place beside it, and the distance
        candidates = Q(pk__in=_coverage_areas(place, lat, lon).values("service_id"))
        if radius is not None:
            candidates |= Q(pk__in=_near_locations(lat, lon, radius).values("service_id"))
        values = (
            qs.filter(candidates)
            .values("id", "name")
            .annotate(rank=_reach_rank(place, lat, lon), d2=_distance_expr(lat, lon))
        )
        rows = list(values)
        for r in rows:
            if r["rank"] is not None:
                reach[r["id"]] = _RANK_SCOPE[r["rank"]]
        if radius is not None:
            for sid in _near_services(lat, lon, radius):
                _better(reach, sid, "near")
        # what the bounding boxes let through beyond the circles is dropped here
        rows = [r for r in rows if r["id"] in reach]
    else:
        rows = list(qs.values("id", "name"))
    opened: dict[str, bool | None] = {}
    if params.open_now:
        opened = _open_map([r["id"] for r in rows], params.at or timezone.now())
        rows = [r for r in rows if opened.get(r["id"])]
    text_rank = _text_rank(rows, params.q)
    rows.sort(key=lambda r: _sort_key(r, reach, text_rank))
    start = (params.page - 1) * params.per_page
    page_rows = rows[start : start + params.per_page]
    return SearchResult(
        hits=_hits(page_rows, reach, lat, opened),
        total=len(rows),
        page=params.page,
        per_page=params.per_page,
        place=place,
    )


def _hits(
    rows: Sequence[Mapping[str, Any]],
    reach: dict[str, str],
    lat: float | None,
    opened: dict[str, bool | None],
) -> list[Hit]:
    ids = [r["id"] for r in rows]
    cards = cards_for(ids, with_areas=not reach)
    hits = []
    for r in rows:
        distance = None
        if lat is not None and r.get("d2") is not None:
            distance = math.sqrt(r["d2"]) * KM_PER_DEGREE
        hits.append(Hit(cards[r["id"]], reach.get(r["id"], ""), distance, opened.get(r["id"])))
    return hits


@dataclass
class Card:
    """What a result shows of a service: plain values read in a few queries, no models."""

    pk: str
    name: str
    organization_name: str
    description: str
    eligibility_description: str
    description_sv: str
    eligibility_description_sv: str
    minimum_age: float | None
    maximum_age: float | None
    url: str
    origin: str
    sources: list[str]
    last_verified_at: Any
    verified_by: str
    phones: list[dict[str, str]] = field(default_factory=list)
    areas: list[dict[str, str]] = field(default_factory=list)
    terms: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def verification_overdue(self) -> bool:
        from datetime import timedelta

        from facit.directory.models import VERIFY_EVERY_DAYS

        if self.last_verified_at is None:
            return True
        return timezone.localdate() - self.last_verified_at > timedelta(days=VERIFY_EVERY_DAYS)


@dataclass(frozen=True)
class TermLabel:
    code: str
    name: str
    name_sv: str

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        sv = (get_language() or "sv").startswith("sv")
        return self.name_sv if sv and self.name_sv else self.name


_CARD_FIELDS = (
    "id",
    "name",
    "organization__name",
    "description",
    "eligibility_description",
    "description_sv",
    "eligibility_description_sv",
    "minimum_age",
    "maximum_age",
    "url",
    "origin",
    "sources",
    "last_verified_at",
    "verified_by_label",
    "last_verified_by",
)


def cards_for(ids: list[str], *, with_areas: bool = True) -> dict[str, Card]:
    if not ids:
        return {}
    cards = {}
    for row in Service.objects.filter(pk__in=ids).values(*_CARD_FIELDS):
        cards[row["id"]] = Card(
            pk=row["id"],
            name=row["name"],
            organization_name=row["organization__name"] or "",
            description=row["description"],
            eligibility_description=row["eligibility_description"],
            description_sv=row["description_sv"],
            eligibility_description_sv=row["eligibility_description_sv"],
            minimum_age=row["minimum_age"],
            maximum_age=row["maximum_age"],
            url=row["url"],
            origin=row["origin"],
            sources=row["sources"] or [],
            last_verified_at=row["last_verified_at"],
            verified_by=verifier_label(
                row["origin"],
                row["verified_by_label"],
                by_editor=row["last_verified_by"] is not None,
            ),
        )
    phones = Phone.objects.filter(service_id__in=ids).values_list(
        "service_id", "number", "description"
    )
    for sid, number, description in phones:
        cards[sid].phones.append({"number": number, "description": description})
    areas = ServiceArea.objects.filter(service_id__in=ids if with_areas else []).values_list(
        "service_id", "scope", "name", "description"
    )
    for sid, scope, name, description in areas if with_areas else ():
        cards[sid].areas.append({"scope": scope, "name": name, "description": description})
    for sid, terms in terms_for(ids).items():
        cards[sid].terms = terms
    return cards


def terms_for(ids: list[str]) -> dict[str, dict[str, list[TermLabel]]]:
    """{object id: {vocabulary: [term]}} from the attributes linking facit's terms."""
    out: dict[str, dict[str, list[TermLabel]]] = {}
    rows = Attribute.objects.filter(link_id__in=ids, taxonomy_term__isnull=False).values_list(
        "link_id", "taxonomy_term__code", "taxonomy_term__name", "taxonomy_term__name_sv"
    )
    for link_id, code, name, name_sv in rows:
        if ":" in code:
            vocabulary = code.split(":", 1)[0]
            out.setdefault(link_id, {}).setdefault(vocabulary, []).append(
                TermLabel(code, name, name_sv)
            )
    return out


def attach_terms(services: list[Service]) -> None:
    """`service.terms`: {vocabulary: [term]} for model instances (service page)."""
    found = terms_for([s.pk for s in services])
    for s in services:
        s.terms = found.get(s.pk, {})  # type: ignore[attr-defined]


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
    pairs: list[tuple[Service, float | None]] = [
        (s, math.sqrt(s.d2) * KM_PER_DEGREE if s.d2 is not None else None) for s in qs
    ]
    pairs.sort(key=lambda p: (p[1] if p[1] is not None else math.inf, p[0].name))
    return pairs
