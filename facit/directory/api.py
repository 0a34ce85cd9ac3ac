"""Directory endpoints of /api/v1/: the service search."""

from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from facit.core.api_errors import ApiError, responses
from facit.directory.search import Hit, SearchParams, UnknownMunicipality, search_services

router = Router(tags=["directory"])


class SearchQuery(Schema):
    municipality: str = Field("", description="municipality name or four-digit code")
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    radius_km: float = Field(25.0, gt=0, le=500)
    age: int | None = Field(None, ge=0, le=120, description="age of the child")
    gender: Literal["", "girls", "boys", "non-binary"] = ""
    exploitation: list[str] = Field(default_factory=list, description="form of exploitation")
    audience: list[str] = Field(default_factory=list)
    language: str = Field("", description="ISO 639 code, e.g. sv")
    cost: Literal["", "free", "fee"] = ""
    channel: list[Literal["phone", "chat", "visit"]] = Field(default_factory=list)
    open_now: bool = False
    q: str = Field("", max_length=200, description="free text (Swedish stemming)")
    page: int = Field(1, ge=1)
    per_page: int = Field(20, ge=1, le=100)


class PhoneOut(Schema):
    number: str
    description: str


class AreaOut(Schema):
    scope: str
    name: str
    description: str


class TermOut(Schema):
    code: str
    label: str


class ServiceHitOut(Schema):
    id: str
    name: str
    organization: str
    description: str
    eligibility_description: str
    minimum_age: float | None
    maximum_age: float | None
    phones: list[PhoneOut]
    service_areas: list[AreaOut]
    terms: list[TermOut]
    reach: str
    distance_km: float | None
    open_now: bool | None
    last_verified: str | None
    verified_by: str
    verification_overdue: bool
    sources: list[str]
    url: str


class SearchOut(Schema):
    municipality: str | None
    county: str | None
    total: int
    page: int
    total_pages: int
    results: list[ServiceHitOut]


def _code(prefix: str, values: list[str]) -> list[str]:
    return [v if ":" in v else f"{prefix}:{v}" for v in values if v]


def params_from(query: SearchQuery) -> SearchParams:
    return SearchParams(
        municipality=query.municipality.strip(),
        lat=query.lat,
        lon=query.lon,
        radius_km=query.radius_km,
        age=query.age,
        gender=f"gender:{query.gender}" if query.gender else "",
        exploitation=_code("exploitation", query.exploitation),
        audience=_code("audience", query.audience),
        language=query.language.strip(),
        cost=f"cost:{query.cost}" if query.cost else "",
        channel=_code("channel", list(query.channel)),
        open_now=query.open_now,
        q=query.q,
        page=query.page,
        per_page=query.per_page,
    )


def hit_out(hit: Hit) -> dict:
    s = hit.service
    terms = [t for group in s.terms.values() for t in group]
    return {
        "id": s.pk,
        "name": s.name,
        "organization": s.organization_name,
        "description": s.description,
        "eligibility_description": s.eligibility_description,
        "minimum_age": s.minimum_age,
        "maximum_age": s.maximum_age,
        "phones": s.phones,
        "service_areas": s.areas,
        "terms": [{"code": t.code, "label": t.label} for t in terms],
        "reach": hit.reach,
        "distance_km": round(hit.distance_km, 1) if hit.distance_km is not None else None,
        "open_now": hit.open_now,
        "last_verified": s.last_verified_at.isoformat() if s.last_verified_at else None,
        "verified_by": s.verified_by,
        "verification_overdue": s.verification_overdue,
        "sources": [str(x) for x in s.sources],
        "url": reverse("directory:service_detail", args=[s.pk]),
    }


def unknown_municipality_error(exc: UnknownMunicipality) -> ApiError:
    names = [m.name for m in exc.suggestions]
    return ApiError(
        422,
        "unknown_municipality",
        f"No municipality is called {exc.query!r}.",
        [
            {
                "field": "query.municipality",
                "reason": "Unknown municipality. Did you mean: " + ", ".join(names) + "?",
                "suggestions": names,  # type: ignore[dict-item]
            }
        ],
    )


@router.get(
    "/services/search",
    response=responses(SearchOut),
    summary="Find support services by place, age and need",
    description="National services always appear; county services for municipalities in "
    "the county. Sorted by relevance, then distance. Nothing about the query is stored.",
)
def services_search(request: HttpRequest, query: Query[SearchQuery]) -> dict:
    try:
        result = search_services(params_from(query))
    except UnknownMunicipality as exc:
        raise unknown_municipality_error(exc) from None
    place = result.place
    return {
        "municipality": place.name if place else None,
        "county": place.county.name if place else None,
        "total": result.total,
        "page": result.page,
        "total_pages": result.total_pages,
        "results": [hit_out(h) for h in result.hits],
    }
