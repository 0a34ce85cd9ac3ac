"""Synthesis: comparable results of an intervention's evaluations, pooled and rated.

- `stats`: the pure package (numpy/scipy, no Django): effect sizes, meta-analysis,
  certainty and forest plots;
- `services`: outcomes recorded with their effect size (`outcome_record`);
- `selectors`: an intervention's outcome groups, pooled for its page;
- `section`: that section of the intervention page;
- `text`: the pure package's messages and notes in the reader's language;
- `api`: the public calculators under `/api/v1/synthesis/`.

This `__init__` imports no Django, so `facit.evidence.synthesis.stats` stays importable on
its own. The pure API is re-exported here so `from facit.evidence.synthesis.stats import
meta_analysis` keeps working; new code imports from `facit.evidence.synthesis.stats`.
"""

from facit.evidence.synthesis.stats import (
    TEMPLATES,
    BatchResult,
    Certainty,
    EffectSize,
    Message,
    MetaResult,
    Note,
    RatioSummary,
    StudyAppraisal,
    SynthesisInputError,
    back_transform,
    d_to_log_odds_ratio,
    effect_size,
    fisher_z,
    forest_plot_svg,
    grade_certainty,
    log_odds_ratio,
    log_odds_ratio_to_d,
    log_risk_ratio,
    meta_analysis,
    meta_analysis_batch,
    plain_language,
    plain_language_message,
    render,
    risk_difference,
    smd_from_f,
    smd_from_means,
    smd_from_p,
    smd_from_t,
)

__all__ = [
    "TEMPLATES",
    "BatchResult",
    "Certainty",
    "EffectSize",
    "Message",
    "MetaResult",
    "Note",
    "RatioSummary",
    "StudyAppraisal",
    "SynthesisInputError",
    "back_transform",
    "d_to_log_odds_ratio",
    "effect_size",
    "fisher_z",
    "forest_plot_svg",
    "grade_certainty",
    "log_odds_ratio",
    "log_odds_ratio_to_d",
    "log_risk_ratio",
    "meta_analysis",
    "meta_analysis_batch",
    "plain_language",
    "plain_language_message",
    "render",
    "risk_difference",
    "smd_from_f",
    "smd_from_means",
    "smd_from_p",
    "smd_from_t",
]
