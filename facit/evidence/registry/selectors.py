"""Reads of the evidence registry: the filtered list, one intervention with its evaluations,
its level explained, and an evaluation's extraction as a page shows it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from facit.evidence.gapmap import axes as map_axes
from facit.evidence.gapmap.queries import Filters, age_band_q
from facit.evidence.labels import (
    design_class_label,
    direction_labels,
    outcome_domain_label,
    quote_field_labels,
)
from facit.evidence.levels_text import FLAG_LABELS, LEVEL_RULES, explain, level_label
from facit.evidence.models import Appraisal, Evaluation, Extraction, Intervention
from facit.evidence.registry.services import current_extraction


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


def extraction_view(evaluation: Evaluation) -> ExtractionView | None:
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
