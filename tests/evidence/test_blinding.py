"""Blinding is decided in one place (facit.evidence.appraisal.selectors): what each reviewer,
the public pages and the API may see of the reviewers' appraisals and extractions."""

import pytest
from django.urls import reverse

from facit.evidence.appraisal import desk
from facit.evidence.appraisal.selectors import (
    appraisal_sight,
    extraction_sight,
    public_appraisals,
    public_extraction,
)
from facit.evidence.appraisal.services import appraisal_submit
from facit.evidence.models import Extraction
from facit.evidence.registry.services import intervention_recompute
from tests import factories as f


@pytest.fixture
def trial(db):
    intervention = f.intervention()
    evaluation = f.evaluation(intervention, design="rct", main_outcome="invented knowledge measure")
    f.provisional_reading(evaluation)
    intervention_recompute(intervention=intervention)
    return evaluation


def _extract(evaluation, user, **changes):
    data = {**desk.provisional_initial(evaluation), **changes}
    return desk.extraction_submit(
        evaluation=evaluation, extractor=user, data=data, accepted_provisional=True
    )


def test_a_reviewer_does_not_see_the_other_appraisal_before_submitting(
    trial, reviewer, second_reviewer
):
    appraisal_submit(evaluation=trial, appraiser=reviewer.user, overall="low", notes="A's")
    sight = appraisal_sight(evaluation=trial, user=second_reviewer.user)
    assert sight.mine is None
    assert sight.others == []
    assert sight.hidden_others == 1
    assert sight.disagreements == {}
    assert not sight.can_agree


def test_after_both_appraise_both_see_each_other_and_may_agree(trial, reviewer, second_reviewer):
    appraisal_submit(evaluation=trial, appraiser=reviewer.user, overall="low")
    appraisal_submit(evaluation=trial, appraiser=second_reviewer.user, overall="high")
    for me, other in ((reviewer, second_reviewer), (second_reviewer, reviewer)):
        sight = appraisal_sight(evaluation=trial, user=me.user)
        assert sight.mine.appraiser == me.user
        assert [a.appraiser for a in sight.others] == [other.user]
        assert sight.hidden_others == 0
        assert sight.disagreements == {"overall": ("low", "high")}
        assert sight.can_agree


def test_a_reviewer_does_not_see_the_other_extraction_before_submitting(
    trial, reviewer, second_reviewer
):
    _extract(trial, reviewer.user, direction="mixed", note="A's private reading")
    sight = extraction_sight(evaluation=trial, user=second_reviewer.user)
    assert sight.mine is None
    assert sight.visible == [] and sight.others == []
    assert sight.hidden_others == 1 and sight.reviewer_count == 1
    assert sight.disagreements == {}
    assert not sight.can_resolve


def test_after_both_extract_both_see_the_pair_and_its_disagreements(
    trial, reviewer, second_reviewer
):
    _extract(trial, reviewer.user, direction="mixed")
    _extract(trial, second_reviewer.user, direction="no_effect")
    for me in (reviewer, second_reviewer):
        sight = extraction_sight(evaluation=trial, user=me.user)
        assert sight.mine.extractor == me.user
        assert len(sight.visible) == 2 and len(sight.others) == 1
        assert sight.hidden_others == 0
        assert set(sight.disagreements) == {"direction"}
        assert sight.can_resolve


def test_a_third_reviewer_sees_the_pair_and_may_resolve_it_without_extracting(
    trial, reviewer, second_reviewer, third_reviewer
):
    _extract(trial, reviewer.user, direction="mixed")
    alone = extraction_sight(evaluation=trial, user=third_reviewer.user)
    assert alone.visible == [] and not alone.can_resolve
    _extract(trial, second_reviewer.user, direction="no_effect")
    sight = extraction_sight(evaluation=trial, user=third_reviewer.user)
    assert sight.mine is None
    assert {x.extractor for x in sight.visible} == {reviewer.user, second_reviewer.user}
    assert sight.can_resolve
    assert set(sight.disagreements) == {"direction"}


def test_the_public_never_sees_a_reviewers_extraction_only_the_provisional_reading(trial, reviewer):
    _extract(trial, reviewer.user, direction="mixed", note="A's private reading")
    shown = public_extraction(trial)
    assert shown.role == Extraction.Role.PROVISIONAL
    assert shown.direction == "favourable"


def test_the_public_sees_an_independent_appraisal_only_once_the_pair_is_complete(
    trial, reviewer, second_reviewer
):
    appraisal_submit(evaluation=trial, appraiser=reviewer.user, overall="low")
    assert public_appraisals(trial) == []
    appraisal_submit(evaluation=trial, appraiser=second_reviewer.user, overall="high")
    assert sorted(a.overall for a in public_appraisals(trial)) == ["high", "low"]


def test_the_api_shows_neither_a_lone_appraisal_nor_a_reviewers_extraction(
    trial, reviewer, second_reviewer, visitor
):
    appraisal_submit(evaluation=trial, appraiser=reviewer.user, overall="high")
    _extract(trial, reviewer.user, direction="mixed", note="A's private reading")
    url = f"/api/v1/interventions/{trial.intervention.slug}"
    # The second reviewer, signed in, gets no more from the API than anyone else.
    for client in (visitor, second_reviewer):
        body = client.get(url).json()
        evaluation = next(e for e in body["evaluations"] if e["id"] == trial.pk)
        assert evaluation["appraisals"] == []
        assert evaluation["extraction"]["role"] == "provisional"
        assert evaluation["extraction"]["direction"] == "favourable"
        assert "A's private reading" not in client.get(url).content.decode()


def test_the_intervention_page_hides_a_lone_appraisal_from_the_second_reviewer(
    trial, reviewer, second_reviewer
):
    appraisal_submit(evaluation=trial, appraiser=reviewer.user, overall="high")
    url = reverse("evidence:intervention_detail", args=[trial.intervention.slug])
    html = second_reviewer.get(url).content.decode()
    assert "Inte bedömd än." in html
    assert "Bedömare: risk för snedvridning" not in html
    appraisal_submit(evaluation=trial, appraiser=second_reviewer.user, overall="low")
    html = second_reviewer.get(url).content.decode()
    assert html.count("Bedömare: risk för snedvridning") == 2
