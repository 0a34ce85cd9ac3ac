"""Comparable results: effect sizes, meta-analysis, certainty and forest plots.

Pure Python (numpy/scipy); no Django. The synthesis services, selectors and API one level up
(facit.evidence.synthesis) call these functions.
"""

from .certainty import (
    TEMPLATES,
    Certainty,
    Message,
    StudyAppraisal,
    grade_certainty,
    plain_language,
    plain_language_message,
    render,
)
from .effect_sizes import (
    EffectSize,
    Note,
    d_to_log_odds_ratio,
    effect_size,
    fisher_z,
    log_odds_ratio,
    log_odds_ratio_to_d,
    log_risk_ratio,
    risk_difference,
    smd_from_f,
    smd_from_means,
    smd_from_p,
    smd_from_t,
)
from .errors import SynthesisInputError
from .forest import forest_plot_svg
from .meta import (
    BatchResult,
    MetaResult,
    RatioSummary,
    back_transform,
    meta_analysis,
    meta_analysis_batch,
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
