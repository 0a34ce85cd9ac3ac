"""Allocation of records to reviewers: pairs that complete as the team screens, dual
screening of a random share, single screening, and undo of one's last decision."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from facit.literature import selectors, services
from facit.literature.models import Allocation, Outcome, ScreeningDecision
from facit.literature.screening import ranking_service
from tests.literature import factories as f

pytestmark = pytest.mark.django_db

SCHOOL = "Invented school prevention programme lessons classroom pupils teachers curriculum"
HELPLINE = "Invented telephone helpline counselling calls volunteers night service"


@pytest.fixture
def eighty(reviewer, second_reviewer, tmp_path, settings):
    """An 80-record review with two reviewers; every eighth record (a helpline one) is
    relevant."""
    settings.MEDIA_ROOT = tmp_path
    ranking_service._cache.clear()
    review = f.review(reviewer.user, second_reviewer.user)
    for i in range(80):
        topic = HELPLINE if i % 4 == 0 else SCHOOL
        f.reference(review, title=f"{topic} {i}", abstract=f"{topic} number {i}")
    return review


def _screen_one(client, review, capture) -> int:
    """What a reviewer does on the page: take the record offered, decide, with the ranking
    refreshed after the decision as the page does."""
    url = reverse("literature:screen", args=[review.slug, "ta"])
    html = client.get(url).content.decode()
    ref_id = int(re.search(r'name="reference" value="(\d+)"', html).group(1))
    ref = review.references.get(pk=ref_id)
    data = {"reference": ref_id, "decision": "include"}
    if int(ref.title.rsplit(" ", 1)[1]) % 8 != 0:  # half the helpline records, no school one
        data = {"reference": ref_id, "decision": "exclude", "reason": review.reasons.first().pk}
    with capture(execute=True):
        assert client.post(url, data).status_code == 302
    return ref_id


def test_two_reviewers_form_pairs_as_they_go_so_prisma_and_full_text_move(
    eighty, reviewer, second_reviewer, django_capture_on_commit_callbacks
):
    review = eighty
    for _round in range(10):
        _screen_one(reviewer, review, django_capture_on_commit_callbacks)
        _screen_one(second_reviewer, review, django_capture_on_commit_callbacks)
    assert ScreeningDecision.objects.filter(reference__review=review).count() == 20
    numbers = selectors.prisma(review)
    assert numbers.screen_excluded + numbers.sought == 10  # every decision found its pair
    assert numbers.screen_excluded > 0
    assert numbers.sought > 0
    ft = selectors.screening_queue(review, "ft", reviewer.user)
    assert ft.exists()  # the full-text stage has work as soon as pairs include


def test_the_second_reviewer_is_offered_the_half_decided_record_first_blind(
    eighty, reviewer, second_reviewer, django_capture_on_commit_callbacks
):
    review = eighty
    first = _screen_one(reviewer, review, django_capture_on_commit_callbacks)
    assert selectors.screening_queue(review, "ta", second_reviewer.user).first().pk == first
    html = second_reviewer.get(reverse("literature:screen", args=[review.slug, "ta"]))
    body = html.content.decode()
    assert f'name="reference" value="{first}"' in body
    assert reviewer.user.username not in body  # blind: the first decision is not shown


def test_a_conflict_appears_as_soon_as_the_pair_disagrees(eighty, reviewer, second_reviewer):
    review = eighty
    ref = review.references.first()
    f.decide(ref, reviewer.user, "include")
    f.decide(ref, second_reviewer.user, "exclude")
    assert list(selectors.conflicts(review, "ta")) == [ref]


def test_single_screening_settles_a_record_with_one_decision(reviewer, second_reviewer):
    review = f.review(reviewer.user, second_reviewer.user, allocation_set=Allocation.SINGLE)
    a, b = f.reference(review), f.reference(review)
    f.decide(a, reviewer.user, "exclude")
    f.decide(b, reviewer.user, "maybe")
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.ta_outcome, b.ta_outcome) == (Outcome.EXCLUDE, Outcome.INCLUDE)
    assert a not in selectors.screening_queue(review, "ta", second_reviewer.user)
    with pytest.raises(services.ScreeningError):
        f.decide(a, second_reviewer.user, "include")
    numbers = selectors.prisma(review)
    assert numbers.screen_excluded == 1
    assert "Single screening" in numbers.allocation_text or "Enkel" in numbers.allocation_text


def test_dual_screening_of_a_random_share_pairs_that_share_and_reports_kappa(
    reviewer, second_reviewer
):
    review = f.review(reviewer.user, second_reviewer.user, allocation_set=Allocation.DUAL_SHARE)
    refs = [f.reference(review) for _ in range(200)]
    dual = [r for r in refs if review.is_dual(r.pk)]
    assert 20 <= len(dual) <= 60  # about 20 % of 200, reproducibly chosen
    queue_ids = set(
        selectors.screening_queue(review, "ta", reviewer.user).values_list("pk", flat=True)
    )
    assert queue_ids == {r.pk for r in refs}
    for ref in refs:
        f.decide(ref, reviewer.user, "exclude")
    # Only the dual share waits for the second reviewer; the rest is settled.
    waiting = set(
        selectors.screening_queue(review, "ta", second_reviewer.user).values_list("pk", flat=True)
    )
    assert waiting == {r.pk for r in dual}
    for ref in dual:
        f.decide(ref, second_reviewer.user, "exclude")
    assert selectors.agreement(review, "ta").pairs == len(dual)
    assert selectors.prisma(review).screen_excluded == 200


def test_switching_to_single_screening_settles_records_waiting_for_a_second_decision(
    reviewer, second_reviewer
):
    review = f.review(reviewer.user, second_reviewer.user)
    ref = f.reference(review)
    f.decide(ref, reviewer.user, "exclude")
    ref.refresh_from_db()
    assert ref.ta_outcome == Outcome.PENDING
    services.review_update(
        review=review,
        expected_version=review.version,
        data={"allocation": Allocation.SINGLE},
        actor=reviewer.user,
    )
    ref.refresh_from_db()
    assert ref.ta_outcome == Outcome.EXCLUDE


def test_undo_takes_back_ones_last_decision_while_nobody_else_decided(reviewer, second_reviewer):
    review = f.review(reviewer.user, second_reviewer.user)
    first, last = f.reference(review), f.reference(review)
    f.decide(first, reviewer.user, "include")
    f.decide(last, reviewer.user, "exclude")
    with pytest.raises(services.ScreeningError):  # not the most recent one
        services.decision_undo(reference=first, stage="ta", reviewer=reviewer.user)
    url = reverse("literature:decision_undo", args=[review.slug, "ta"])
    response = reviewer.post(url, {"reference": last.pk})
    assert response.status_code == 302
    assert not ScreeningDecision.objects.filter(reference=last).exists()
    assert selectors.screening_queue(review, "ta", reviewer.user).filter(pk=last.pk).exists()


def test_undo_is_refused_once_the_other_reviewer_has_decided(reviewer, second_reviewer):
    review = f.review(reviewer.user, second_reviewer.user)
    ref = f.reference(review)
    f.decide(ref, reviewer.user, "include")
    f.decide(ref, second_reviewer.user, "exclude")
    with pytest.raises(services.ScreeningError):
        services.decision_undo(reference=ref, stage="ta", reviewer=reviewer.user)
    assert ScreeningDecision.objects.filter(reference=ref).count() == 2
