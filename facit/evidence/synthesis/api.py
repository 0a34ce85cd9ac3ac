"""Public calculators of /api/v1/: one study's effect size, and a meta-analysis.

Inputs use metafor's escalc names so numbers can be checked against R. Every answer is
finite: input that cannot give a finite result is a 422 naming the field
("body.studies[2].sd1i") and the reason, in the API's one error shape.
"""

import math
from typing import Literal

from django.http import HttpRequest
from ninja import Router
from pydantic import BaseModel, ConfigDict, Field

from facit.core.api_errors import ApiError, responses
from facit.evidence.synthesis.services import RATIO_MEASURES, effect_from_reported
from facit.evidence.synthesis.stats import (
    EffectSize,
    MetaResult,
    SynthesisInputError,
    back_transform,
    meta_analysis,
)
from facit.evidence.synthesis.text import note_text

router = Router(tags=["synthesis"])

# Plain pydantic models, not ninja.Schema: these carry no ORM objects, and ninja's
# attribute-resolving validator made a 20-study answer several times slower to build.
Measure = Literal["SMD", "OR", "RR", "RD", "ZCOR", "GEN"]
MethodName = Literal["REML", "DL", "PM", "FE"]
Z95 = 1.959963984540054
STAT_NAMES = (
    "yi", "vi", "ai", "bi", "ci", "di", "m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i",
    "ti", "fi", "pi", "direction", "ri", "ni",
)  # fmt: skip


class StudyStats(BaseModel):
    """One study: yi and vi, or the raw statistics of the measure (metafor escalc names)."""

    model_config = ConfigDict(extra="forbid")

    label: str | None = Field(default=None, max_length=200)
    measure: Measure | None = Field(
        default=None, description="optional; must equal the analysis' measure"
    )
    yi: float | None = Field(default=None, description="effect size (log scale for OR, RR)")
    vi: float | None = Field(default=None, description="sampling variance")
    ai: float | None = Field(default=None, description="2x2 table: events in group 1")
    bi: float | None = Field(default=None, description="2x2 table: non-events in group 1")
    ci: float | None = Field(default=None, description="2x2 table: events in group 2")
    di: float | None = Field(default=None, description="2x2 table: non-events in group 2")
    m1i: float | None = None
    sd1i: float | None = None
    n1i: float | None = None
    m2i: float | None = None
    sd2i: float | None = None
    n2i: float | None = None
    ti: float | None = Field(default=None, description="SMD: independent-samples t")
    fi: float | None = Field(default=None, description="SMD: two-group F (needs direction)")
    pi: float | None = Field(default=None, description="SMD: exact two-sided p (needs direction)")
    direction: float | None = Field(default=None, description="+1 or -1 for fi and pi")
    ri: float | None = Field(default=None, description="ZCOR: correlation")
    ni: float | None = Field(default=None, description="ZCOR: sample size")


class EffectSizeIn(StudyStats):
    measure: Measure  # type: ignore[assignment]


class MetaAnalysisIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    measure: Measure
    method: MethodName = "REML"
    hartung_knapp: bool = False
    studies: list[StudyStats] = Field(max_length=10_000)


class NoteOut(BaseModel):
    code: str
    text: str


class EffectSizeOut(BaseModel):
    measure: str
    yi: float
    vi: float
    se: float
    ci_low: float
    ci_high: float
    yi_exp: float | None = None
    ci_low_exp: float | None = None
    ci_high_exp: float | None = None
    notes: list[NoteOut]


class StudyOut(BaseModel):
    label: str
    yi: float
    vi: float
    weight: float = Field(description="percent of the pooled weight")
    notes: list[NoteOut]


class MetaAnalysisOut(BaseModel):
    measure: str
    method: str
    hartung_knapp: bool
    k: int
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    pi_low: float | None
    pi_high: float | None
    tau2: float
    i2: float
    h2: float
    q: float
    q_df: int
    q_p: float
    statistic: float
    p_value: float
    estimate_exp: float | None = None
    ci_low_exp: float | None = None
    ci_high_exp: float | None = None
    pi_low_exp: float | None = None
    pi_high_exp: float | None = None
    studies: list[StudyOut]


def _invalid(field: str, reason: str) -> ApiError:
    return ApiError(
        422,
        "validation_error",
        "The request has invalid fields.",
        [{"field": field, "reason": reason}],
    )


def _effect(measure: str, study: StudyStats, prefix: str) -> EffectSize:
    if study.measure is not None and study.measure != measure:
        raise _invalid(f"{prefix}measure", f"all studies must use the analysis' measure {measure}")
    stats = {name: getattr(study, name) for name in STAT_NAMES}
    try:
        return effect_from_reported(measure, stats, prefix=prefix)
    except SynthesisInputError as exc:
        raise _invalid(exc.field, exc.reason) from None


def _notes(effect: EffectSize) -> list[dict[str, str]]:
    return [{"code": n.code, "text": note_text(n.code, n.text)} for n in effect.notes]


def _finite(values: dict[str, object], field: str) -> None:
    for value in values.values():
        if isinstance(value, float) and not math.isfinite(value):
            raise _invalid(field, "these values are too extreme to give a finite result")


@router.post(
    "/synthesis/effect-size",
    response=responses(EffectSizeOut, 400, 413),
    auth=None,
    summary="Effect size of one study",
)
def effect_size_one(request: HttpRequest, payload: EffectSizeIn) -> dict[str, object]:
    effect = _effect(payload.measure, payload, "body.")
    half = Z95 * math.sqrt(effect.vi)
    body: dict[str, object] = {
        "measure": effect.measure,
        "yi": effect.yi,
        "vi": effect.vi,
        "se": math.sqrt(effect.vi),
        "ci_low": effect.yi - half,
        "ci_high": effect.yi + half,
    }
    if effect.measure in RATIO_MEASURES:
        body |= {"yi_exp": math.exp(effect.yi), "ci_low_exp": math.exp(effect.yi - half)}
        body["ci_high_exp"] = math.exp(effect.yi + half)
    _finite(body, "body")
    return body | {"notes": _notes(effect)}


def _result_body(result: MetaResult, measure: str) -> dict[str, object]:
    body: dict[str, object] = {
        name: getattr(result, name)
        for name in (
            "method", "hartung_knapp", "k", "estimate", "se", "ci_low", "ci_high", "pi_low",
            "pi_high", "tau2", "i2", "h2", "q", "q_df", "q_p", "statistic", "p_value",
        )
    }  # fmt: skip
    body["measure"] = measure
    if measure in RATIO_MEASURES:
        ratio = back_transform(result)
        body |= {
            "estimate_exp": ratio.estimate,
            "ci_low_exp": ratio.ci_low,
            "ci_high_exp": ratio.ci_high,
            "pi_low_exp": ratio.pi_low,
            "pi_high_exp": ratio.pi_high,
        }
    return body


@router.post(
    "/synthesis/meta-analysis",
    response=responses(MetaAnalysisOut, 400, 413),
    auth=None,
    summary="Meta-analysis of two or more studies",
)
def meta_analysis_endpoint(request: HttpRequest, payload: MetaAnalysisIn) -> dict[str, object]:
    if len(payload.studies) < 2:
        raise _invalid("body.studies", "a meta-analysis needs at least 2 studies")
    effects, problems = [], []
    for i, study in enumerate(payload.studies):
        try:
            effects.append(_effect(payload.measure, study, f"body.studies[{i}]."))
        except ApiError as exc:
            problems.extend(exc.fields)
    if problems:
        raise ApiError(422, "validation_error", "The request has invalid fields.", problems[:50])
    try:
        result = meta_analysis(
            [e.yi for e in effects],
            [e.vi for e in effects],
            method=payload.method,
            hartung_knapp=payload.hartung_knapp,
        )
    except SynthesisInputError as exc:
        raise _invalid("body.studies", exc.reason) from None
    except ArithmeticError:
        raise _invalid("body.studies", "these values are too extreme to pool") from None
    try:
        body = _result_body(result, payload.measure)
    except OverflowError:
        raise _invalid(
            "body.studies", "the pooled interval is too wide to express as a ratio"
        ) from None
    _finite(body, "body.studies")
    studies = [
        {
            "label": s.label or f"Study {i + 1}",
            "yi": e.yi,
            "vi": e.vi,
            "weight": w,
            "notes": _notes(e),
        }
        for i, (s, e, w) in enumerate(zip(payload.studies, effects, result.weights, strict=True))
    ]
    for entry in studies:
        _finite(entry, "body.studies")
    return body | {"studies": studies}
