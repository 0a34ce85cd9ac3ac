"""Invented interventions with effect sizes for the synthesis page tests (not real studies)."""

from __future__ import annotations

from typing import Any

from facit.evidence.appraisal.services import appraisal_consensus, appraisal_submit
from facit.evidence.models import Intervention
from facit.evidence.synthesis.services import outcome_record
from tests import factories as f

#: Invented group means/SDs/sizes; the second group is the comparison.
INVENTED_STUDIES: list[dict[str, float]] = [
    {"m1i": 14.0, "sd1i": 4.0, "n1i": 60, "m2i": 12.0, "sd2i": 4.2, "n2i": 58},
    {"m1i": 13.1, "sd1i": 3.6, "n1i": 45, "m2i": 12.2, "sd2i": 3.9, "n2i": 47},
    {"m1i": 15.2, "sd1i": 5.1, "n1i": 120, "m2i": 12.9, "sd2i": 5.0, "n2i": 118},
]


def pooled_intervention(
    *, key: str = "Knowledge of body safety (invented)", rob: str | None = None, **fields: Any
) -> Intervention:
    """An invented intervention with three RCTs reporting one comparable outcome."""
    intervention = f.intervention(**fields)
    appraisers = _appraisers() if rob is not None else []
    for i, stats in enumerate(INVENTED_STUDIES, start=1):
        evaluation = f.evaluation(intervention, authors=f"Invented{i}, A.", year=f"20{10 + i}")
        if rob is not None:
            for appraiser in appraisers:
                appraisal_submit(evaluation=evaluation, appraiser=appraiser, overall=rob)
            appraisal_consensus(evaluation=evaluation, actor=appraisers[0], overall=rob)
        outcome_record(
            evaluation=evaluation,
            measure="invented knowledge scale",
            direction="favourable",
            timepoint_months=6,
            effect_measure="SMD",
            reported=stats,
            actor=None,
            comparison_key=key,
        )
    return intervention


def _appraisers() -> list[Any]:
    from facit.accounts.models import User
    from tests.personas import make_user

    return [
        User.objects.filter(username=name).first() or make_user(name)
        for name in ("synthesis_appraiser_1", "synthesis_appraiser_2")
    ]
