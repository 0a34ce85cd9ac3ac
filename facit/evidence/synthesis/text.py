"""Translated sentences for the synthesis package.

The pure package (facit.evidence.synthesis.stats) speaks English only and names every
sentence by a stable code in ``TEMPLATES``. This module maps each code to a gettext string
with the same English text (tests hold the two in step), so pages and the API can say the
same thing in Swedish. Values are filled in after translation, so translators keep the
``{placeholders}`` as they are.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from facit.evidence.synthesis.stats import Message

# Several strings contain "% o" or "% (" next to a brace placeholder; they are brace
# templates, not %-format strings, hence the xgettext comments.
MESSAGES: Mapping[str, Promise] = {
    "start_high_randomised": _(
        # xgettext:no-python-format
        "Started at high certainty: {share:.0f}% of the weight comes from randomised trials."
    ),
    "start_low_observational": _(
        # xgettext:no-python-format
        "Started at low certainty: only {share:.0f}% of the weight comes from randomised trials."
    ),
    "risk_of_bias_serious": _(
        # xgettext:no-python-format
        "Rated down one level for risk of bias: {share:.0f}% of the weight comes from "
        "studies at high risk of bias."
    ),
    "inconsistency_i2": _(
        # xgettext:no-python-format
        "Rated down one level for inconsistency: I² is {i2:.0f}% (above {threshold:.0f}%)."
    ),
    "inconsistency_prediction_interval": _(
        "Rated down one level for inconsistency: the prediction interval crosses the line "
        "of no effect although the confidence interval does not."
    ),
    "imprecision_ci_crosses_null": _(
        "Rated down one level for imprecision: the confidence interval includes no effect."
    ),
    "imprecision_few_studies": _(
        "Rated down one level for imprecision: only {k} studies were pooled."
    ),
    "imprecision_below_ois": _(
        "Rated down one level for imprecision: {n} participants in total, below the "
        "optimal information size of {ois}."
    ),
    "imprecision_total_n_unknown": _(
        "The total number of participants is unknown, so the optimal information size "
        "could not be checked."
    ),
    "not_assessed_by_rules": _(
        "Indirectness and publication bias are not assessed by these rules and need a "
        "reviewer's judgement."
    ),
    "level_high": _("High certainty"),
    "level_moderate": _("Moderate certainty"),
    "level_low": _("Low certainty"),
    "level_very_low": _("Very low certainty"),
    "plain_high_increase": _("The intervention increases the outcome ({summary})."),
    "plain_high_decrease": _("The intervention reduces the outcome ({summary})."),
    "plain_high_no_difference": _(
        "The intervention makes little or no difference to the outcome ({summary})."
    ),
    "plain_moderate_increase": _("The intervention probably increases the outcome ({summary})."),
    "plain_moderate_decrease": _("The intervention probably reduces the outcome ({summary})."),
    "plain_moderate_no_difference": _(
        "The intervention probably makes little or no difference to the outcome ({summary})."
    ),
    "plain_low_increase": _("The intervention may increase the outcome ({summary})."),
    "plain_low_decrease": _("The intervention may reduce the outcome ({summary})."),
    "plain_low_no_difference": _(
        "The intervention may make little or no difference to the outcome ({summary})."
    ),
    "plain_very_low_increase": _(
        "We are very uncertain whether the intervention increases the outcome ({summary})."
    ),
    "plain_very_low_decrease": _(
        "We are very uncertain whether the intervention reduces the outcome ({summary})."
    ),
    "plain_very_low_no_difference": _(
        "We are very uncertain whether the intervention makes any difference to the "
        "outcome ({summary})."
    ),
    "summary": _(
        # xgettext:no-python-format
        "{measure} {estimate}, {level:.0f}% CI {low} to {high}; {k} studies; {certainty}"
    ),
    "measure_SMD": _("standardised mean difference (Hedges' g)"),
    "measure_OR": _("odds ratio"),
    "measure_RR": _("risk ratio"),
    "measure_RD": _("risk difference"),
    "measure_ZCOR": _("Fisher's z"),
    "measure_GEN": _("effect"),
}

#: Notes the effect-size functions attach (EffectSize.notes), by code.
NOTES: Mapping[str, Promise] = {
    "sign_from_direction": _(
        "The statistic carries no sign; the direction of the effect was supplied separately."
    ),
    "from_two_sided_p": _(
        "Derived from an exact two-sided p value; a p value reported as an inequality "
        "(p < 0.05) gives only a bound."
    ),
    "continuity_correction": _("A cell was zero, so 0.5 was added to all four cells."),
    "converted_d_to_or": _("Converted from a standardised mean difference (x pi/sqrt(3))."),
    "converted_or_to_d": _("Converted from a log odds ratio (x sqrt(3)/pi)."),
}


def message_text(message: Message) -> str:
    """A package message in the active language."""
    return str(MESSAGES[message.code]).format(**message.params)


def note_text(code: str, english: str = "") -> str:
    """A note in the active language; unknown codes fall back to the package's English."""
    return str(NOTES[code]) if code in NOTES else english
