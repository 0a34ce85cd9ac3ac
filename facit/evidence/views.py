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
from facit.accounts.roles import EDITOR, REVIEWER
from facit.core.concurrency import EditConflict
from facit.core.extensions import intervention_sections
from facit.core.permissions import role_required
from facit.evidence import desk, exports, levels
from facit.evidence import vocabularies as vocab
from facit.evidence.forms import AppraisalForm, DeskSubmitForm, ExtractionForm
from facit.evidence.gapmap import axes as map_axes
from facit.evidence.gapmap.queries import AXES, UnknownAxis, gap_statements, reusable_cell_count
from facit.evidence.gapmap.queries import evidence_map as build_map
from facit.evidence.levels_text import LEVEL_LABELS, LEVEL_RULES, RULES_CHANGES
from facit.evidence.models import Appraisal, Evaluation, Extraction, Intervention
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
from facit.evidence.services import appraisal_consensus, appraisal_disagreements, appraisal_submit


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


def _appraisal_initial(appraisal: Appraisal | None) -> dict[str, object]:
    if appraisal is None:
        return {}
    initial: dict[str, object] = {
        "overall": appraisal.overall,
        "notes": appraisal.notes,
        "design_confirmed": appraisal.design_confirmed_id,
    }
    initial.update({f"domain_{k}": v for k, v in appraisal.domains.items()})
    return initial


@role_required(REVIEWER)
def appraise(request: HttpRequest, pk: int) -> HttpResponse:
    """Blinded appraisal: a reviewer sees the other appraisal only after submitting their own."""
    evaluation = get_object_or_404(
        Evaluation.objects.select_related("intervention", "design"), pk=pk
    )
    appraisals = list(evaluation.appraisals.select_related("appraiser", "design_confirmed"))
    mine = next(
        (
            a
            for a in appraisals
            if a.role == Appraisal.Role.APPRAISER and a.appraiser_id == request.user.pk
        ),
        None,
    )
    others = [
        a
        for a in appraisals
        if a.role == Appraisal.Role.APPRAISER and a.appraiser_id != request.user.pk
    ]
    consensus = next((a for a in appraisals if a.role == Appraisal.Role.CONSENSUS), None)
    form = AppraisalForm(request.POST or None, initial=_appraisal_initial(mine))
    consensus_form = AppraisalForm(
        request.POST or None, prefix="consensus", initial=_appraisal_initial(consensus)
    )
    action = request.POST.get("action")
    if request.method == "POST" and action == "appraise" and form.is_valid():
        appraisal_submit(evaluation=evaluation, appraiser=request.user, **form.judgement())
        messages.success(request, _("Your appraisal was saved."))
        return redirect("evidence:appraise", pk=evaluation.pk)
    if (
        request.method == "POST"
        and action == "consensus"
        and mine
        and others
        and consensus_form.is_valid()
    ):
        appraisal_consensus(
            evaluation=evaluation, actor=request_actor(request), **consensus_form.judgement()
        )
        messages.success(request, _("The consensus was saved and the level recomputed."))
        return redirect("evidence:appraise", pk=evaluation.pk)
    context = {
        "evaluation": evaluation,
        "form": form,
        "consensus_form": consensus_form,
        "mine": mine,
        # Blinding: the other appraisal stays hidden until this reviewer has submitted.
        "others": others if mine else [],
        "others_pending": not others,
        "hidden_others": len(others) if not mine else 0,
        "consensus": consensus,
        "disagreements": appraisal_disagreements(evaluation=evaluation) if mine else {},
        "can_agree": bool(mine and others),
    }
    return render(request, "evidence/appraise.html", context)


def _field_labels() -> dict[str, str]:
    from facit.evidence.models import ROB_DOMAINS

    form = ExtractionForm()
    labels = {name: str(field.label) for name, field in form.fields.items()}
    labels.update({f"rob_domains.{code}": str(label) for code, label in ROB_DOMAINS})
    return labels


def _shown(value: object) -> str:
    from facit.evidence.selectors import design_class_label, direction_labels, outcome_domain_label

    if value is None or value == "" or value == {}:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        return " ".join(f"{k}={v}" for k, v in value.items())
    text = str(value)
    return (
        direction_labels().get(text)
        or (design_class_label(text) if text in vocab.DESIGN_CLASS_LABELS else "")
        or (outcome_domain_label(text) if text in {e.code for e in vocab.OUTCOME_DOMAINS} else "")
        or text
    )


@role_required(REVIEWER)
def extract(request: HttpRequest, pk: int) -> HttpResponse:
    """The extraction desk: blinded dual extraction of one evaluation, then consensus."""
    evaluation = get_object_or_404(
        Evaluation.objects.select_related("intervention", "design"), pk=pk
    )
    reviewers = desk.reviewer_extractions(evaluation)
    mine = next((x for x in reviewers if x.extractor_id == request.user.pk), None)
    others = [x for x in reviewers if x.extractor_id != request.user.pk]
    consensus = evaluation.extractions.filter(role=Extraction.Role.CONSENSUS).first()
    provisional = desk.provisional_of(evaluation)
    start = (
        {name: getattr(mine, name) for name in (*desk.DESK_FIELDS, "note")}
        if mine
        else desk.provisional_initial(evaluation)
    )
    if mine:
        start["version"] = mine.version
    action = request.POST.get("action")
    form = DeskSubmitForm(request.POST if action == "extract" else None, initial=start)
    # A third reviewer may resolve the pair's disagreements without extracting themselves.
    can_resolve = len(reviewers) >= 2
    consensus_start = (
        {name: getattr(consensus, name) for name in (*desk.DESK_FIELDS, "note")}
        if consensus
        else ({name: getattr(reviewers[0], name) for name in desk.DESK_FIELDS} if reviewers else {})
    )
    consensus_form = ExtractionForm(
        request.POST if action == "consensus" else None,
        prefix="consensus",
        initial=consensus_start,
    )
    if request.method == "POST" and action == "extract" and form.is_valid():
        try:
            desk.extraction_submit(
                evaluation=evaluation,
                extractor=request_actor(request),
                data=form.extraction(),
                accepted_provisional=form.cleaned_data["accepted_provisional"],
                expected_version=form.cleaned_data.get("version"),
            )
        except EditConflict:
            messages.error(
                request,
                _(
                    "Your extraction was changed elsewhere after you opened it; nothing was saved. Reload and check it."
                ),
            )
            return redirect("evidence:extract", pk=evaluation.pk)
        messages.success(request, _("Your extraction was saved."))
        return redirect("evidence:extract", pk=evaluation.pk)
    if (
        request.method == "POST"
        and action == "consensus"
        and can_resolve
        and consensus_form.is_valid()
    ):
        try:
            desk.extraction_consensus(
                evaluation=evaluation,
                actor=request_actor(request),
                data=consensus_form.extraction(),
                expected_version=int(request.POST.get("consensus_version") or 0) or None,
            )
        except EditConflict:
            messages.error(
                request,
                _(
                    "The consensus was changed by someone else after you opened it; nothing was saved."
                ),
            )
            return redirect("evidence:extract", pk=evaluation.pk)
        messages.success(
            request,
            _("The consensus was saved: this evaluation is confirmed and the level recomputed."),
        )
        return redirect("evidence:extract", pk=evaluation.pk)
    labels = _field_labels()
    disagreements = (
        desk.extraction_disagreements(evaluation=evaluation) if (mine or can_resolve) else {}
    )
    shown_others = others if (mine or (can_resolve and not mine)) else []
    rows = []
    if mine or can_resolve:
        for name in desk.DESK_FIELDS:
            if name == "rob_domains":
                continue
            rows.append(
                {
                    "label": labels.get(name, name),
                    "values": [_shown(getattr(x, name)) for x in reviewers],
                    "differs": name in disagreements,
                }
            )
    context = {
        "evaluation": evaluation,
        "provisional": extraction_view(evaluation) if provisional else None,
        "form": form,
        "consensus_form": consensus_form,
        "mine": mine,
        "others_count": len(others),
        "hidden_others": len(others) if not mine and not can_resolve else 0,
        "shown_others": shown_others,
        "reviewers": reviewers,
        "rows": rows,
        "disagreements": [
            (labels.get(k, k), _shown(a), _shown(b)) for k, (a, b) in disagreements.items()
        ],
        "can_resolve": can_resolve,
        "consensus": consensus,
    }
    return render(request, "evidence/desk.html", context)


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
