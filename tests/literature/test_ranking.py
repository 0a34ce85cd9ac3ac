from __future__ import annotations

import pytest
from django.urls import reverse

from facit.literature import selectors
from facit.literature.ranking import Ranker, RankerConfig
from facit.literature.screening import ranking_service
from tests.literature import factories as f

pytestmark = pytest.mark.django_db

SCHOOL = "Invented school prevention programme lessons classroom pupils teachers curriculum"
HELPLINE = "Invented telephone helpline counselling calls volunteers night service"


@pytest.fixture
def ranked_review(reviewer, second_reviewer, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    ranking_service._cache.clear()
    review = f.review(reviewer.user, second_reviewer.user)
    refs = []
    for i in range(12):
        topic = SCHOOL if i % 2 == 0 else HELPLINE
        refs.append(f.reference(review, title=f"{topic} {i}", abstract=topic))
    return review, refs


def _settle(ref, users, decision):
    for user in users:
        f.decide(ref, user, decision)


def test_unscreened_references_are_ranked_by_what_was_included(
    ranked_review, reviewer, second_reviewer
):
    review, refs = ranked_review
    users = (reviewer.user, second_reviewer.user)
    _settle(refs[1], users, "include")  # a helpline record is relevant
    _settle(refs[0], users, "exclude")  # a school record is not
    state = ranking_service.review_rank(review_id=review.pk)
    assert state["ready"] and state["trained_on"] == 2
    queue = list(selectors.screening_queue(review, "ta", reviewer.user))
    top = queue[: len(queue) // 2]
    assert all("helpline" in ref.title for ref in top)


def test_features_are_fitted_once_and_reused(ranked_review, reviewer, second_reviewer, monkeypatch):
    review, refs = ranked_review
    calls = []
    original = Ranker.fit_features
    monkeypatch.setattr(
        Ranker, "fit_features", lambda self, texts: (calls.append(1), original(self, texts))
    )
    _settle(refs[1], (reviewer.user, second_reviewer.user), "include")
    ranking_service.review_rank(review_id=review.pk)
    f.decide(refs[3], reviewer.user, "include")
    ranking_service.review_rank(review_id=review.pk)
    assert len(calls) == 1
    ranking_service._cache.clear()  # a new process loads the saved features from disk
    ranking_service.review_rank(review_id=review.pk)
    assert len(calls) == 1


def test_features_saved_by_an_earlier_model_are_not_reused_after_the_model_changes(
    ranked_review, reviewer, second_reviewer, monkeypatch, tmp_path
):
    review, refs = ranked_review
    _settle(refs[1], (reviewer.user, second_reviewer.user), "include")
    ranking_service.review_rank(review_id=review.pk)
    old_dirs = list((tmp_path / "ranking" / f"review-{review.pk}").iterdir())
    assert len(old_dirs) == 1
    changed = RankerConfig(svm_c=0.5, char_ngrams=(3, 4))
    monkeypatch.setattr(ranking_service, "model_config", lambda: changed)
    fits = []
    original = Ranker.fit_features
    monkeypatch.setattr(
        Ranker, "fit_features", lambda self, texts: (fits.append(1), original(self, texts))
    )
    ranking_service._cache.clear()  # a new process after a deploy
    ranking_service.review_rank(review_id=review.pk)
    _, ranker = ranking_service.features_for(review)
    assert fits == [1]  # fitted afresh, not loaded from the old model's directory
    assert ranker.config == changed
    assert len(ranker._vectorisers) == 2  # the new model's character n-grams are there
    dirs = list((tmp_path / "ranking" / f"review-{review.pk}").iterdir())
    assert dirs and old_dirs[0] not in dirs  # the old model's features are gone


def test_a_model_change_within_one_process_refits_too(
    ranked_review, reviewer, second_reviewer, monkeypatch
):
    review, refs = ranked_review
    _settle(refs[1], (reviewer.user, second_reviewer.user), "include")
    _, before = ranking_service.features_for(review)
    changed = RankerConfig(svm_c=0.5)
    monkeypatch.setattr(ranking_service, "model_config", lambda: changed)
    _, after = ranking_service.features_for(review)
    assert after is not before and after.config == changed


def test_a_decision_on_the_page_retrains_in_a_job_after_commit_and_the_aid_states_assumptions(
    ranked_review, reviewer, django_capture_on_commit_callbacks
):
    review, refs = ranked_review
    url = reverse("literature:screen", args=[review.slug, "ta"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reviewer.post(url, {"reference": refs[1].pk, "decision": "include"})
    assert callbacks  # the ranking is a job queued after the decision committed
    from facit.core.models import Job

    assert Job.objects.filter(kind="literature.rank", status="done").exists()
    review.refresh_from_db()
    assert review.ranking_state["ready"] is True
    assert review.ranking_state["estimated_recall"] is not None
    html = reviewer.get(url).content.decode()
    assert "Callaghan" in html  # the stopping rule's assumption is stated
    assert 'id="ranking-heading"' in html


def test_the_ranking_job_runs_in_the_background_with_progress(
    ranked_review, reviewer, second_reviewer, django_capture_on_commit_callbacks
):
    review, refs = ranked_review
    _settle(refs[1], (reviewer.user, second_reviewer.user), "include")
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post(reverse("literature:ranking_refresh", args=[review.slug]))
    assert response.status_code == 302
    review.refresh_from_db()
    from facit.core.models import Job

    job = Job.objects.get(pk=review.ranking_state["job"])
    assert job.status == "done" and job.result["ready"] is True
