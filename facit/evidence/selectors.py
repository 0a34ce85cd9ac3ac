"""Reads that span several models of the evidence registry."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from facit.evidence import vocabularies as vocab
from facit.evidence.gapmap import AXES, EvidenceMap, Filters
from facit.evidence.levels_text import FLAG_LABELS, LEVEL_RULES, explain, level_label
from facit.evidence.models import Appraisal, Evaluation, Intervention, Term

FILTER_FIELDS = {
    "focus": "focus",
    "target_group": "target_groups",
    "setting": "settings",
    "country": "countries",
    "prevention_level": "prevention_level",
}


def filters_from_query(params: Mapping[str, Any]) -> Filters:
    """Build map/list filters from query parameters (`focus=a&focus=b&level=3`)."""
    getlist = (
        params.getlist
        if hasattr(params, "getlist")
        else lambda k: [params[k]] if k in params else []
    )
    terms = {axis: [c for c in getlist(axis) if c] for axis in AXES if getlist(axis)}
    level = params.get("level") or None
    return Filters(terms=terms, max_level=int(level) if level and str(level).isdigit() else None)


def interventions_filtered(filters: Filters, query: str = "") -> QuerySet[Intervention]:
    qs = Intervention.objects.published().with_terms().search(query)
    for axis, codes in filters.terms.items():
        if axis == "design":
            qs = qs.filter(evaluations__design__code__in=codes)
        else:
            qs = qs.filter(**{f"{FILTER_FIELDS[axis]}__code__in": codes})
    if filters.max_level is not None:
        qs = qs.filter(evidence_level__lte=filters.max_level)
    return qs.distinct().order_by("evidence_level", "name")


@dataclass
class LevelView:
    code: int
    label: str
    rule: str
    why: str
    flags: list[tuple[str, str]]


def level_view(intervention: Intervention) -> LevelView:
    return LevelView(
        code=intervention.evidence_level,
        label=level_label(intervention.evidence_level),
        rule=str(LEVEL_RULES[intervention.evidence_level]),
        why=explain(intervention.evidence_level, intervention.level_reasons),
        flags=[(f, str(FLAG_LABELS.get(f, f))) for f in intervention.level_flags],
    )


def intervention_detail(slug: str) -> Intervention:
    evaluations = Evaluation.objects.select_related("design").prefetch_related(
        "outcomes",
        Prefetch(
            "appraisals", queryset=Appraisal.objects.select_related("appraiser", "design_confirmed")
        ),
    )
    return (
        Intervention.objects.published()
        .with_terms()
        .select_related("prevention_level")
        .prefetch_related(Prefetch("evaluations", queryset=evaluations), "clearinghouse_ratings")
        .get(slug=slug)
    )


def axis_choices() -> dict[str, list[Term]]:
    grouped: dict[str, list[Term]] = {axis: [] for axis in AXES}
    vocab_to_axis = {
        vocab.FOCUS: "focus",
        vocab.TARGET_GROUP: "target_group",
        vocab.SETTING: "setting",
        vocab.PREVENTION_LEVEL: "prevention_level",
        vocab.COUNTRY: "country",
        vocab.DESIGN: "design",
    }
    for term in Term.objects.all():
        grouped[vocab_to_axis[term.vocabulary]].append(term)
    return grouped


@dataclass
class FilterOption:
    code: str
    label: str
    checked: bool


@dataclass
class FilterGroup:
    axis: str
    label: str
    options: list[FilterOption]


def filter_groups(filters: Filters, labels: dict[str, str]) -> list[FilterGroup]:
    """The filter checkboxes of the map and list pages, with their checked state."""
    groups = []
    for axis, terms in axis_choices().items():
        chosen = set(filters.terms.get(axis, []))
        options = [FilterOption(t.code, t.label, t.code in chosen) for t in terms]
        if options:
            groups.append(FilterGroup(axis, labels[axis], options))
    return groups


@dataclass
class GridCell:
    href: str
    radius: str
    level: int
    text: str


def map_grid(
    emap: EvidenceMap, list_url: str, query: QueryDict
) -> list[tuple[Term, list[GridCell | None]]]:
    """Rows of the map with each cell's link, bubble radius and text, ready to render."""
    biggest = emap.max_evaluations() or 1
    base = query.copy()
    for key in ("rows", "cols", "page"):
        base.pop(key, None)
    grid = []
    for row in emap.rows:
        cells: list[GridCell | None] = []
        for col in emap.cols:
            cell = emap.cell(row, col)
            if cell is None:
                cells.append(None)
                continue
            params = base.copy()
            params.setlist(emap.row_axis, [row.code])
            if emap.col_axis != emap.row_axis:
                params.setlist(emap.col_axis, [col.code])
            radius = max(4.0, 22 * math.sqrt(cell.evaluations / biggest))
            text = ", ".join(
                [
                    ngettext("%(n)d intervention", "%(n)d interventions", cell.interventions)
                    % {"n": cell.interventions},
                    ngettext("%(n)d evaluation", "%(n)d evaluations", cell.evaluations)
                    % {"n": cell.evaluations},
                    _("best level %(level)d") % {"level": cell.best_level},
                ]
            )
            cells.append(
                GridCell(f"{list_url}?{params.urlencode()}", f"{radius:.1f}", cell.best_level, text)
            )
        grid.append((row, cells))
    return grid
