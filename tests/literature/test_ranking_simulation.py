"""The simulation follows data/screening/README.md's protocol."""

import csv
from pathlib import Path

import pytest

from facit.literature.ranking import (
    RankingError,
    draw_priors,
    read_labelled_csv,
    simulate,
    simulate_csv,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "screening" / "Kitchenham_2010.csv"


def _subset(n_relevant: int = 12, n_irrelevant: int = 150) -> tuple[list[str], list[int]]:
    texts, labels = read_labelled_csv(DATA)
    keep_rel = [i for i, y in enumerate(labels) if y == 1][:n_relevant]
    keep_irr = [i for i, y in enumerate(labels) if y == 0][:n_irrelevant]
    keep = sorted(keep_rel + keep_irr)
    return [texts[i] for i in keep], [labels[i] for i in keep]


def test_priors_are_one_included_and_one_excluded_and_depend_on_seed() -> None:
    labels = [0, 1, 0, 0, 1, 0, 0, 0, 1, 0]
    inc, exc = draw_priors(labels, seed=3)
    assert labels[inc] == 1 and labels[exc] == 0
    assert draw_priors(labels, seed=3) == (inc, exc)
    assert {draw_priors(labels, seed=s) for s in range(20)} != {(inc, exc)}


def test_priors_are_screened_first_and_count_as_screened() -> None:
    texts, labels = _subset()
    result = simulate(texts, labels, seed=1)
    assert result.screened_order[:2] == list(result.priors)
    assert result.labels_in_order[:2] == [1, 0]
    assert len(set(result.screened_order)) == len(result.screened_order)
    assert result.screened_to_100 == len(result.screened_order)


def test_same_seed_gives_same_run() -> None:
    texts, labels = _subset()
    first = simulate(texts, labels, seed=5)
    second = simulate(texts, labels, seed=5)
    assert first.screened_order == second.screened_order
    assert first.wss95 == second.wss95


def test_metrics_follow_the_screening_order() -> None:
    texts, labels = _subset()
    r = simulate(texts, labels, seed=2)
    n, relevant = len(labels), sum(labels)
    assert r.records == n and r.included == relevant
    found_95 = -(-95 * relevant // 100)
    assert sum(r.labels_in_order[: r.screened_to_95]) == found_95
    assert r.labels_in_order[r.screened_to_95 - 1] == 1
    assert r.wss95 == pytest.approx((n - r.screened_to_95) / n - 0.05)
    assert r.recall_at_10pct == pytest.approx(sum(r.labels_in_order[: -(-n // 10)]) / relevant)


def test_ranking_beats_random_order_on_a_real_subset() -> None:
    texts, labels = _subset()
    r = simulate(texts, labels, seed=0)
    n, relevant = len(labels), sum(labels)
    # With 12 relevant records ceil(0.95*12) = 12: all must be found. In a random order
    # the last of R relevant among N sits at R/(R+1)*(N+1) on average (about 150 here).
    assert r.screened_to_95 < 0.8 * relevant / (relevant + 1) * (n + 1)


def test_simulate_csv_returns_the_cli_keys(tmp_path: Path) -> None:
    texts, labels = _subset(n_relevant=5, n_irrelevant=40)
    path = tmp_path / "small.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "title", "abstract", "doi", "label_included"])
        for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
            writer.writerow([i, text[:80], text[80:], "", label])
    summary = simulate_csv(path, seed=0)
    assert set(summary) == {
        "records",
        "included",
        "wss95",
        "recall_at_10pct",
        "screened_to_95",
        "screened_to_100",
        "seconds",
    }
    assert summary["records"] == 45 and summary["included"] == 5


def test_csv_with_bad_label_names_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("record_id,title,abstract,doi,label_included\n1,a,b,,maybe\n", encoding="utf-8")
    with pytest.raises(RankingError) as caught:
        read_labelled_csv(path)
    assert "row 2, column label_included" in caught.value.location
    path.write_text("title,label_included\nInvented A,1\nInvented B,\n", encoding="utf-8")
    with pytest.raises(RankingError, match="expected 0 or 1"):
        read_labelled_csv(path)  # an unlabelled record cannot be simulated


def test_a_csv_prepared_for_asreview_reads_with_its_column_names(tmp_path: Path) -> None:
    path = tmp_path / "asreview.csv"
    path.write_text(
        "\ufeffPrimary_Title,notes_abstract,included\nInvented A,About a,yes\nInvented B,,0\n",
        encoding="utf-8",
    )
    assert read_labelled_csv(path) == (["Invented A About a", "Invented B "], [1, 0])
    titles_only = tmp_path / "titles.csv"
    titles_only.write_text("title,label\nInvented C,1.0\n", encoding="utf-8")
    assert read_labelled_csv(titles_only) == (["Invented C "], [1])


def test_simulation_without_an_inclusion_is_rejected() -> None:
    with pytest.raises(RankingError):
        simulate(["a text", "another text"], [0, 0], seed=0)


SMALL_SET = Path(__file__).resolve().parents[2] / "data" / "screening" / "Sep_2021.csv"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_default_model_beats_random_order_by_a_wide_margin_on_a_small_real_review(
    seed: int,
) -> None:
    # Sep_2021: 271 records, 40 included. In a random order the 38th relevant record
    # (ceil(0.95*40)) sits near 38*272/41 = 252 on average, so random WSS@95 is about
    # 0.02 and recall@10% about 0.10. The model must do an order of magnitude better.
    texts, labels = read_labelled_csv(SMALL_SET)
    r = simulate(texts, labels, seed=seed)
    assert r.wss95 > 0.25
    assert r.recall_at_10pct > 0.2


def test_the_same_seed_gives_the_same_run_on_a_real_review() -> None:
    texts, labels = read_labelled_csv(SMALL_SET)
    first = simulate(texts, labels, seed=7)
    second = simulate(texts, labels, seed=7)
    assert first.priors == second.priors
    assert first.screened_order == second.screened_order
