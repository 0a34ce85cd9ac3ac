"""outcome_record: reported statistics in, validated effect size stored, level recomputed."""

from __future__ import annotations

import math

import pytest

from facit.core.models import AuditEvent
from facit.evidence.models import Outcome
from facit.evidence.synthesis.services import OutcomeInputError, outcome_record
from facit.evidence.synthesis.stats import smd_from_means
from tests import factories as f

pytestmark = pytest.mark.django_db

MEANS = {"m1i": 12.0, "sd1i": 4.0, "n1i": 40, "m2i": 10.0, "sd2i": 4.5, "n2i": 38}


def record(evaluation, actor=None, **overrides):
    fields = {
        "evaluation": evaluation,
        "measure": "invented knowledge scale",
        "direction": "favourable",
        "timepoint_months": 12,
        "effect_measure": "SMD",
        "reported": MEANS,
        "actor": actor,
    }
    return outcome_record(**{**fields, **overrides})


def test_records_reported_statistics_and_the_computed_effect_size(editor):
    evaluation = f.evaluation(f.intervention())
    outcome = record(evaluation, actor=editor.user, comparison_key="Knowledge")
    expected = smd_from_means(**MEANS)
    outcome.refresh_from_db()
    assert outcome.reported == {k: float(v) for k, v in MEANS.items()}
    assert outcome.effect_measure == "SMD"
    assert outcome.yi == pytest.approx(expected.yi)
    assert outcome.vi == pytest.approx(expected.vi)
    assert outcome.n_total == 78
    assert outcome.comparison_key == "Knowledge"


def test_recording_an_outcome_recomputes_the_level_and_is_audited(editor):
    intervention = f.intervention()
    evaluation = f.evaluation(intervention)
    from facit.evidence.registry.services import intervention_recompute

    intervention_recompute(intervention=intervention)
    before = intervention.evidence_level
    record(evaluation, actor=editor.user)
    intervention.refresh_from_db()
    assert intervention.evidence_level != before
    event = AuditEvent.objects.get(action="evidence.outcome.create")
    assert event.actor == editor.user
    assert event.detail["effect_measure"] == "SMD"


def test_zero_cell_notes_are_kept_with_the_outcome():
    evaluation = f.evaluation(f.intervention())
    outcome = record(
        evaluation, effect_measure="OR", reported={"ai": 0, "bi": 20, "ci": 4, "di": 16}
    )
    assert [n["code"] for n in outcome.effect_notes] == ["continuity_correction"]
    assert outcome.n_total == 40
    assert math.isfinite(outcome.yi)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reported": {**MEANS, "sd1i": 0}}, "reported.sd1i"),
        ({"reported": {**MEANS, "n2i": -3}}, "reported.n2i"),
        ({"reported": {**MEANS, "m1i": float("nan")}}, "reported.m1i"),
        ({"reported": {**MEANS, "m1i": "twelve"}}, "reported.m1i"),
        ({"reported": {**MEANS, "ai": 3}}, "reported.ai"),
        ({"reported": {"yi": 0.3}}, "reported.vi"),
        (
            {"effect_measure": "OR", "reported": {"ai": 1, "bi": -1, "ci": 2, "di": 3}},
            "reported.bi",
        ),
        ({"effect_measure": "HR"}, "effect_measure"),
        ({"direction": "sideways"}, "direction"),
        ({"timepoint_months": -1}, "timepoint_months"),
        ({"measure": ""}, "measure"),
        ({"comparison_key": "x" * 201}, "comparison_key"),
        ({"n_total": 0}, "n_total"),
    ],
)
def test_bad_statistics_raise_an_error_naming_the_field_and_store_nothing(overrides, field):
    evaluation = f.evaluation(f.intervention())
    with pytest.raises(OutcomeInputError) as caught:
        record(evaluation, **overrides)
    assert caught.value.field == field
    assert caught.value.reason
    assert field in caught.value.message_dict
    assert not Outcome.objects.exists()


def test_recording_again_replaces_the_statistics_of_the_same_outcome():
    evaluation = f.evaluation(f.intervention())
    outcome = record(evaluation)
    again = record(evaluation, outcome=outcome, reported={"yi": 0.5, "vi": 0.04}, n_total=90)
    assert again.pk == outcome.pk
    outcome.refresh_from_db()
    assert (outcome.yi, outcome.vi, outcome.n_total) == (0.5, 0.04, 90)
    assert Outcome.objects.count() == 1
    assert AuditEvent.objects.filter(action="evidence.outcome.update").count() == 1
