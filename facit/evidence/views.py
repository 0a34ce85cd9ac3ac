from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from facit.accounts.actor import request_actor
from facit.accounts.roles import EDITOR
from facit.core.concurrency import EditConflict
from facit.core.extensions import intervention_sections
from facit.core.permissions import role_required
from facit.evidence import exports, levels
from facit.evidence.appraisal.services import appraisal_disagreements
from facit.evidence.gapmap import axes as map_axes
from facit.evidence.gapmap.queries import AXES, UnknownAxis, gap_statements, reusable_cell_count
from facit.evidence.gapmap.queries import evidence_map as build_map
from facit.evidence.levels_text import LEVEL_LABELS, LEVEL_RULES, RULES_CHANGES
from facit.evidence.models import Evaluation, Intervention
from facit.evidence.selectors import (
    extraction_view,
    filter_groups,
    filters_from_query,
    interventions_filtered,
    level_view,
    map_grid,
)
from facit.evidence.selectors import (
    intervention_detail as get_detail,
)


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
    """Links to the previous and next page of a paged map (rows=intervention)."""
    if emap.pages <= 1:
        return None
    params = request.GET.copy()
    params.pop("page", None)

    def link(n: int) -> str:
        params["page"] = str(n)
        return f"?{params.urlencode()}"

    first = (emap.page - 1) * emap.per_page + 1
    return {
        "page": emap.page,
        "pages": emap.pages,
        "first": first,
        "last": first + len(emap.rows) - 1,
        "count": emap.row_count,
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
        from facit.evidence.eppi import eppi_mapper_json

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


def intervention_list(request: HttpRequest) -> HttpResponse:
    filters = filters_from_query(request.GET)
    query = request.GET.get("q", "").strip()
    page = Paginator(interventions_filtered(filters, query), 25).get_page(request.GET.get("page"))
    items = [(i, level_view(i)) for i in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "items": items,
        "query": query,
        "filters": filters,
        "filter_groups": filter_groups(filters, axis_labels()),
        "levels": [(code, LEVEL_LABELS[code]) for code in range(1, 8)],
        "params": params.urlencode(),
    }
    return render(request, "evidence/intervention_list.html", context)


def intervention_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        intervention = get_detail(slug)
    except Intervention.DoesNotExist as exc:
        raise Http404 from exc
    evaluations = list(intervention.evaluations.all())
    appraisal_rows = [
        (e, appraisal_disagreements(evaluation=e), extraction_view(e)) for e in evaluations
    ]
    context = {
        "intervention": intervention,
        "level": level_view(intervention),
        "evaluations": appraisal_rows,
        "related": [e for e, _d, x in appraisal_rows if x and x.relevance == "related"],
        "planned": [e for e, _d, x in appraisal_rows if x and x.relevance == "planned"],
        "sections": intervention_sections(request, intervention),
    }
    return render(request, "evidence/intervention_detail.html", context)


def compare(request: HttpRequest) -> HttpResponse:
    slugs = [s for s in request.GET.getlist("i") if s][:4]
    interventions = list(Intervention.objects.published().with_terms().filter(slug__in=slugs))
    interventions.sort(key=lambda i: slugs.index(i.slug))
    error = ""
    if len(interventions) < 2:
        error = _("Choose two to four interventions to compare.")
    columns = [(i, level_view(i)) for i in interventions]
    return render(request, "evidence/compare.html", {"columns": columns, "error": error})


def level_rules(request: HttpRequest) -> HttpResponse:
    rows = [(code, LEVEL_LABELS[code], LEVEL_RULES[code]) for code in range(1, 8)]
    context = {
        "rows": rows,
        "version": levels.RULES_VERSION,
        "changelog": {
            version: RULES_CHANGES.get(version, change)
            for version, change in levels.RULES_CHANGELOG.items()
        },
    }
    return render(request, "evidence/levels.html", context)


@role_required(EDITOR)
def drafts(request: HttpRequest) -> HttpResponse:
    """Editors publish draft interventions and evaluations (e.g. made from a literature review)."""
    from facit.evidence.services import evaluation_publish, intervention_publish

    if request.method == "POST":
        version = int(request.POST.get("version") or 0)
        try:
            if request.POST.get("intervention"):
                target = get_object_or_404(
                    Intervention, pk=request.POST["intervention"], is_published=False
                )
                intervention_publish(
                    intervention=target, expected_version=version, actor=request_actor(request)
                )
            else:
                evaluation = get_object_or_404(
                    Evaluation, pk=request.POST.get("evaluation"), is_published=False
                )
                evaluation_publish(
                    evaluation=evaluation, expected_version=version, actor=request_actor(request)
                )
        except EditConflict:
            messages.error(
                request,
                _("Someone changed this draft after you opened the page; nothing was published."),
            )
            return redirect("evidence:drafts")
        messages.success(request, _("Published."))
        return redirect("evidence:drafts")
    context = {
        "interventions": Intervention.objects.filter(is_published=False).order_by("name"),
        "evaluations": Evaluation.objects.filter(
            is_published=False, intervention__is_published=True
        )
        .select_related("intervention", "design")
        .order_by("intervention__name", "title"),
    }
    return render(request, "evidence/drafts.html", context)


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


@role_required(EDITOR)
def intervention_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """An editor changes an intervention's descriptive fields (published or draft), through
    `intervention_update`: audited, and refused from a stale copy with a 409 and the
    stored values to compare."""
    from facit.evidence.forms import InterventionEditForm
    from facit.evidence.services import intervention_update

    intervention = get_object_or_404(Intervention, slug=slug)
    form = InterventionEditForm(
        request.POST or None,
        instance=intervention,
        initial={"loaded_version": intervention.version},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        fresh = Intervention.objects.get(pk=intervention.pk)
        try:
            intervention_update(
                intervention=fresh,
                expected_version=form.cleaned_data["loaded_version"],
                data=form.changes(),
                actor=request_actor(request),
            )
        except EditConflict:
            status = 409
            form.add_error(
                None,
                _(
                    "Someone else saved this intervention after you opened it, so your changes "
                    "were not saved. The values saved now are shown below the form; open the "
                    "page again to edit them."
                ),
            )
            stored = Intervention.objects.get(pk=intervention.pk)  # not the refused copy
            context = {
                "intervention": stored,
                "form": form,
                "stored": _stored_values(InterventionEditForm(instance=stored)),
            }
            return render(request, "evidence/intervention_edit.html", context, status=status)
        messages.success(request, _("The intervention was saved."))
        url = reverse("evidence:intervention_detail", args=[fresh.slug])
        return redirect(url if fresh.is_published else reverse("evidence:drafts"))
    context = {"intervention": intervention, "form": form, "stored": None}
    return render(request, "evidence/intervention_edit.html", context, status=status)


def _stored_values(form: Any) -> list[tuple[str, str]]:
    """Each field's label and its stored value as text, for the conflict page."""
    rows = []
    for bound in form:
        if bound.is_hidden:
            continue
        value = form.initial.get(bound.name)
        field = bound.field
        if hasattr(field, "queryset") and value is not None:
            chosen = value if isinstance(value, list | tuple) else [value]
            ids = [getattr(v, "pk", v) for v in chosen]
            text = ", ".join(str(t) for t in field.queryset.filter(pk__in=ids))
        elif value is True:
            text = _("Yes")
        elif value is False:
            text = _("No")
        else:
            text = "" if value is None else str(value)
        rows.append((str(bound.label), text or "–"))
    return rows
