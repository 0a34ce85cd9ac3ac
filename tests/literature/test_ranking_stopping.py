"""Stopping aid: counts, recall estimate and the hypergeometric rule at its edges."""

import pytest
from scipy.stats import hypergeom

from facit.literature.ranking import RankingError, hypergeometric_p, stopping_stats
from facit.literature.ranking.stopping import since_last_inclusion


def test_since_last_inclusion_counts_trailing_exclusions() -> None:
    assert since_last_inclusion([1, 0, 1, 0, 0, 0]) == 3
    assert since_last_inclusion([0, 0]) == 2
    assert since_last_inclusion([0, 1]) == 0


def test_hypergeometric_p_matches_hand_computation_for_one_urn() -> None:
    # 50 found, then 1000 excluded, 950 unscreened. H0 needs >= floor(50/0.95)+1 = 53
    # relevant overall, i.e. >= 3 in the urn of the last 1000 plus the 950 unscreened.
    labels = [1] * 50 + [0] * 1000
    expected = hypergeom.cdf(0, 1950, 3, 1000)
    assert hypergeometric_p(labels, n_total=2000, recall_target=0.95) == pytest.approx(expected)


def test_rule_not_met_right_after_a_run_of_inclusions() -> None:
    stats = stopping_stats([1] * 20 + [0] * 5, 1000)
    assert not stats.stop
    assert "keep_screening" in stats.codes


def test_rule_met_after_a_long_fruitless_run_on_a_small_remainder() -> None:
    stats = stopping_stats([1] * 40 + [0] * 900, 1000)
    assert stats.p_value is not None and stats.p_value < 0.05
    assert stats.stop and "target_met" in stats.codes
    assert "long_run_without_inclusion" in stats.codes


def test_lower_confidence_stops_earlier() -> None:
    labels = [1] * 50 + [0] * 1000
    assert not stopping_stats(labels, 2000, confidence=0.95).stop
    assert stopping_stats(labels, 2000, confidence=0.80).stop


def test_everything_screened_means_stop_with_full_recall() -> None:
    stats = stopping_stats([1, 0, 0], 3)
    assert stats.stop and stats.codes == ("all_screened",) and stats.estimated_recall == 1.0


def test_nothing_screened_gives_no_estimate_and_no_stop() -> None:
    stats = stopping_stats([], 10)
    assert not stats.stop and stats.codes == ("nothing_screened",)
    assert stats.estimated_recall is None and stats.p_value is None


def test_no_inclusion_yet_has_no_recall_estimate() -> None:
    stats = stopping_stats([0, 0, 0], 100)
    assert stats.estimated_recall is None and "no_inclusions_yet" in stats.codes


def test_recall_estimate_states_its_assumption_and_stays_below_one() -> None:
    stats = stopping_stats([1] * 10 + [0] * 90, 1000, window=50)
    assert stats.estimated_recall is not None and 0 < stats.estimated_recall < 1
    assert "all 100 decisions" in stats.recall_assumption
    assert stats.explanations and all(isinstance(t, str) for t in stats.explanations)


@pytest.mark.parametrize(
    ("labels", "n_total", "kwargs"),
    [
        ([1, 0], 1, {}),
        ([1, 2], 5, {}),
        ([1], 5, {"recall_target": 1.0}),
        ([1], 5, {"confidence": 0}),
    ],
)
def test_invalid_input_raises_ranking_error(labels: list[int], n_total: int, kwargs: dict) -> None:
    with pytest.raises(RankingError):
        stopping_stats(labels, n_total, **kwargs)
