"""Per-outcome results and pooled results of one intervention, ready for a page.

Which outcomes are pooled (stated on the page too):

* outcomes with the same "comparable outcome" name (case-insensitive) and the same effect
  measure form a group; an outcome without that name stands alone;
* one outcome per sample: evaluations sharing a ``sample_key`` (or one evaluation with
  several timepoints) contribute their latest timepoint only, since pooling the same
  participants twice would overstate the certainty;
* a group with two or more independent samples is pooled by random effects (REML).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _

from facit.evidence import vocabularies as vocab
from facit.evidence.citations import author_names
from facit.evidence.models import Appraisal, Evaluation, Intervention, Outcome
from facit.evidence.synthesis.services import MAX_LOG_RATIO
from facit.evidence.synthesis.stats import (
    Certainty,
    Message,
    MetaResult,
    StudyAppraisal,
    back_transform,
    forest_plot_svg,
    grade_certainty,
    meta_analysis,
    plain_language_message,
)
from facit.evidence.synthesis.stats.meta import Method
from facit.evidence.synthesis.text import MESSAGES, message_text, note_text

RATIO_MEASURES = frozenset({"OR", "RR"})
METHOD: Method = "REML"
Z95 = 1.959963984540054


def number(value: float, places: int = 2) -> str:
    """A number in the active language's format (decimal comma in Swedish)."""
    rounded = round(value, places) or 0.0  # no "-0.00"
    return str(formats.number_format(rounded, decimal_pos=places))


@dataclass
class OutcomeRow:
    outcome: Outcome
    evaluation: Evaluation
    label: str
    yi: float  # analysis scale, as stored
    vi: float
    estimate: float  # display scale (ratios exponentiated)
    ci_low: float
    ci_high: float
    n: int | None
    notes: list[str]
    pooled: bool = False
    weight: float | None = None


@dataclass
class Pooled:
    result: MetaResult
    certainty: Certainty
    certainty_label: str
    reasons: list[str]
    sentence: str
    svg: str
    estimate: float  # display scale
    ci_low: float
    ci_high: float
    pi_low: float | None
    pi_high: float | None


@dataclass
class OutcomeGroup:
    name: str
    measure: str
    measure_label: str
    rows: list[OutcomeRow] = field(default_factory=list)
    pooled: Pooled | None = None
    dom_id: str = ""
    problem: str = ""

    @property
    def ratio(self) -> bool:
        return self.measure in RATIO_MEASURES


def measure_label(measure: str) -> str:
    code = f"measure_{measure}"
    return str(MESSAGES[code] if code in MESSAGES else MESSAGES["measure_GEN"])


def study_label(evaluation: Evaluation) -> str:
    first = author_names(evaluation.authors).split(",")[0].split(";")[0].strip()
    if first:
        return f"{first} {evaluation.year}".strip()
    title = evaluation.title_shown
    return f"{title[:40]}…" if len(title) > 40 else title


def _consensus(evaluation: Evaluation) -> Appraisal | None:
    return next(
        (a for a in evaluation.appraisals.all() if a.role == Appraisal.Role.CONSENSUS), None
    )


def _appraisal(row: OutcomeRow) -> StudyAppraisal:
    consensus = _consensus(row.evaluation)
    design = row.evaluation.design.code
    if consensus is not None and consensus.design_confirmed is not None:
        design = consensus.design_confirmed.code
    rob = consensus.overall if consensus is not None else "unclear"
    return StudyAppraisal(
        design="rct" if design in vocab.RANDOMISED else design, risk_of_bias=rob, n=row.n
    )


def _row(outcome: Outcome, evaluation: Evaluation, yi: float, vi: float) -> OutcomeRow:
    half = Z95 * math.sqrt(vi)
    low, high, est = yi - half, yi + half, yi
    if outcome.effect_measure in RATIO_MEASURES:
        est, low, high = math.exp(est), math.exp(low), math.exp(high)
    return OutcomeRow(
        outcome=outcome,
        evaluation=evaluation,
        label=study_label(evaluation),
        yi=yi,
        vi=vi,
        estimate=est,
        ci_low=low,
        ci_high=high,
        n=outcome.n_total or evaluation.sample_size,
        notes=[note_text(n.get("code", ""), n.get("text", "")) for n in outcome.effect_notes],
    )


def _independent(rows: Sequence[OutcomeRow]) -> list[OutcomeRow]:
    """The latest timepoint of each sample (ties: the first recorded)."""
    best: dict[str, OutcomeRow] = {}
    for row in rows:
        sample = row.evaluation.sample_key or f"evaluation-{row.evaluation.pk}"
        current = best.get(sample)
        months = row.outcome.timepoint_months or 0
        if current is None or months > (current.outcome.timepoint_months or 0):
            best[sample] = row
    return list(best.values())


def _summary(result: MetaResult, measure: str, label: str) -> str:
    est, low, high = result.estimate, result.ci_low, result.ci_high
    if measure in RATIO_MEASURES:
        ratio = back_transform(result)
        est, low, high = ratio.estimate, ratio.ci_low, ratio.ci_high
    params = {
        "measure": measure_label(measure),
        "estimate": number(est),
        "low": number(low),
        "high": number(high),
        "level": 100 * result.level,
        "k": result.k,
        "certainty": label.lower(),
    }
    return message_text(Message("summary", params))


def _description(result: MetaResult, ratio: bool) -> str:
    conv = math.exp if ratio else (lambda x: x)
    text = _(
        "%(k)s studies pooled with a random-effects model (REML). Pooled estimate %(est)s "
        "(95%% CI %(low)s to %(high)s). Heterogeneity: I² %(i2)s%%, tau² %(tau2)s."
    ) % {
        "k": result.k,
        "est": number(conv(result.estimate)),
        "low": number(conv(result.ci_low)),
        "high": number(conv(result.ci_high)),
        "i2": number(result.i2, 0),
        "tau2": number(result.tau2, 3),
    }
    if result.pi_low is not None and result.pi_high is not None:
        text += " " + _("95%% prediction interval %(low)s to %(high)s.") % {
            "low": number(conv(result.pi_low)),
            "high": number(conv(result.pi_high)),
        }
    if result.ci_low <= 0 <= result.ci_high:
        text += " " + _("The confidence interval includes the line of no effect.")
    else:
        text += " " + _("The confidence interval does not include the line of no effect.")
    return text


def _forest(group: OutcomeGroup, used: Sequence[OutcomeRow], result: MetaResult) -> str:
    axis = group.measure_label[:1].upper() + group.measure_label[1:]  # keeps "Hedges"
    if group.ratio:
        axis = _("%(measure)s (log scale)") % {"measure": axis}
    return forest_plot_svg(
        labels=[r.label for r in used],
        yi=[r.yi for r in used],
        vi=[r.vi for r in used],
        result=result,
        measure=group.measure,
        title=_("Forest plot: %(outcome)s") % {"outcome": group.name},
        axis_label=axis,
        id_prefix=group.dom_id,
        strings={
            "study": _("Study"),
            # xgettext:no-python-format
            "estimate": _("Estimate [{pct}% CI]"),
            "pooled": _("Pooled (random effects, REML)"),
        },
        description=_description(result, group.ratio),
    )


def _too_wide(result: MetaResult) -> bool:
    ends = [result.ci_low, result.ci_high, result.pi_low or 0.0, result.pi_high or 0.0]
    return any(abs(x) > MAX_LOG_RATIO for x in ends)


def _pool(group: OutcomeGroup) -> Pooled | None:
    used = _independent(group.rows)
    if len(used) < 2:
        return None
    result = meta_analysis([r.yi for r in used], [r.vi for r in used], method=METHOD)
    if group.ratio and _too_wide(result):
        group.problem = _(
            "The studies are too far apart to show a pooled ratio; check their statistics."
        )
        return None
    for row, weight in zip(used, result.weights, strict=True):
        row.pooled, row.weight = True, weight
    certainty = grade_certainty(studies=[_appraisal(r) for r in used], result=result)
    label = message_text(Message(f"level_{certainty.level}"))
    code = plain_language_message(result, group.measure, certainty).code
    summary = _summary(result, group.measure, label)
    conv = math.exp if group.ratio else (lambda x: x)
    return Pooled(
        result=result,
        certainty=certainty,
        certainty_label=label,
        reasons=[message_text(m) for m in certainty.reasons],
        sentence=message_text(Message(code, {"summary": summary})),
        svg=_forest(group, used, result),
        estimate=conv(result.estimate),
        ci_low=conv(result.ci_low),
        ci_high=conv(result.ci_high),
        pi_low=None if result.pi_low is None else conv(result.pi_low),
        pi_high=None if result.pi_high is None else conv(result.pi_high),
    )


def _usable(outcome: Outcome) -> bool:
    """Outcomes stored by other means than outcome_record are checked here too."""
    yi, vi = outcome.yi, outcome.vi
    if yi is None or vi is None or not (math.isfinite(yi) and math.isfinite(vi)) or vi <= 0:
        return False
    return outcome.effect_measure not in RATIO_MEASURES or (
        abs(yi) + Z95 * math.sqrt(vi) <= MAX_LOG_RATIO
    )


def _groups(evaluations: Iterable[Evaluation]) -> list[OutcomeGroup]:
    groups: dict[tuple[str, str], OutcomeGroup] = {}
    for evaluation in evaluations:
        for outcome in evaluation.outcomes.all():
            if not _usable(outcome) or outcome.yi is None or outcome.vi is None:
                continue
            name = outcome.comparison_key.strip()
            key = (name.casefold() or f"outcome-{outcome.pk}", outcome.effect_measure)
            if key not in groups:
                groups[key] = OutcomeGroup(
                    name=name or outcome.measure_shown,
                    measure=outcome.effect_measure,
                    measure_label=measure_label(outcome.effect_measure),
                )
            groups[key].rows.append(_row(outcome, evaluation, outcome.yi, outcome.vi))
    return list(groups.values())


def intervention_synthesis(intervention: Intervention) -> list[OutcomeGroup]:
    """Every outcome with an effect size, grouped; pooled where two samples or more allow.

    Uses the evaluations/outcomes/appraisals already prefetched on the intervention
    (evidence.registry.selectors.intervention_detail) when present.
    """
    groups = _groups(intervention.evaluations.all())
    groups.sort(key=lambda g: (-len(g.rows), g.name.casefold()))
    for index, group in enumerate(groups, start=1):
        group.dom_id = f"synthesis-{index}"
        group.pooled = _pool(group)
    return groups
