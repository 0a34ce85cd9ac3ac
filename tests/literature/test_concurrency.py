"""Two reviewers deciding at the same moment, on real separate database connections."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from facit.literature import services
from facit.literature.models import Outcome, ScreeningDecision
from tests.literature import factories as f
from tests.personas import make_user

ROUNDS = 15


def _run_together(*calls: Callable[[], object]) -> list[BaseException]:
    """Start the calls in threads that wait at one barrier, so they hit the database at once."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def runner(call: Callable[[], object]) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            call()
        except BaseException as exc:  # reported to the test below
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=runner, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return errors


@pytest.fixture
def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (row locks); run with DATABASE_URL")


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_deciding_at_once_lose_no_decision(needs_postgres):
    a, b = make_user("reviewer"), make_user("second_reviewer")
    review = f.review(a, b)
    refs = [f.reference(review) for _ in range(ROUNDS)]
    for ref in refs:
        errors = _run_together(
            lambda ref=ref: f.decide(ref, a, "include"),
            lambda ref=ref: f.decide(ref, b, "include"),
        )
        assert errors == []
    for ref in refs:
        ref.refresh_from_db()
        assert ScreeningDecision.objects.filter(reference=ref, stage="ta").count() == 2
        # Both decisions were seen by whichever write came second: the outcome is settled.
        assert ref.ta_outcome == Outcome.INCLUDE


@pytest.mark.django_db(transaction=True)
def test_one_reviewer_submitting_twice_at_once_keeps_one_row_and_no_error(needs_postgres):
    a = make_user("reviewer")
    review = f.review(a)
    refs = [f.reference(review) for _ in range(ROUNDS)]
    for ref in refs:
        errors = _run_together(
            lambda ref=ref: f.decide(ref, a, "include"),
            lambda ref=ref: f.decide(ref, a, "maybe"),
        )
        assert errors == []
        assert ScreeningDecision.objects.filter(reference=ref, reviewer=a).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_third_reviewer_racing_two_others_cannot_make_three_decisions(needs_postgres):
    users = [make_user(n) for n in ("reviewer", "second_reviewer", "third_reviewer")]
    review = f.review(*users)
    ref = f.reference(review)
    errors = _run_together(*[lambda u=u: f.decide(ref, u, "include") for u in users])
    assert ScreeningDecision.objects.filter(reference=ref).count() == 2
    assert len(errors) == 1 and isinstance(errors[0], services.ScreeningError)


@pytest.mark.django_db(transaction=True)
def test_twenty_screening_posts_at_once_all_succeed_and_the_ranking_runs_after(
    needs_postgres, tmp_path, settings
):
    """Issue 16 F11: 1 of 20 concurrent screening posts answered 500 (a deadlock in the
    ranking refresh inside the request). The refresh is now a job after the decision
    commits; its writes are serialised per review, so no post fails."""
    from django.urls import reverse

    from facit.literature.screening import ranking_service
    from tests.personas import verified_client

    settings.MEDIA_ROOT = tmp_path
    ranking_service._cache.clear()
    users = [make_user(f"screener{i}", ["reviewer"]) for i in range(4)]
    review = f.review(*users)
    refs = [f.reference(review, title=f"Invented topic {i % 3} record {i}") for i in range(40)]
    clients = [verified_client(u) for u in users]
    url = reverse("literature:screen", args=[review.slug, "ta"])
    statuses: list[int] = []

    def post(client, ref, decision):
        statuses.append(client.post(url, {"reference": ref.pk, "decision": decision}).status_code)

    calls = [
        lambda c=clients[i % 4], r=refs[i // 2], d=("include" if i % 3 else "maybe"): post(c, r, d)
        for i in range(20)
    ]
    errors = _run_together(*calls)
    assert errors == []
    assert statuses == [302] * 20
    assert ScreeningDecision.objects.filter(reference__review=review).count() == 20
    review.refresh_from_db()
    assert review.ranking_state.get("ready") is True
