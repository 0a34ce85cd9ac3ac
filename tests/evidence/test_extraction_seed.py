"""The provisional extraction (data/evaluation_extractions.json) loaded by `manage.py seed`."""

import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from facit.evidence.models import Evaluation, Extraction, Intervention, Outcome, Provenance


def _extractions():
    return json.loads((settings.DATA_DIR / "evaluation_extractions.json").read_text("utf-8"))


def _write(tmp_path, data):
    path = tmp_path / "extractions.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def extracted(db):
    call_command("seed")


def test_every_evaluation_gets_its_provisional_extraction_with_provenance_as_data(extracted):
    assert Extraction.objects.filter(role="provisional").count() == Evaluation.objects.count() == 75
    assert set(Extraction.objects.values_list("provenance", flat=True)) == {
        "provisional: one extractor, from the stated result"
    }
    favourable = Outcome.objects.filter(direction="favourable")
    assert favourable.exists()
    assert set(Outcome.objects.values_list("provenance", flat=True)) == {Provenance.PROVISIONAL}
    # Unclear and not-reported readings never become outcomes that a level could count.
    directions = set(Outcome.objects.values_list("direction", flat=True))
    assert directions <= {"favourable", "mixed", "no_effect", "harmful"}


def test_levels_from_the_extraction_are_provisional_and_some_are_promising(extracted):
    promising = Intervention.objects.filter(evidence_level=3)
    assert promising.exists()
    assert all(i.level_provisional for i in promising)
    assert "provisional" in promising.first().level_flags


def test_registry_records_count_as_planned_and_category_reviews_as_related(extracted):
    help_wanted = Intervention.objects.get(slug="help-wanted")
    assert help_wanted.planned_count == 1 and help_wanted.results_count == 0
    assert help_wanted.evidence_level == 7  # a planned trial is not an evaluation with results
    tf_cbt = Intervention.objects.get(slug="tf-cbt")
    assert tf_cbt.related_count >= 4
    reviews = Extraction.objects.filter(design_class="systematic_review")
    assert set(reviews.values_list("relevance", flat=True)) == {"related"}


def test_seed_prints_the_level_distribution(db, capsys):
    call_command("seed")
    out = capsys.readouterr().out
    assert "Evidence levels" in out
    assert "level 3 (" in out and "provisional" in out


def test_reseeding_keeps_what_reviewers_confirmed(extracted):
    evaluation = Evaluation.objects.get(
        intervention__slug="prevent-it", title__startswith="Effects"
    )
    Extraction.objects.create(
        evaluation=evaluation,
        role="consensus",
        design_class="rct",
        direction="no_effect",
        provenance="confirmed",
    )
    evaluation.outcomes.all().delete()
    Outcome.objects.create(
        evaluation=evaluation, measure="viewing time", direction="no_effect", provenance="confirmed"
    )
    call_command("seed")
    assert list(evaluation.outcomes.values_list("direction", "provenance")) == [
        ("no_effect", "confirmed")
    ]
    assert evaluation.extractions.get(role="consensus").direction == "no_effect"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda e: e.update(intervention_id="no-such-programme"), "unknown intervention"),
        (lambda e: e.update(evaluation_index=40), "unknown evaluation"),
        (lambda e: e.update(evidence_quote="words the study never said"), "verbatim"),
        (lambda e: e.update(direction="splendid"), "splendid"),
        (lambda e: e.update(design_class="astrology"), "astrology"),
    ],
    ids=["intervention", "evaluation", "quote", "direction", "design"],
)
def test_a_broken_extraction_is_named_and_nothing_is_loaded(tmp_path, change, expected):
    data = _extractions()
    change(data["extractions"][3])
    with pytest.raises(CommandError) as error:
        call_command("seed", extractions=_write(tmp_path, data))
    assert "extraction #4" in str(error.value)
    assert expected in str(error.value)
    assert Intervention.objects.count() == 0
    assert Extraction.objects.count() == 0
