"""Two reviewers appraise each evaluation blind, then agree; the consensus drives the level."""

import pytest
from django.urls import reverse

from facit.evidence.models import Appraisal
from facit.evidence.registry.services import intervention_recompute
from tests import factories as f


@pytest.fixture
def trial(db):
    intervention = f.intervention()
    evaluation = f.evaluation(intervention, design="rct")
    f.outcome(evaluation, direction="favourable", months=12)
    intervention_recompute(intervention=intervention)
    return evaluation


def _appraise(client, evaluation, overall, **extra):
    data = {"action": "appraise", "overall": overall, **extra}
    return client.post(reverse("evidence:appraise", args=[evaluation.pk]), data)


def test_second_appraisal_is_hidden_until_the_reviewer_has_saved_their_own(
    trial, reviewer, second_reviewer
):
    _appraise(reviewer, trial, "low", notes="looked fine to the first reviewer")
    before = second_reviewer.get(reverse("evidence:appraise", args=[trial.pk])).content.decode()
    assert "looked fine to the first reviewer" not in before
    assert "dold tills du har sparat din" in before
    _appraise(second_reviewer, trial, "high")
    after = second_reviewer.get(reverse("evidence:appraise", args=[trial.pk])).content.decode()
    assert "looked fine to the first reviewer" in after
    assert "Bedömarna är oeniga om" in after


def test_consensus_needs_two_appraisals_and_then_sets_the_level(trial, reviewer, second_reviewer):
    _appraise(reviewer, trial, "low")
    early = reviewer.post(
        reverse("evidence:appraise", args=[trial.pk]),
        {"action": "consensus", "consensus-overall": "low"},
    )
    assert early.status_code == 200
    assert not Appraisal.objects.filter(role="consensus").exists()
    _appraise(second_reviewer, trial, "moderate")
    reviewer.post(
        reverse("evidence:appraise", args=[trial.pk]),
        {"action": "consensus", "consensus-overall": "low"},
    )
    assert Appraisal.objects.get(role="consensus").overall == "low"
    trial.intervention.refresh_from_db()
    assert trial.intervention.evidence_level == 2  # one low-risk trial, favourable at 12 months


@pytest.mark.parametrize(
    "persona", ["visitor", "editor", "panel_member", "coordinator", "provider", "admin"]
)
def test_only_reviewers_may_appraise(request, trial, persona):
    client = request.getfixturevalue(persona)
    response = client.get(reverse("evidence:appraise", args=[trial.pk]))
    assert response.status_code == (302 if persona == "visitor" else 403)
    assert _appraise(client, trial, "low").status_code in {302, 403}
    assert not Appraisal.objects.exists()


def test_staff_outcome_entry_computes_the_effect_size_and_refuses_bad_statistics(trial, reviewer):
    """The admin no longer writes outcomes (it is read-only); outcome_record does, for it."""
    from facit.evidence.models import Outcome
    from facit.evidence.synthesis.services import OutcomeInputError, outcome_record

    good = outcome_record(
        evaluation=trial,
        measure="m",
        direction="favourable",
        timepoint_months=None,
        effect_measure="OR",
        reported={"ai": 10, "bi": 20, "ci": 15, "di": 15},
        comparison_key="k",
        actor=reviewer.user,
    )
    assert good.yi is not None and good.vi is not None and good.vi > 0
    before = Outcome.objects.count()
    with pytest.raises(OutcomeInputError) as bad:
        outcome_record(
            evaluation=trial,
            measure="m",
            direction="favourable",
            timepoint_months=None,
            effect_measure="OR",
            reported={"ai": -1, "bi": 20, "ci": 15, "di": 15},
            actor=reviewer.user,
        )
    assert "ai" in bad.value.field
    assert Outcome.objects.count() == before
