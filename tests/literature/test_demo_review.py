"""The demo seed gives the two demo reviewers a review to screen at once: the registry's
evaluations, imported through the import service, and nothing twice when run again."""

import pytest
from django.core.management import call_command

from facit.evidence.models import Evaluation
from facit.literature.models import Reference, Review
from facit.literature.seed import DEMO_SLUG, DEMO_TITLE
from tests import factories as f


@pytest.mark.django_db
def test_the_demo_seed_makes_a_review_of_the_registry_both_demo_reviewers_can_screen(client):
    f.evaluation(f.intervention(), title="Invented evaluation one")
    f.evaluation(f.intervention(), title="Invented evaluation two")
    call_command("seed_demo", verbosity=0)
    review = Review.objects.get(slug=DEMO_SLUG)
    assert "påhittad" in review.title and review.title == DEMO_TITLE
    assert set(review.members.values_list("username", flat=True)) == {
        "demo-reviewer",
        "demo-reviewer-2",
    }
    titles = set(Reference.objects.filter(review=review).values_list("title", flat=True))
    assert titles == set(Evaluation.objects.published().values_list("title", flat=True))
    assert review.imports.get().status == "done"
    call_command("seed_demo", verbosity=0)  # idempotent
    assert Review.objects.filter(slug=DEMO_SLUG).count() == 1
    assert Reference.objects.filter(review=review).count() == len(titles)
