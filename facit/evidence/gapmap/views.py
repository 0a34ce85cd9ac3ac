"""The evidence & gap map's pages: the map itself (bubbles or table), its downloads and the
studies behind one bubble."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from facit.evidence.gapmap import axes as map_axes
from facit.evidence.gapmap import exports
from facit.evidence.gapmap.queries import AXES, UnknownAxis, gap_statements, reusable_cell_count
from facit.evidence.gapmap.queries import evidence_map as build_map
from facit.evidence.gapmap.selectors import filter_groups, filters_from_query, map_grid
from facit.evidence.levels_text import LEVEL_LABELS
from facit.evidence.registry.selectors import extraction_view, interventions_filtered, level_view


def _axes(request: HttpRequest) -> tuple[str, str]:
    rows = request.GET.get("rows", "focus")
    cols = request.GET.get("cols", "target_group")
    if rows not in AXES or cols not in AXES:
        raise Http404
    return rows, cols


def evidence_map(request: HttpRequest) -> HttpResponse:
    rows, cols = _axes(request)
    filters = filters_from_query(request.GET)
    emap = build_map(rows, cols, filters, page=_page_number(request))
    labels = axis_labels()
    table_view = request.GET.get("view") == "table"
    switch = request.GET.copy()
    switch["view"] = "table"
    table_query = switch.urlencode()
    switch.pop("view")
    context = {
        "table_view": table_view,
        "table_query": table_query,
        "bubble_query": switch.urlencode(),
        "table_rows": _table_rows(emap, request) if table_view else [],
        "emap": emap,
        "grid": map_grid(
            emap,
            reverse("evidence:intervention_list"),
            request.GET,
            reverse("evidence:map_studies"),
        ),
        "gaps": gap_statements(focus_target_cells=reusable_cell_count(emap, filters)),
        "axes": [(a, labels[a]) for a in AXES],
        "rows": rows,
        "cols": cols,
        "row_label": labels[rows],
        "col_label": labels[cols],
        "filter_groups": filter_groups(filters, labels),
        "filters": filters,
        "levels": [(code, LEVEL_LABELS[code]) for code in range(1, 8)],
        "query": request.GET.urlencode(),
        "pager": _pager(emap, request),
    }
    return render(request, "evidence/map.html", context)


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() else 1


def _pager(emap: Any, request: HttpRequest) -> dict[str, Any] | None:
    """Links to the previous and next page of a paged map (rows or cols=intervention)."""
    if emap.pages <= 1:
        return None
    params = request.GET.copy()
    params.pop("page", None)

    def link(n: int) -> str:
        params["page"] = str(n)
        return f"?{params.urlencode()}"

    first = (emap.page - 1) * emap.per_page + 1
    # the rows when they are paged, else the columns (cols=intervention)
    by_rows = "cols" not in emap.paged or "rows" in emap.paged
    shown, count = (len(emap.rows), emap.row_count) if by_rows else (len(emap.cols), emap.col_count)
    return {
        "side": "rows" if by_rows else "cols",
        "page": emap.page,
        "pages": emap.pages,
        "first": first,
        "last": first + shown - 1,
        "count": count,
        "previous": link(emap.page - 1) if emap.page > 1 else "",
        "next": link(emap.page + 1) if emap.page < emap.pages else "",
    }


def _table_rows(emap: Any, request: HttpRequest) -> list[dict[str, Any]]:
    """Every cell of the map as a table row (the accessible alternative to the bubbles)."""
    links = {
        (row.code, col.code): cell.href
        for row, cells in map_grid(
            emap,
            reverse("evidence:intervention_list"),
            request.GET,
            reverse("evidence:map_studies"),
        )
        for col, cell in zip(emap.cols, cells, strict=True)
        if cell
    }
    rows = exports.map_rows(emap)
    for row in rows:
        row["href"] = links.get((row["row"], row["col"]), "")
    return rows


def axis_labels() -> dict[str, str]:
    """Axis names in the active language (from the one axis registry)."""
    return map_axes.labels()


def map_export(request: HttpRequest, fmt: str) -> HttpResponse:
    rows, cols = _axes(request)
    # The image shows the page being looked at; the data downloads hold every row.
    page = _page_number(request) if fmt == "svg" else None
    try:
        emap = build_map(rows, cols, filters_from_query(request.GET), page=page)
    except UnknownAxis as exc:
        raise Http404 from exc
    if fmt == "csv":
        response = HttpResponse(exports.map_csv(emap), content_type="text/csv; charset=utf-8")
    elif fmt == "json":
        response = JsonResponse(exports.map_json(emap), json_dumps_params={"ensure_ascii": False})
    elif fmt == "eppi.json":
        from facit.evidence.gapmap.eppi import eppi_mapper_json

        body = json.dumps(
            eppi_mapper_json(interventions_filtered(filters_from_query(request.GET))),
            ensure_ascii=False,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    elif fmt == "svg":
        from facit.evidence.gapmap.svg import map_svg

        labels = axis_labels()
        response = HttpResponse(
            map_svg(emap, request.GET, labels[rows], labels[cols]),
            content_type="image/svg+xml; charset=utf-8",
        )
    else:
        raise Http404
    response["Content-Disposition"] = (
        f'attachment; filename="facit-evidence-map-{rows}-{cols}.{fmt}"'
    )
    return response


def map_studies(request: HttpRequest) -> HttpResponse:
    """The studies behind one bubble of the map: design, direction and level of each."""
    from facit.evidence.gapmap.queries import cell_studies

    rows, cols = _axes(request)
    row, col = request.GET.get("row", ""), request.GET.get("col", "")
    params = request.GET.copy()
    for key in ("row", "col", "rows", "cols", "page"):
        params.pop(key, None)
    filters = filters_from_query(params)
    studies = cell_studies(rows, cols, row, col, filters)
    items = [
        (e, extraction_view(e), level_view(e.intervention))
        for e in sorted(studies, key=lambda e: (e.intervention.name, e.year, e.title))
    ]
    labels = axis_labels()
    emap_values = {v.code: v.label for axis in {rows, cols} for v in _values(axis)}
    context = {
        "items": items,
        "row_label": labels[rows],
        "col_label": labels[cols],
        "row_value": emap_values.get(row, row),
        "col_value": emap_values.get(col, col),
        "back": f"{reverse('evidence:map')}?{request.GET.urlencode()}",
    }
    return render(request, "evidence/map_studies.html", context)


def _values(axis: str) -> list[Any]:
    return list(map_axes.axis(axis).values().values())
