"""GRADE-style certainty of a pooled result, and plain-language sentences about it.

This is a transparent, rule-based *aid*, not a replacement for a GRADE panel: it covers
the three domains that can be computed from data (risk of bias, inconsistency,
imprecision) and leaves indirectness and publication bias to people. Each rule and
threshold is stated below and in every reason it emits, so a reader can disagree
with a specific step.

Rules (each domain rates down at most one level):

* Start: **high** when at least half of the pooled weight comes from randomised
  trials, otherwise **low** (observational evidence).
* Risk of bias: serious when more than half of the pooled weight comes from studies
  rated at high risk of bias.
* Inconsistency: serious when I² > 50 %, or when the prediction interval crosses the
  null although the confidence interval does not (effects may differ in direction).
* Imprecision: serious when the confidence interval crosses the null, when only
  ``SMALL_K`` or fewer studies were pooled, or when the total number of participants
  is below the optimal information size. The default of 400 participants is this
  project's own stated floor, not a value taken from GRADE guidance; a review with a
  power calculation for its outcome passes its own ``optimal_information_size``.
  Unknown study sizes skip this check and say so.

All sentences live in :data:`TEMPLATES`, keyed by stable codes the lead translates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .errors import SynthesisInputError
from .meta import MetaResult, back_transform

LEVELS: tuple[str, ...] = ("very_low", "low", "moderate", "high")
RANDOMISED_DESIGNS = frozenset({"randomised", "randomized", "rct", "cluster_randomised"})
ROB_RATINGS = frozenset({"low", "some_concerns", "moderate", "high", "unclear"})

I2_THRESHOLD = 50.0
HIGH_ROB_WEIGHT_SHARE = 0.5
RANDOMISED_WEIGHT_SHARE = 0.5
SMALL_K = 2
DEFAULT_OPTIMAL_INFORMATION_SIZE = 400

RATIO_MEASURES = frozenset({"OR", "RR"})

#: Every English sentence this module produces, keyed by code. ``{placeholders}`` are
#: filled from the reason/sentence parameters.
TEMPLATES: Mapping[str, str] = {
    # starting level
    "start_high_randomised": "Started at high certainty: {share:.0f}% of the weight comes "
    "from randomised trials.",
    "start_low_observational": "Started at low certainty: only {share:.0f}% of the weight "
    "comes from randomised trials.",
    # rating down
    "risk_of_bias_serious": "Rated down one level for risk of bias: {share:.0f}% of the "
    "weight comes from studies at high risk of bias.",
    "inconsistency_i2": "Rated down one level for inconsistency: I² is {i2:.0f}% (above "
    "{threshold:.0f}%).",
    "inconsistency_prediction_interval": "Rated down one level for inconsistency: the "
    "prediction interval crosses the line of no effect although the confidence "
    "interval does not.",
    "imprecision_ci_crosses_null": "Rated down one level for imprecision: the confidence "
    "interval includes no effect.",
    "imprecision_few_studies": "Rated down one level for imprecision: only {k} studies "
    "were pooled.",
    "imprecision_below_ois": "Rated down one level for imprecision: {n} participants in "
    "total, below the optimal information size of {ois}.",
    "imprecision_total_n_unknown": "The total number of participants is unknown, so the "
    "optimal information size could not be checked.",
    "not_assessed_by_rules": "Indirectness and publication bias are not assessed by "
    "these rules and need a reviewer's judgement.",
    # levels
    "level_high": "High certainty",
    "level_moderate": "Moderate certainty",
    "level_low": "Low certainty",
    "level_very_low": "Very low certainty",
    # plain-language sentences: certainty level x direction
    "plain_high_increase": "The intervention increases the outcome ({summary}).",
    "plain_high_decrease": "The intervention reduces the outcome ({summary}).",
    "plain_high_no_difference": "The intervention makes little or no difference to the "
    "outcome ({summary}).",
    "plain_moderate_increase": "The intervention probably increases the outcome ({summary}).",
    "plain_moderate_decrease": "The intervention probably reduces the outcome ({summary}).",
    "plain_moderate_no_difference": "The intervention probably makes little or no "
    "difference to the outcome ({summary}).",
    "plain_low_increase": "The intervention may increase the outcome ({summary}).",
    "plain_low_decrease": "The intervention may reduce the outcome ({summary}).",
    "plain_low_no_difference": "The intervention may make little or no difference to the "
    "outcome ({summary}).",
    "plain_very_low_increase": "We are very uncertain whether the intervention increases "
    "the outcome ({summary}).",
    "plain_very_low_decrease": "We are very uncertain whether the intervention reduces the "
    "outcome ({summary}).",
    "plain_very_low_no_difference": "We are very uncertain whether the intervention makes "
    "any difference to the outcome ({summary}).",
    "summary": "{measure} {estimate}, {level:.0f}% CI {low} to {high}; {k} studies; {certainty}",
    # measure names used inside the summary
    "measure_SMD": "standardised mean difference (Hedges' g)",
    "measure_OR": "odds ratio",
    "measure_RR": "risk ratio",
    "measure_RD": "risk difference",
    "measure_ZCOR": "Fisher's z",
    "measure_GEN": "effect",
}


@dataclass(frozen=True, slots=True)
class Message:
    """A translatable sentence: a template code and the values it needs."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return render(self)


def render(message: Message) -> str:
    """English text of a message; the lead swaps TEMPLATES for a translated catalogue."""
    return TEMPLATES[message.code].format(**message.params)


@dataclass(frozen=True, slots=True)
class StudyAppraisal:
    """What certainty needs to know about one pooled study, in the meta-analysis order."""

    design: str  # "randomised" or anything else (treated as observational)
    risk_of_bias: str  # "low", "some_concerns"/"moderate", "high", "unclear"
    n: int | None = None  # participants analysed


@dataclass(frozen=True, slots=True)
class Certainty:
    level: str  # one of LEVELS
    start: str  # "high" or "low"
    reasons: tuple[Message, ...]  # starting level, each rating-down, then notes
    downgrades: int = 0

    @property
    def label(self) -> str:
        return render(Message(f"level_{self.level}"))


def _crosses(low: float, high: float, null: float) -> bool:
    return low <= null <= high


def _check(studies: Sequence[StudyAppraisal], result: MetaResult) -> None:
    if len(studies) != result.k:
        raise SynthesisInputError("studies", f"expected {result.k} studies, got {len(studies)}")
    for i, s in enumerate(studies):
        if s.risk_of_bias not in ROB_RATINGS:
            raise SynthesisInputError(
                f"studies[{i}].risk_of_bias", f"must be one of {sorted(ROB_RATINGS)}"
            )
        if s.n is not None and s.n <= 0:
            raise SynthesisInputError(f"studies[{i}].n", "must be greater than zero")


def _share(weights: Sequence[float], flags: Sequence[bool]) -> float:
    return sum(w for w, f in zip(weights, flags, strict=True) if f) / 100.0


def _inconsistency(result: MetaResult, null: float) -> Message | None:
    if result.i2 > I2_THRESHOLD:
        return Message("inconsistency_i2", {"i2": result.i2, "threshold": I2_THRESHOLD})
    if result.pi_low is None or result.pi_high is None:
        return None
    if _crosses(result.pi_low, result.pi_high, null) and not _crosses(
        result.ci_low, result.ci_high, null
    ):
        return Message("inconsistency_prediction_interval")
    return None


def _imprecision(
    studies: Sequence[StudyAppraisal], result: MetaResult, null: float, ois: int
) -> tuple[Message | None, tuple[Message, ...]]:
    if _crosses(result.ci_low, result.ci_high, null):
        return Message("imprecision_ci_crosses_null"), ()
    if result.k <= SMALL_K:
        return Message("imprecision_few_studies", {"k": result.k}), ()
    sizes = [s.n for s in studies]
    if any(n is None for n in sizes):
        return None, (Message("imprecision_total_n_unknown"),)
    total = sum(n for n in sizes if n is not None)
    if total < ois:
        return Message("imprecision_below_ois", {"n": total, "ois": ois}), ()
    return None, ()


def grade_certainty(
    *,
    studies: Sequence[StudyAppraisal],
    result: MetaResult,
    null_value: float = 0.0,
    optimal_information_size: int = DEFAULT_OPTIMAL_INFORMATION_SIZE,
) -> Certainty:
    """Rate certainty of ``result`` (analysis scale; null 0 for SMD and log ratios)."""
    _check(studies, result)
    randomised = _share(result.weights, [s.design.lower() in RANDOMISED_DESIGNS for s in studies])
    start = "high" if randomised >= RANDOMISED_WEIGHT_SHARE else "low"
    code = "start_high_randomised" if start == "high" else "start_low_observational"
    reasons: list[Message] = [Message(code, {"share": 100 * randomised})]
    high_rob = _share(result.weights, [s.risk_of_bias == "high" for s in studies])
    downs: list[Message | None] = []
    if high_rob > HIGH_ROB_WEIGHT_SHARE:
        downs.append(Message("risk_of_bias_serious", {"share": 100 * high_rob}))
    downs.append(_inconsistency(result, null_value))
    imprecision, notes = _imprecision(studies, result, null_value, optimal_information_size)
    downs.append(imprecision)
    applied = [d for d in downs if d is not None]
    reasons.extend(applied)
    reasons.extend(notes)
    reasons.append(Message("not_assessed_by_rules"))
    top = LEVELS.index(start)
    level = LEVELS[max(0, top - len(applied))]
    return Certainty(level=level, start=start, reasons=tuple(reasons), downgrades=len(applied))


# --------------------------------------------------------------------------- plain language


def _fmt(x: float) -> str:
    return f"{x:.2f}"


def _direction(result: MetaResult, null: float) -> str:
    if _crosses(result.ci_low, result.ci_high, null):
        return "no_difference"
    return "increase" if result.estimate > null else "decrease"


def plain_language_message(result: MetaResult, measure: str, certainty: Certainty) -> Message:
    """The plain-language sentence as a code plus parameters (translatable)."""
    key = measure.upper()
    if key in RATIO_MEASURES:
        ratio = back_transform(result)
        est, low, high = ratio.estimate, ratio.ci_low, ratio.ci_high
    else:
        est, low, high = result.estimate, result.ci_low, result.ci_high
    measure_code = f"measure_{key}" if f"measure_{key}" in TEMPLATES else "measure_GEN"
    summary = Message(
        "summary",
        {
            "measure": render(Message(measure_code)),
            "estimate": _fmt(est),
            "low": _fmt(low),
            "high": _fmt(high),
            "level": 100 * result.level,
            "k": result.k,
            "certainty": certainty.label.lower(),
        },
    )
    code = f"plain_{certainty.level}_{_direction(result, 0.0)}"
    return Message(code, {"summary": render(summary)})


def plain_language(result: MetaResult, measure: str, certainty: Certainty) -> str:
    """One English sentence in GRADE's plain-language style (high: "reduces",
    moderate: "probably", low: "may", very low: "we are very uncertain")."""
    return render(plain_language_message(result, measure, certainty))
