from __future__ import annotations

import pytest
from django.urls import reverse

from facit.literature import selectors, services
from facit.literature.models import Outcome, Reference
from facit.literature.screening import rules
from tests.literature import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(reviewer, second_reviewer, third_reviewer):
    review = f.review(reviewer.user, second_reviewer.user, third_reviewer.user)
    return review, reviewer, second_reviewer, third_reviewer


def test_kappa_matches_the_hand_computed_example():
    # 10 pairs: 4 both include, 3 both exclude, 2 include/exclude, 1 exclude/include.
    # observed = 7/10; first rater 6 I, 4 E; second 5 I, 5 E; expected = (6*5 + 4*5)/100 = 0.5
    # kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    pairs = [("include", "include")] * 4 + [("exclude", "exclude")] * 3
    pairs += [("include", "exclude")] * 2 + [("exclude", "include")]
    result = rules.cohen_kappa(pairs)
    assert result.pairs == 10
    assert result.observed == pytest.approx(0.7)
    assert result.kappa == pytest.approx(0.4)


def test_kappa_is_undefined_without_pairs_or_variation():
    assert rules.cohen_kappa([]).kappa is None
    assert rules.cohen_kappa([("include", "include")] * 3).kappa is None


def test_kappa_per_review_and_stage_from_stored_decisions(team):
    review, a, b, _c = team
    plan = [("include", "include")] * 4 + [("exclude", "exclude")] * 3
    plan += [("include", "exclude")] * 2 + [("exclude", "include")]
    for first, second in plan:
        ref = f.reference(review)
        f.decide(ref, a.user, first)
        f.decide(ref, b.user, second)
    assert selectors.agreement(review, "ta").kappa == pytest.approx(0.4)
    assert selectors.agreement(review, "ft").pairs == 0
    page = a.get(reverse("literature:review_detail", args=[review.slug]))
    assert "0,40" in page.content.decode() or "0.40" in page.content.decode()


@pytest.mark.parametrize(
    ("stage", "first", "second", "expected"),
    [
        ("ta", "include", "include", "include"),
        ("ta", "include", "maybe", "include"),
        ("ta", "maybe", "maybe", "include"),
        ("ta", "exclude", "exclude", "exclude"),
        ("ta", "include", "exclude", "conflict"),
        ("ta", "maybe", "exclude", "conflict"),
        ("ft", "include", "include", "include"),
        ("ft", "include", "maybe", "conflict"),
        ("ft", "exclude", "include", "conflict"),
    ],
)
def test_two_decisions_combine_by_the_stated_rules(stage, first, second, expected):
    assert rules.combine(stage, rules.Vote(first, 1), rules.Vote(second, 1)) == expected


def test_full_text_exclusions_for_different_reasons_are_a_conflict():
    assert rules.combine("ft", rules.Vote("exclude", 1), rules.Vote("exclude", 2)) == "conflict"


def test_one_decision_leaves_the_outcome_pending_and_two_settle_it(team):
    review, a, b, _c = team
    ref = f.reference(review)
    f.decide(ref, a.user, "include")
    ref.refresh_from_db()
    assert ref.ta_outcome == Outcome.PENDING
    f.decide(ref, b.user, "include")
    ref.refresh_from_db()
    assert ref.ta_outcome == Outcome.INCLUDE


def test_reviewer_b_cannot_see_a_decision_before_deciding(team):
    review, a, b, _c = team
    ref = f.reference(review)
    f.decide(ref, a.user, "exclude")
    services.decision_record(
        reference=ref,
        stage="ta",
        reviewer=a.user,
        decision="exclude",
        reason=review.reasons.first(),
        note="SECRET-NOTE-OF-A",
    )
    screen = b.get(reverse("literature:screen", args=[review.slug, "ta"]))
    detail = b.get(reverse("literature:reference_detail", args=[review.slug, ref.pk]))
    for response in (screen, detail):
        html = response.content.decode()
        assert response.status_code == 200
        assert "SECRET-NOTE-OF-A" not in html
        assert f"{a.user.username}: " not in html
    assert selectors.visible_decisions(ref, "ta", b.user) == []
    f.decide(ref, b.user, "include")
    detail = b.get(reverse("literature:reference_detail", args=[review.slug, ref.pk]))
    assert "SECRET-NOTE-OF-A" in detail.content.decode()


def test_screening_page_shows_the_criteria_and_posts_a_decision(team):
    review, a, _b, _c = team
    ref = f.reference(review, title="Invented title to screen")
    url = reverse("literature:screen", args=[review.slug, "ta"])
    page = a.get(url).content.decode()
    assert "Invented title to screen" in page
    assert "Invented inclusion criterion" in page and "Invented exclusion criterion" in page
    response = a.post(url, {"reference": ref.pk, "decision": "maybe"})
    assert response.status_code == 302
    assert ref.decisions.get().decision == "maybe"
    # the next page no longer offers the reference to the same reviewer
    assert "Invented title to screen" not in a.get(url).content.decode()


def test_exclude_without_a_reason_is_refused_with_a_message(team):
    review, a, _b, _c = team
    ref = f.reference(review)
    url = reverse("literature:screen", args=[review.slug, "ta"])
    response = a.post(url, {"reference": ref.pk, "decision": "exclude"})
    assert response.status_code == 200
    assert ref.decisions.count() == 0
    with pytest.raises(services.ScreeningError):
        services.decision_record(reference=ref, stage="ta", reviewer=a.user, decision="exclude")


def test_a_third_decision_is_refused(team):
    review, a, b, c = team
    ref = f.reference(review)
    f.decide(ref, a.user, "include")
    f.decide(ref, b.user, "exclude")
    with pytest.raises(services.ScreeningError):
        f.decide(ref, c.user, "include")


def test_conflicts_are_listed_and_resolved_by_a_third_reviewer(team):
    review, a, b, c = team
    ref = f.reference(review, title="Invented conflicting reference")
    f.decide(ref, a.user, "include")
    f.decide(ref, b.user, "exclude")
    ref.refresh_from_db()
    assert ref.ta_outcome == Outcome.CONFLICT
    listing = c.get(reverse("literature:conflicts", args=[review.slug, "ta"])).content.decode()
    assert "Invented conflicting reference" in listing
    with pytest.raises(services.ScreeningError):
        services.conflict_resolve(reference=ref, stage="ta", resolver=a.user, decision="include")
    response = c.post(
        reverse("literature:conflict_resolve", args=[review.slug, "ta", ref.pk]),
        {f"r{ref.pk}-decision": "include", f"r{ref.pk}-note": "read again"},
    )
    assert response.status_code == 302
    ref.refresh_from_db()
    assert ref.ta_outcome == Outcome.INCLUDE
    assert ref.resolutions.get().resolver == c.user
    assert selectors.conflicts(review, "ta").count() == 0


def test_full_text_stage_only_offers_references_included_at_title_abstract(team):
    review, a, b, _c = team
    kept = f.reference(review, title="Invented kept")
    dropped = f.reference(review, title="Invented dropped")
    for ref, decision in ((kept, "include"), (dropped, "exclude")):
        f.decide(ref, a.user, decision)
        f.decide(ref, b.user, decision)
    queue = list(selectors.screening_queue(review, "ft", a.user))
    assert queue == [Reference.objects.get(pk=kept.pk)]
    with pytest.raises(services.ScreeningError):
        f.decide(dropped, a.user, "include", stage="ft")
    reason = review.reasons.first()
    f.decide(kept, a.user, "exclude", stage="ft", reason=reason)
    f.decide(kept, b.user, "exclude", stage="ft", reason=reason)
    kept.refresh_from_db()
    assert (kept.ft_outcome, kept.ft_reason) == (Outcome.EXCLUDE, reason)


def test_a_reviewer_may_change_their_own_decision_before_resolution(team):
    review, a, _b, _c = team
    ref = f.reference(review)
    f.decide(ref, a.user, "include")
    f.decide(ref, a.user, "maybe")
    assert ref.decisions.get().decision == "maybe"


def _queue_down(monkeypatch):
    """The task queue answers as it does with Redis stopped: `queue_check` refuses."""
    from facit.core import jobs

    def refuse() -> None:
        raise jobs.JobsUnavailable("Redis is down (invented for the test)")

    monkeypatch.setattr(jobs, "queue_check", refuse)


def test_with_the_queue_down_a_decision_is_saved_and_the_ranking_updates_later(team, monkeypatch):
    from facit.core.models import Job

    review, a, _b, _c = team
    first, second = f.reference(review, title="Invented first"), f.reference(review)
    url = reverse("literature:screen", args=[review.slug, "ta"])
    _queue_down(monkeypatch)
    response = a.post(url, {"reference": first.pk, "decision": "include"}, follow=True)
    assert response.status_code == 200
    assert first.decisions.get().decision == "include"
    page = response.content.decode()
    assert "Sparat:" in page
    assert "Rangordningen kunde inte uppdateras just nu" in page
    assert 'data-testid="ranking-later"' in page
    review.refresh_from_db()
    assert review.ranking_state.get("refresh_pending") is True
    assert not Job.objects.filter(kind="literature.rank").exists()
    # Still down: the next decision is saved as well, the refresh is still owed.
    assert a.post(url, {"reference": second.pk, "decision": "maybe"}).status_code == 302
    review.refresh_from_db()
    assert review.ranking_state.get("refresh_pending") is True

    # The queue is back: the next view of the screening page queues the owed refresh.
    monkeypatch.undo()
    page = a.get(url).content.decode()
    review.refresh_from_db()
    assert "refresh_pending" not in review.ranking_state
    assert Job.objects.filter(kind="literature.rank").count() == 1
    assert 'data-testid="ranking-later"' not in page


def test_with_the_queue_down_an_undo_is_kept_and_the_page_answers(team, monkeypatch):
    review, a, _b, _c = team
    ref = f.reference(review)
    f.decide(ref, a.user, "include")
    _queue_down(monkeypatch)
    response = a.post(
        reverse("literature:decision_undo", args=[review.slug, "ta"]),
        {"reference": ref.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert not ref.decisions.exists()
    assert "Rangordningen kunde inte uppdateras just nu" in response.content.decode()
