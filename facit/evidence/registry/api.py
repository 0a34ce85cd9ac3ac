"""The intervention registry's endpoints of /api/v1/: interventions with their evaluations."""

from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from facit.core.api_errors import responses
from facit.evidence import vocabularies as vocab
from facit.evidence.appraisal.selectors import public_appraisals, public_extraction
from facit.evidence.gapmap import cache as evidence_cache
from facit.evidence.gapmap.selectors import filters_from_query
from facit.evidence.levels_text import FLAG_LABELS
from facit.evidence.models import Evaluation, Extraction, Intervention, Outcome, Provenance
from facit.evidence.registry.selectors import (
    intervention_detail,
    interventions_filtered,
    level_view,
)

router = Router(tags=["evidence"])

AgeBand = Literal["0-5", "6-12", "13-17", "18-plus", "not-stated"]
assert set(AgeBand.__args__) == {  # type: ignore[attr-defined]
    b.code for b in [*vocab.AGE_BANDS, vocab.AGE_NOT_STATED]
}


class LevelOut(Schema):
    code: int
    label: str
    why: str
    rule: str
    provisional: bool = Field(
        description="true while the level rests on one extractor's unconfirmed reading"
    )
    evaluations_with_results: int
    evaluations_planned: int
    related_evidence: int


class FlagOut(Schema):
    code: str
    label: str


class InterventionOut(Schema):
    id: str
    name: str
    focus: list[str]
    target_groups: list[str]
    evaluation_count: int
    evidence_level: LevelOut
    flags: list[FlagOut]
    url: str


class OutcomeOut(Schema):
    measure: str
    comparison_key: str
    direction: str
    timepoint_months: int | None
    effect_measure: str
    reported: dict[str, float]
    n_total: int | None
    yi: float | None
    vi: float | None
    provenance: str = Field(description="provisional | confirmed | entered")
    provenance_text: str
    outcome_domain: str
    evidence_quote: str


class ExtractionOut(Schema):
    role: str = Field(description="provisional (one extractor) or consensus (two reviewers)")
    provisional: bool
    provenance: str
    design_class: str
    controlled: bool | None
    counts_as: str = Field(description="own | related | planned")
    direction: str
    sustained_months: float | None
    evidence_quote: str
    evidence_quote_field: str
    confidence: str
    note: str
    outcome_domain: str


class AppraisalOut(Schema):
    """The consensus, and each reviewer's appraisal once both of the pair are in."""

    role: str
    overall: str
    domains: dict[str, str]


class EvaluationOut(Schema):
    id: int
    title: str
    authors: str
    year: str
    journal: str
    doi: str
    report_number: str
    citation: str
    design: str
    design_detail: str
    sample_size: int | None
    sample_size_text: str
    follow_up_months: int | None
    independent: bool | None
    main_outcome: str
    result_as_stated: str
    sources: list[str]
    outcomes: list[OutcomeOut]
    appraisals: list[AppraisalOut]
    extraction: ExtractionOut | None


class RatingOut(Schema):
    clearinghouse: str
    rating: str
    date: str
    source: str


class InterventionDetailOut(InterventionOut):
    description: str
    settings: list[str]
    countries: list[str]
    setting_text: str
    country_text: str
    sources: list[str]
    origin: str
    evaluations: list[EvaluationOut]
    clearinghouse_ratings: list[RatingOut]


class InterventionFilters(Schema):
    focus: list[str] = Field(default_factory=list)
    target_group: list[str] = Field(default_factory=list)
    setting: list[str] = Field(default_factory=list)
    country: list[str] = Field(default_factory=list)
    design: list[str] = Field(default_factory=list)
    outcome_domain: list[str] = Field(default_factory=list)
    age_band: list[AgeBand] = Field(
        default_factory=list,
        description=(
            "age bands in years (0-5, 6-12, 13-17, 18-plus) an intervention's age range "
            "overlaps, or not-stated for interventions without one"
        ),
    )
    status: Literal["", "provisional", "confirmed"] = Field(
        default="", description="only provisional levels, or only levels confirmed at the desk"
    )
    level: int | None = Field(default=None, ge=1, le=7, description="this level or better")
    q: str = ""


def _item(i: Intervention) -> dict:
    level = level_view(i)
    return {
        "id": i.slug,
        "name": i.name,
        "focus": [t.code for t in i.focus.all()],
        "target_groups": [t.code for t in i.target_groups.all()],
        "evaluation_count": i.evaluation_count,
        "evidence_level": {
            "code": level.code,
            "label": level.label,
            "why": level.why,
            "rule": level.rule,
            "provisional": level.provisional,
            "evaluations_with_results": level.results,
            "evaluations_planned": level.planned,
            "related_evidence": level.related,
        },
        "flags": [{"code": f, "label": str(FLAG_LABELS.get(f, f))} for f in i.level_flags],
        "url": reverse("evidence:intervention_detail", args=[i.slug]),
    }


def _evaluation(e: Evaluation) -> dict:
    return {
        **{
            name: getattr(e, name)
            for name in (
                "id",
                "title",
                "authors",
                "year",
                "journal",
                "doi",
                "report_number",
                "citation",
                "design_detail",
                "sample_size",
                "sample_size_text",
                "follow_up_months",
                "independent",
                "main_outcome",
                "result_as_stated",
                "sources",
            )
        },
        "design": e.design.code,
        "outcomes": [_outcome(o) for o in e.outcomes.all()],
        "appraisals": public_appraisals(e),
        "extraction": _extraction(e),
    }


def _outcome(o: Outcome) -> dict:
    return {
        **{
            name: getattr(o, name)
            for name in (
                "measure",
                "comparison_key",
                "direction",
                "timepoint_months",
                "effect_measure",
                "reported",
                "n_total",
                "yi",
                "vi",
                "provenance",
                "outcome_domain",
                "evidence_quote",
            )
        },
        "provenance_text": str(Provenance(o.provenance).label),
    }


def _extraction(e: Evaluation) -> dict | None:
    x = public_extraction(e)
    if x is None:
        return None
    return {
        "role": x.role,
        "provisional": x.role == Extraction.Role.PROVISIONAL,
        "provenance": x.provenance,
        "design_class": x.design_class,
        "controlled": x.controlled,
        "counts_as": x.relevance,
        "direction": x.direction,
        "sustained_months": x.sustained_months,
        "evidence_quote": x.evidence_quote,
        "evidence_quote_field": x.evidence_quote_field,
        "confidence": x.confidence,
        "note": x.note,
        "outcome_domain": x.outcome_domain,
    }


@router.get(
    "/interventions", response=responses(list[InterventionOut]), summary="List interventions"
)
@paginate(LimitOffsetPagination)
def interventions_list(request: HttpRequest, filters: Query[InterventionFilters]) -> list[dict]:
    data = filters.dict()
    query = data.pop("q")
    params = {k: v for k, v in data.items() if v}
    parsed = filters_from_query(QueryLike(params))

    def items() -> list[dict]:
        return [_item(i) for i in interventions_filtered(parsed, query)]

    if query:  # free words: too many different queries to keep, and fewer items to build
        return items()
    # Without words the items depend only on the evidence data, the filters and the
    # language, so they are built once per evidence revision (gapmap.cache: shared by the
    # workers through Redis when it is configured); a page of them is a slice.
    return evidence_cache.cached("api-interventions", (parsed.key(), get_language()), items)


@router.get(
    "/interventions/{slug}",
    response=responses(InterventionDetailOut, 404),
    summary="One intervention with its evidence",
)
def interventions_detail(request: HttpRequest, slug: str) -> dict:
    try:
        i = intervention_detail(slug)
    except Intervention.DoesNotExist:
        get_object_or_404(Intervention.objects.none())
    return {
        **_item(i),
        "description": i.description,
        "settings": [t.code for t in i.settings.all()],
        "countries": [t.code for t in i.countries.all()],
        "setting_text": i.setting_text,
        "country_text": i.country_text,
        "sources": i.sources,
        "origin": i.origin,
        "evaluations": [_evaluation(e) for e in i.evaluations.all()],
        "clearinghouse_ratings": list(i.clearinghouse_ratings.all()),
    }


class QueryLike(dict):
    """Lets validated API parameters pass through the same filter builder as the pages."""

    def getlist(self, key: str) -> list[str]:
        value = self.get(key)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]
