"""Reads that span several models of the evidence registry."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from facit.evidence import vocabularies as vocab
from facit.evidence.gapmap import axes as map_axes
from facit.evidence.gapmap.queries import (
    AXES,
    STUDY_AXES,
    AxisValue,
    EvidenceMap,
    Filters,
    age_band_q,
)
from facit.evidence.levels_text import FLAG_LABELS, LEVEL_RULES, explain, level_label
from facit.evidence.models import Appraisal, Evaluation, Intervention, Term


def filters_from_query(params: Mapping[str, Any]) -> Filters:
    """Build map/list filters from query parameters (`focus=a&focus=b&level=3`)."""
    getlist = (
        params.getlist
        if hasattr(params, "getlist")
        else lambda k: [params[k]] if k in params else []
    )
    terms = {axis: [c for c in getlist(axis) if c] for axis in AXES if getlist(axis)}
    level = params.get("level") or None
    status = params.get("status") or ""
    return Filters(
        terms=terms,
        max_level=int(level) if level and str(level).isdigit() else None,
        provisional={"provisional": True, "confirmed": False}.get(str(status)),
        age_bands=[c for c in getlist("age_band") if c],
    )


def interventions_filtered(filters: Filters, query: str = "") -> QuerySet[Intervention]:
    qs = Intervention.objects.published().with_terms().search(query)
    if filters.provisional is not None:
        qs = qs.filter(level_provisional=filters.provisional)
    for key, codes in filters.terms.items():
        axis = map_axes.axis(key)
        lookup: dict[str, object] = {axis.orm_lookup: codes}
        if axis.per_study:
            lookup["evaluations__is_published"] = True
        qs = qs.filter(**lookup)
    if filters.age_bands:
        qs = qs.filter(age_band_q(filters.age_bands))
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
    provisional: bool = False
    results: int = 0
    planned: int = 0
    related: int = 0


def level_view(intervention: Intervention) -> LevelView:
    return LevelView(
        code=intervention.evidence_level,
        label=level_label(intervention.evidence_level),
        rule=str(LEVEL_RULES[intervention.evidence_level]),
        why=explain(intervention.evidence_level, intervention.level_reasons),
        flags=[(f, str(FLAG_LABELS.get(f, f))) for f in intervention.level_flags],
        provisional=intervention.level_provisional,
        results=intervention.results_count,
        planned=intervention.planned_count,
        related=intervention.related_count,
    )


def intervention_detail(slug: str) -> Intervention:
    evaluations = Evaluation.objects.select_related("design").prefetch_related(
        "outcomes",
        "extractions",
        Prefetch(
            "appraisals", queryset=Appraisal.objects.select_related("appraiser", "design_confirmed")
        ),
    )
    return (
        Intervention.objects.published()
        .with_terms()
        .select_related("prevention_level")
        .prefetch_related(
            Prefetch("evaluations", queryset=evaluations.filter(is_published=True)),
            "clearinghouse_ratings",
        )
        .get(slug=slug)
    )


def axis_choices() -> dict[str, list[Term]]:
    grouped: dict[str, list[Term]] = {axis: [] for axis in AXES}
    vocab_to_axis = map_axes.vocabulary_axes()
    for term in Term.objects.all():
        if term.vocabulary in vocab_to_axis:
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


def age_band_label(band: vocab.AgeBand) -> str:
    return band.sv if (get_language() or "sv").startswith("sv") else band.en


def filter_groups(filters: Filters, labels: dict[str, str]) -> list[FilterGroup]:
    """The filter checkboxes of the map and list pages, with their checked state. Countries
    the seed text named but no known country matched are one option, with their count."""
    groups = []
    for axis, terms in axis_choices().items():
        chosen = set(filters.terms.get(axis, []))
        ordered = sorted(terms, key=lambda t: (t.position, t.label))
        options = [FilterOption(t.code, t.label, t.code in chosen) for t in ordered]
        if axis == "country":
            unmatched = (
                Intervention.objects.published()
                .filter(countries__code=vocab.COUNTRY_UNMATCHED.code)
                .count()
            )
            for option in options:
                if option.code == vocab.COUNTRY_UNMATCHED.code:
                    option.label = f"{option.label} ({unmatched})"
        if options:
            groups.append(FilterGroup(axis, labels[axis], options))
    chosen_bands = set(filters.age_bands)
    groups.append(
        FilterGroup(
            "age_band",
            _("Age"),
            [
                FilterOption(b.code, age_band_label(b), b.code in chosen_bands)
                for b in [*vocab.AGE_BANDS, vocab.AGE_NOT_STATED]
            ],
        )
    )
    return groups


@dataclass
class GridCell:
    href: str
    radius: str
    level: int
    text: str
    provisional: bool = False


def map_grid(
    emap: EvidenceMap, list_url: str, query: QueryDict, studies_url: str = ""
) -> list[tuple[AxisValue, list[GridCell | None]]]:
    """Rows of the map with each cell's link, bubble radius and text, ready to render."""
    biggest = emap.max_evaluations() or 1
    base = query.copy()
    for key in ("rows", "cols", "page"):
        base.pop(key, None)
    by_study = bool(studies_url) and bool(
        {emap.row_axis, emap.col_axis} & (STUDY_AXES | {"intervention"})
    )
    url = studies_url if by_study else list_url
    # A cell's link is the query plus its own keys. When none of those keys is in the query
    # already, the query is encoded once and each cell appends its keys (the same text as
    # copying the query per cell, which costs most of a 50-row page).
    own = ("rows", "cols", "row", "col") if by_study else (emap.row_axis, emap.col_axis)
    prefix = base.urlencode() if not any(k in base for k in own) else None

    def href(row: AxisValue, col: AxisValue) -> str:
        if by_study:
            pairs = [("rows", emap.row_axis), ("cols", emap.col_axis)]
            pairs += [("row", row.code), ("col", col.code)]
        else:
            pairs = [(emap.row_axis, row.code)]
            if emap.col_axis != emap.row_axis:
                pairs.append((emap.col_axis, col.code))
        if prefix is not None:
            return f"{url}?{prefix}{'&' if prefix else ''}{urlencode(pairs)}"
        params = base.copy()
        for key, value in pairs:
            params.setlist(key, [value])
        return f"{url}?{params.urlencode()}"

    grid = []
    for row in emap.rows:
        cells: list[GridCell | None] = []
        for col in emap.cols:
            cell = emap.cell(row, col)
            if cell is None:
                cells.append(None)
                continue
            radius = max(4.0, 22 * math.sqrt(cell.evaluations / biggest))
            text = ", ".join(
                [
                    ngettext("%(n)d intervention", "%(n)d interventions", cell.interventions)
                    % {"n": cell.interventions},
                    ngettext("%(n)d evaluation", "%(n)d evaluations", cell.evaluations)
                    % {"n": cell.evaluations},
                    _("best level %(level)d") % {"level": cell.best_level},
                ]
                + (
                    [
                        ngettext("%(n)d provisional", "%(n)d provisional", cell.provisional)
                        % {"n": cell.provisional}
                    ]
                    if cell.provisional
                    else []
                )
            )
            cells.append(
                GridCell(
                    href(row, col),
                    f"{radius:.1f}",
                    cell.best_level,
                    text,
                    cell.provisional == cell.interventions,
                )
            )
        grid.append((row, cells))
    return grid


@dataclass
class ExtractionView:
    """An evaluation's extraction as a page shows it: what was read, from which words."""

    role: str
    provisional: bool
    provenance: str
    design_class: str
    design_label: str
    direction: str
    direction_label: str
    quote: str
    quote_field_label: str
    followup_quote: str
    sustained_months: float | None
    low_confidence: bool
    note: str
    relevance: str
    relevance_label: str
    outcome_domain: str
    outcome_domain_label: str


def direction_labels() -> dict[str, str]:
    return {
        "favourable": _("favourable"),
        "mixed": _("mixed"),
        "no_effect": _("no effect"),
        "unfavourable": _("unfavourable"),
        "harmful": _("harmful"),
        "unclear": _("unclear"),
        "not_reported": _("no result reported"),
    }


def quote_field_labels() -> dict[str, str]:
    return {
        "design": _("design"),
        "design_detail": _("design details"),
        "sample_size": _("sample"),
        "main_outcome": _("main outcome"),
        "result_as_stated": _("result as stated by the source"),
    }


def design_class_label(code: str) -> str:
    en, sv = vocab.DESIGN_CLASS_LABELS.get(code, (code, code))
    return sv if (get_language() or "sv").startswith("sv") else en


def outcome_domain_label(code: str) -> str:
    for entry in vocab.OUTCOME_DOMAINS:
        if entry.code == code:
            return entry.sv if (get_language() or "sv").startswith("sv") else entry.en
    return code


def extraction_view(evaluation: Evaluation) -> ExtractionView | None:
    from facit.evidence.models import Extraction
    from facit.evidence.registry.services import current_extraction

    x = current_extraction(evaluation)
    if x is None:
        return None
    return ExtractionView(
        role=x.role,
        provisional=x.role == Extraction.Role.PROVISIONAL,
        provenance=x.provenance,
        design_class=x.design_class,
        design_label=design_class_label(x.design_class),
        direction=x.direction,
        direction_label=direction_labels().get(x.direction, x.direction),
        quote=x.evidence_quote,
        quote_field_label=quote_field_labels().get(x.evidence_quote_field, x.evidence_quote_field),
        followup_quote=x.followup_quote,
        sustained_months=x.sustained_months,
        low_confidence=x.confidence == "low",
        note=x.note,
        relevance=x.relevance,
        relevance_label=str(Extraction.Relevance(x.relevance).label),
        outcome_domain=x.outcome_domain,
        outcome_domain_label=outcome_domain_label(x.outcome_domain),
    )
