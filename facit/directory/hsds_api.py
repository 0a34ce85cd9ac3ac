"""The HSDS 3.0 API (data/hsds-3.0/schema/openapi.json), mounted at /api/hsds/.

A second NinjaAPI with facit's one error shape. Everything served is built by
facit.directory.hsds_io, which never lets a protected address out.
"""

import math
from datetime import datetime
from typing import Any, Literal

from django.db.models import Avg, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.urls import path, reverse
from ninja import Field as NinjaField
from ninja import NinjaAPI, Query, Schema
from pydantic import field_validator

from facit.core.api_errors import ApiError, install_error_handlers, responses
from facit.core.throttling import anonymous_api_throttles
from facit.directory.models import (
    Address,
    Attribute,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from facit.directory.search import _range, haversine_km
from facit.directory.textsearch import stems

HSDS_VERSION = "3.0"
MAX_PER_PAGE = 200

api = NinjaAPI(
    title="facit HSDS API",
    version=HSDS_VERSION,
    description="Open Referral Human Services Data Specification 3.0 API of facit's support "
    "directory. HSDS: an Open Referral resource (CC BY-SA 4.0).",
    urls_namespace="api-hsds",
    docs_url="/docs",
    throttle=anonymous_api_throttles(),
)
install_error_handlers(api)


# format=ndjson answers every result as JSON lines instead of a page.
NDJSON_ALSO = {
    "responses": {200: {"content": {"application/x-ndjson": {"schema": {"type": "string"}}}}}
}


class Paging(Schema):
    search: str = ""
    page: int = NinjaField(1, ge=1, le=1_000_000)
    per_page: int = NinjaField(50, ge=1, le=MAX_PER_PAGE)
    format: Literal["json", "ndjson"] = "json"


class ServiceFilters(Paging):
    taxonomy_term_id: str = ""
    taxonomy_id: str = ""
    organization_id: str = ""
    modified_after: datetime | None = None

    @field_validator("modified_after", mode="before")
    @classmethod
    def _iso_only(cls, value: Any) -> Any:
        """An ISO 8601 date-time, as documented; pydantic would also take a Unix time."""
        if isinstance(value, str):
            try:
                float(value)
            except ValueError:
                return value
            raise ValueError("an ISO 8601 date-time, such as 2026-01-31T12:00:00Z")
        return value

    minimal: bool = False
    full: bool = False


class SalFilters(ServiceFilters):
    postcode: str = ""
    proximity: float | None = NinjaField(None, gt=0, description="metres from the postcode")


class OrgFilters(Paging):
    full_service: bool = False
    full: bool = False


class TermFilters(Paging):
    taxonomy_id: str = ""
    top_only: bool = False
    parent_id: str = ""


def _ndjson(qs: Any, render: Any) -> HttpResponseBase:
    """format=ndjson: every result, one JSON document per line, without paging."""
    import json

    def lines() -> Any:
        items = list(qs)
        for start in range(0, len(items), 200):
            for doc in render(items[start : start + 200]):
                yield json.dumps(doc, ensure_ascii=False) + "\n"

    return StreamingHttpResponse(lines(), content_type="application/x-ndjson")


def _page(qs: Any, params: Paging, render: Any) -> Any:
    if params.format == "ndjson":
        return _ndjson(qs, render)
    total = qs.count() if hasattr(qs, "count") and not isinstance(qs, list) else len(qs)
    pages = max(1, math.ceil(total / params.per_page))
    start = (params.page - 1) * params.per_page
    items = list(qs[start : start + params.per_page])
    contents = render(items)
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": params.page,
        "size": len(contents),
        "first_page": params.page == 1,
        "last_page": params.page >= pages,
        "empty": total == 0,
        "contents": contents,
    }


def _text(qs: QuerySet[Any], search: str, *fields: str) -> QuerySet[Any]:
    for word in search.split():
        cond = Q()
        for name in fields:
            cond |= Q(**{f"{name}__icontains": word})
        if qs.model is Service:
            cond |= Q(search_text__contains=f" {(stems(word) or [word])[0]} ")
        qs = qs.filter(cond)
    return qs


def _term_filter(qs: QuerySet[Any], params: ServiceFilters, link: str = "pk") -> QuerySet[Any]:
    if params.taxonomy_term_id:
        qs = qs.filter(
            Exists(
                Attribute.objects.filter(
                    link_id=OuterRef(link), taxonomy_term_id=params.taxonomy_term_id
                )
            )
        )
    if params.taxonomy_id:
        qs = qs.filter(
            Exists(
                Attribute.objects.filter(
                    link_id=OuterRef(link), taxonomy_term__taxonomy_detail_id=params.taxonomy_id
                )
            )
        )
    return qs


def _services(params: ServiceFilters) -> QuerySet[Service]:
    qs: QuerySet[Service] = Service.objects.published().order_by("name", "id")
    qs = _text(qs, params.search, "name", "description")
    qs = _term_filter(qs, params)
    if params.organization_id:
        qs = qs.filter(organization_id=params.organization_id)
    if params.modified_after:
        qs = qs.filter(
            Q(last_modified__gte=params.modified_after) | Q(updated_at__gte=params.modified_after)
        )
    return qs


def _service_docs(items: list[Service], *, full: bool) -> list[dict[str, Any]]:
    from facit.directory.hsds import service_document
    from facit.directory.hsds_io import dataset_from_db, record_of

    if not full:
        return [record_of("service", s) for s in items]
    dataset = dataset_from_db(service_ids=[s.pk for s in items])
    return [service_document(dataset, s.pk) for s in items if s.pk in dataset.services]


@api.get(
    "/", response=responses(dict[str, str]), summary="About this API and its relationship with HSDS"
)
def meta(request: HttpRequest) -> dict[str, str]:
    return {
        "version": HSDS_VERSION,
        "profile": request.build_absolute_uri(reverse("api-hsds:profile")),
        "openapi_url": request.build_absolute_uri(reverse("api-hsds:openapi-json")),
    }


@api.get(
    "/services",
    response=responses(dict[str, Any]),
    openapi_extra=NDJSON_ALSO,
    summary="Services, paged",
)
def services(request: HttpRequest, params: Query[ServiceFilters]) -> Any:
    qs = _services(params)
    if params.minimal:  # every service at once, as the spec suggests
        rows = [
            {"id": s["id"], "modified_date": (s["last_modified"] or s["updated_at"]).isoformat()}
            for s in qs.values("id", "last_modified", "updated_at")
        ]
        params.page, params.per_page = 1, max(1, len(rows))
        return _page(rows, params, lambda items: items)
    return _page(qs, params, lambda items: _service_docs(items, full=params.full))


@api.get(
    "/services/{id}", response=responses(dict[str, Any], 404), summary="One fully nested service"
)
def service(request: HttpRequest, id: str) -> dict[str, Any]:
    found = list(Service.objects.published().filter(pk=id))
    if not found:
        raise ApiError(404, "not_found", "No such service.")
    return _service_docs(found, full=True)[0]


def _org_docs(items: list[Organization], *, full: bool) -> list[dict[str, Any]]:
    from facit.directory.hsds_io import dataset_from_db, record_of

    if not full:
        return [record_of("organization", o) for o in items]
    from facit.directory.hsds.model import _Nester

    dataset = dataset_from_db(organization_ids=[o.pk for o in items])
    nester = _Nester(dataset, embed_terms=True)  # self-contained: attribute terms embedded
    docs = []
    for org in items:
        if org.pk not in dataset.organizations:
            continue
        doc = nester.nest("organization", org.pk)
        own = {loc["id"] for loc in doc.get("locations", [])}
        for service in doc.get("services", []):
            for sal in service.get("service_at_locations", []):
                lid = sal.get("location_id")
                if lid in dataset.locations and lid not in own:
                    sal["location"] = nester.nest("location", lid)
        docs.append(doc)
    return docs


@api.get(
    "/organizations",
    response=responses(dict[str, Any]),
    openapi_extra=NDJSON_ALSO,
    summary="Organizations, paged",
)
def organizations(request: HttpRequest, params: Query[OrgFilters]) -> Any:
    qs = _text(
        Organization.objects.published().order_by("name", "id"),
        params.search,
        "name",
        "description",
    )
    full = params.full or params.full_service
    return _page(qs, params, lambda items: _org_docs(items, full=full))


@api.get(
    "/organizations/{id}",
    response=responses(dict[str, Any], 404),
    summary="One organization with its services",
)
def organization(request: HttpRequest, id: str, full_service: bool = True) -> dict[str, Any]:
    found = list(Organization.objects.published().filter(pk=id))
    if not found:
        raise ApiError(404, "not_found", "No such organization.")
    return _org_docs(found, full=True)[0]


def _postcode_filter(
    qs: QuerySet[ServiceAtLocation], params: SalFilters
) -> QuerySet[ServiceAtLocation]:
    code = params.postcode.replace(" ", "")
    public = Address.objects.filter(is_protected=False, location__is_protected=False)
    if params.proximity is None:
        matching = public.filter(postal_code__in=[code, params.postcode])
        return qs.filter(location__addresses__in=matching).distinct()
    centre = public.filter(
        postal_code__in=[code, params.postcode], location__latitude__isnull=False
    ).aggregate(lat=Avg("location__latitude"), lon=Avg("location__longitude"))
    if centre["lat"] is None:
        raise ApiError(
            422,
            "unknown_postcode",
            "No public location has this postcode, so its centre is unknown.",
            [{"field": "query.postcode", "reason": "unknown postcode"}],
        )
    km = params.proximity / 1000
    near = qs.filter(
        location__is_protected=False, **_range("location__", centre["lat"], centre["lon"], km)
    )
    # the range filters leave out locations without coordinates
    ids = [
        sal.pk
        for sal in near.select_related("location")
        if sal.location.latitude is not None
        and sal.location.longitude is not None
        and haversine_km(
            centre["lat"], centre["lon"], sal.location.latitude, sal.location.longitude
        )
        <= km
    ]
    return qs.filter(pk__in=ids)


def _sal_docs(items: list[ServiceAtLocation], *, full: bool) -> list[dict[str, Any]]:
    from facit.directory.hsds import service_document
    from facit.directory.hsds_io import dataset_from_db, record_of

    if not full:
        return [record_of("service_at_location", s) for s in items]
    dataset = dataset_from_db(service_ids={s.service_id for s in items})
    out = []
    for sal in items:
        if sal.pk not in dataset.service_at_locations:
            continue
        doc = dict(dataset.service_at_locations[sal.pk])
        doc["service"] = service_document(dataset, sal.service_id)
        doc["location"] = next(
            (
                x["location"]
                for x in doc["service"].get("service_at_locations", [])
                if x["id"] == sal.pk and "location" in x
            ),
            dataset.locations.get(sal.location_id, {}),
        )
        out.append(doc)
    return out


def _sals(params: SalFilters) -> QuerySet[ServiceAtLocation]:
    qs = ServiceAtLocation.objects.filter(service__in=Service.objects.published()).order_by("id")
    services_qs = _services(params)
    if (
        params.search
        or params.taxonomy_term_id
        or params.taxonomy_id
        or params.organization_id
        or params.modified_after
    ):
        qs = qs.filter(service__in=services_qs)
    if params.postcode:
        qs = _postcode_filter(qs, params)
    return qs


@api.get(
    "/service_at_locations",
    response=responses(dict[str, Any]),
    openapi_extra=NDJSON_ALSO,
    summary="Services at locations, paged",
)
def service_at_locations(request: HttpRequest, params: Query[SalFilters]) -> Any:
    return _page(_sals(params), params, lambda items: _sal_docs(items, full=params.full))


@api.get(
    "/service_at_locations/{id}",
    response=responses(dict[str, Any], 404),
    summary="One service at a location, fully nested",
)
def service_at_location(request: HttpRequest, id: str) -> dict[str, Any]:
    found = list(ServiceAtLocation.objects.filter(pk=id, service__in=Service.objects.published()))
    docs = _sal_docs(found, full=True)
    if not docs:
        raise ApiError(404, "not_found", "No such service at location.")
    return docs[0]


@api.get(
    "/taxonomies",
    response=responses(dict[str, Any]),
    openapi_extra=NDJSON_ALSO,
    summary="Taxonomies, paged",
)
def taxonomies(request: HttpRequest, params: Query[Paging]) -> Any:
    from facit.directory.hsds_io import record_of

    qs = _text(Taxonomy.objects.order_by("name", "id"), params.search, "name", "description")
    return _page(qs, params, lambda items: [record_of("taxonomy", t) for t in items])


@api.get("/taxonomies/{id}", response=responses(dict[str, Any], 404), summary="One taxonomy")
def taxonomy(request: HttpRequest, id: str) -> dict[str, Any]:
    from facit.directory.hsds_io import record_of

    found = Taxonomy.objects.filter(pk=id).first()
    if found is None:
        raise ApiError(404, "not_found", "No such taxonomy.")
    return record_of("taxonomy", found)


@api.get(
    "/taxonomy_terms",
    response=responses(dict[str, Any]),
    openapi_extra=NDJSON_ALSO,
    summary="Taxonomy terms, paged",
)
def taxonomy_terms(request: HttpRequest, params: Query[TermFilters]) -> Any:
    from facit.directory.hsds_io import record_of

    qs = TaxonomyTerm.objects.order_by("taxonomy_detail", "position", "name", "id")
    qs = _text(qs, params.search, "name", "name_sv", "description", "code")
    if params.taxonomy_id:
        qs = qs.filter(taxonomy_detail_id=params.taxonomy_id)
    if params.top_only:
        qs = qs.filter(parent__isnull=True)
    if params.parent_id:
        qs = qs.filter(parent_id=params.parent_id)
    return _page(qs, params, lambda items: [record_of("taxonomy_term", t) for t in items])


@api.get(
    "/taxonomy_terms/{id}", response=responses(dict[str, Any], 404), summary="One taxonomy term"
)
def taxonomy_term(request: HttpRequest, id: str) -> dict[str, Any]:
    from facit.directory.hsds_io import record_of

    found = TaxonomyTerm.objects.filter(pk=id).first()
    if found is None:
        raise ApiError(404, "not_found", "No such taxonomy term.")
    return record_of("taxonomy_term", found)


# --------------------------------------------------------------------------- the profile
# The canonical resource of facit's HSDS profile (the URI the root answer declares), its
# modifications under /profile/ and the merged schemas under /schema/, as the HSDS Profiles
# reference recommends. Documents about the API, so not operations of its OpenAPI.


@api.get("/profile/", response=responses(dict[str, Any]), include_in_schema=False)
def profile(request: HttpRequest) -> dict[str, Any]:
    from facit.directory.hsds.profile import PROFILE_VERSION, patch_names, schema_names

    def url(view: str, name: str) -> str:
        return request.build_absolute_uri(reverse(f"api-hsds:{view}", kwargs={"name": name}))

    return {
        "name": "facit HSDS profile",
        "version": PROFILE_VERSION,
        "hsds_version": HSDS_VERSION,
        "description": "facit's profile of Open Referral HSDS 3.0: ages in years from 0 to "
        "120, the reach of a service area as a structured text extent (facit:national, "
        "county, municipality or radius) and facit's taxonomy for who a service is for and "
        "the forms of exploitation it answers. Modifications are JSON Merge Patch files "
        "(RFC 7386) named after the HSDS schema file they modify.",
        "license": "CC BY-SA 4.0 (derived from HSDS, an Open Referral resource)",
        "profile": {n: url("profile_patch", n) for n in patch_names()},
        "schema": {n: url("profile_schema", n) for n in schema_names()},
    }


@api.get(
    "/profile/profile/{name}", response=responses(dict[str, Any], 404), include_in_schema=False
)
def profile_patch(request: HttpRequest, name: str) -> dict[str, Any]:
    from facit.directory.hsds.profile import profile_patch as patch_of

    found = patch_of(name)
    if found is None:
        raise ApiError(404, "not_found", "The profile does not modify this file.")
    return found


@api.get("/profile/schema/{name}", response=responses(dict[str, Any], 404), include_in_schema=False)
def profile_schema(request: HttpRequest, name: str) -> dict[str, Any]:
    from facit.directory.hsds.profile import profile_schema as schema_of

    found = schema_of(name)
    if found is None:
        raise ApiError(404, "not_found", "No such schema file.")
    return found


urlpatterns = [path("api/hsds/", api.urls)]
