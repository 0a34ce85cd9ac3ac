import json

import pytest
from django.core.management import CommandError, call_command

from facit.evidence.models import ClearinghouseRating, Evaluation, Intervention


def _verified():
    from django.conf import settings

    return json.loads((settings.DATA_DIR / "interventions.json").read_text(encoding="utf-8"))


def test_seed_loads_every_verified_intervention_and_evaluation_with_sources(seeded):
    data = _verified()
    assert Intervention.objects.count() == len(data)
    assert Evaluation.objects.count() == sum(len(i["evaluations"]) for i in data)
    assert not Evaluation.objects.filter(sources=[]).exists()
    first = data[0]
    stored = Intervention.objects.get(slug=first["id"])
    assert stored.sources == first["sources"]
    assert ClearinghouseRating.objects.count() == sum(len(i["clearinghouse_ratings"]) for i in data)


def test_seeding_twice_changes_nothing(seeded):
    before = (
        Intervention.objects.count(),
        Evaluation.objects.count(),
        ClearinghouseRating.objects.count(),
    )
    call_command("seed")
    assert (
        Intervention.objects.count(),
        Evaluation.objects.count(),
        ClearinghouseRating.objects.count(),
    ) == before


@pytest.mark.django_db
def test_a_broken_entry_is_named_and_nothing_is_loaded(tmp_path):
    data = _verified()
    data[5]["evaluations"][0]["design"] = "astrology"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("seed", interventions=path)
    assert f"#6 ({data[5]['id']})" in str(error.value)
    assert "astrology" in str(error.value)
    assert Intervention.objects.count() == 0


@pytest.mark.django_db
def test_an_entry_missing_its_sources_is_refused(tmp_path):
    data = _verified()
    del data[0]["sources"]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="sources"):
        call_command("seed", interventions=path)
    assert Intervention.objects.count() == 0


def test_seeding_again_keeps_the_appraisals_and_outcomes_reviewers_added(seeded, reviewer):
    from facit.evidence.appraisal.services import appraisal_submit
    from facit.evidence.models import Appraisal, Outcome
    from facit.evidence.synthesis.services import outcome_record

    evaluation = Evaluation.objects.filter(intervention__slug="prevent-it").first()
    appraisal_submit(evaluation=evaluation, appraiser=reviewer.user, overall="low")
    outcome_record(
        evaluation=evaluation,
        actor=reviewer.user,
        measure="m",
        direction="favourable",
        timepoint_months=None,
    )
    call_command("seed")
    assert Evaluation.objects.filter(pk=evaluation.pk).exists()
    assert Appraisal.objects.filter(evaluation=evaluation).count() == 1
    assert Outcome.objects.filter(evaluation=evaluation).count() == 1
