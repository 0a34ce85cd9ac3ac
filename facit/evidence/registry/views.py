"""The intervention registry's pages: the list, one intervention with its evaluations, the
comparison, the level rules, and the editors' drafts and edit form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from facit.accounts.actor import request_actor
from facit.accounts.roles import EDITOR
from facit.core.concurrency import EditConflict
from facit.core.extensions import intervention_sections
from facit.core.permissions import role_required
from facit.evidence import levels
from facit.evidence.appraisal.selectors import public_appraisal_disagreements, public_appraisals
from facit.evidence.gapmap import axes as map_axes
from facit.evidence.gapmap import cache as evidence_cache
from facit.evidence.gapmap.selectors import filter_groups, filters_from_query
from facit.evidence.levels_text import LEVEL_LABELS, LEVEL_RULES, RULES_CHANGES
from facit.evidence.models import Evaluation, Intervention
from facit.evidence.registry.forms import InterventionEditForm
from facit.evidence.registry.selectors import (
    LevelView,
    extraction_view,
    interventions_filtered,
    level_view,
)
from facit.evidence.registry.selectors import intervention_detail as get_detail
from facit.evidence.registry.services import (
    evaluation_publish,
    intervention_publish,
    intervention_update,
)


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
        "filter_groups": filter_groups(filters, map_axes.labels()),
        "levels": [(code, LEVEL_LABELS[code]) for code in range(1, 8)],
        "params": params.urlencode(),
    }
    return render(request, "evidence/intervention_list.html", context)


def _page_data(slug: str) -> tuple[Intervention, LevelView, list[tuple[Any, ...]]]:
    """The evidence an intervention's page shows: published data only, the same for every
    visitor, so it is kept per evidence revision and language (gapmap.cache)."""
    intervention = get_detail(slug)
    appraisal_rows = [
        (e, public_appraisal_disagreements(e), extraction_view(e), public_appraisals(e))
        for e in intervention.evaluations.all()
    ]
    return intervention, level_view(intervention), appraisal_rows


def intervention_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        intervention, level, appraisal_rows = evidence_cache.cached(
            "intervention-page", (slug, get_language()), lambda: _page_data(slug)
        )
    except Intervention.DoesNotExist as exc:
        raise Http404 from exc
    context = {
        "intervention": intervention,
        "level": level,
        "evaluations": appraisal_rows,
        "related": [e for e, _d, x, _a in appraisal_rows if x and x.relevance == "related"],
        "planned": [e for e, _d, x, _a in appraisal_rows if x and x.relevance == "planned"],
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


@role_required(EDITOR)
def intervention_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """An editor changes an intervention's descriptive fields (published or draft), through
    `intervention_update`: audited, and refused from a stale copy with a 409 and the
    stored values to compare."""
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
