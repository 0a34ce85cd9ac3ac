"""Metric arithmetic on cases small enough to check by hand."""

import pytest

from facit.literature.ranking import (
    RankingError,
    ceil_fraction,
    recall_at,
    screened_until,
    wss,
)


def test_ceil_fraction_does_not_round_up_from_float_noise() -> None:
    # 0.95 * 60 is 57.00000000000001 in binary floating point; the exact answer is 57.
    assert ceil_fraction(0.95, 60) == 57
    assert ceil_fraction(0.10, 2019) == 202
    assert ceil_fraction(0.95, 45) == 43


def test_screened_until_counts_records_up_to_the_nth_relevant_one() -> None:
    order = [0, 1, 0, 0, 1, 1, 0]
    assert screened_until(order, found=1) == 2
    assert screened_until(order, found=2) == 5
    assert screened_until(order, found=3) == 6
    assert screened_until(order, found=4) is None


def test_recall_at_ten_percent_uses_ceiling_of_ten_percent_of_all_records() -> None:
    # N = 25 -> ceil(2.5) = 3 records; two of the four relevant are among them.
    order = [1, 0, 1, 1, 1]
    assert recall_at(order, n_total=25, n_relevant=4) == pytest.approx(0.5)


def test_wss_at_95_subtracts_five_percent_from_the_share_not_screened() -> None:
    assert wss(25, n_total=100, recall=0.95) == pytest.approx(0.70)
    assert wss(100, n_total=100, recall=0.95) == pytest.approx(-0.05)


def test_recall_without_relevant_records_is_an_error() -> None:
    with pytest.raises(RankingError):
        recall_at([0, 0], n_total=2, n_relevant=0)
