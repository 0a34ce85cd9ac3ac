"""The ranker puts obviously relevant records first and persists its features."""

from pathlib import Path

import numpy as np
import pytest

from facit.literature.ranking import (
    Ranker,
    RankerConfig,
    RankingError,
    RankResult,
    balanced_sample_weight,
)

RELEVANT = [
    "school based prevention programme for child sexual abuse evaluated in a trial",
    "randomised trial of a child sexual abuse prevention curriculum in schools",
    "prevention of child sexual exploitation: school programme evaluation",
    "body safety training for children, a school prevention programme",
]
IRRELEVANT = [
    "soil nitrogen cycling in boreal forests",
    "a compiler for functional programming languages",
    "stock market volatility and interest rates",
    "protein folding simulated with molecular dynamics",
    "traffic congestion pricing in large cities",
    "deep sea fish populations and ocean temperature",
    "bridge design under seismic loads",
    "medieval trade routes across the baltic sea",
]


def _corpus() -> tuple[list[str], list[int]]:
    texts = RELEVANT + IRRELEVANT
    return texts, [1] * len(RELEVANT) + [0] * len(IRRELEVANT)


def test_relevant_records_rank_above_irrelevant_after_one_label_of_each() -> None:
    texts, truth = _corpus()
    ranker = Ranker()
    ranker.fit_features(texts)
    result = ranker.rank({0: 1, len(RELEVANT): 0})
    top = result.order[: len(RELEVANT) - 1]
    assert all(truth[i] == 1 for i in top)


def test_rank_excludes_labelled_records_and_scores_every_record() -> None:
    texts, _ = _corpus()
    ranker = Ranker()
    ranker.fit_features(texts)
    result = ranker.rank({0: 1, 5: 0})
    assert 0 not in result.order and 5 not in result.order
    assert sorted(result.order) == [i for i in range(len(texts)) if i not in (0, 5)]
    assert result.scores.shape == (len(texts),)


def test_with_only_inclusions_similar_records_come_first() -> None:
    texts, truth = _corpus()
    ranker = Ranker()
    ranker.fit_features(texts)
    order = ranker.rank({1: 1}).order
    assert truth[order[0]] == 1


def test_without_labels_order_is_record_order() -> None:
    texts, _ = _corpus()
    ranker = Ranker()
    ranker.fit_features(texts)
    assert ranker.rank({}).order == list(range(len(texts)))


def test_label_outside_the_corpus_is_reported_with_its_record() -> None:
    ranker = Ranker()
    ranker.fit_features(["a first text", "a second text"])
    with pytest.raises(RankingError) as caught:
        ranker.rank({7: 1})
    assert caught.value.location == "record 7"


def test_label_other_than_zero_or_one_is_rejected() -> None:
    ranker = Ranker()
    ranker.fit_features(["a first text", "a second text"])
    with pytest.raises(RankingError):
        ranker.rank({0: 2})


def test_ensemble_config_also_ranks_relevant_first() -> None:
    texts, truth = _corpus()
    ranker = Ranker(RankerConfig(classifiers=("svm", "nb"), char_ngrams=(3, 4)))
    ranker.fit_features(texts)
    order = ranker.rank({0: 1, len(RELEVANT): 0}).order
    assert truth[order[0]] == 1


def test_balanced_weights_give_inclusions_weight_and_average_one() -> None:
    y = np.array([1, 0, 0, 0, 0])
    w = balanced_sample_weight(y, ratio=2.0)
    # exclusions: 1 / (2 * 4) = 0.125 before normalising; inclusion 1.0
    assert w[0] / w[1] == pytest.approx(8.0)
    assert w.mean() == pytest.approx(1.0)


def test_saved_features_reload_to_the_same_ranking(tmp_path: Path) -> None:
    texts, _ = _corpus()
    ranker = Ranker(RankerConfig(char_ngrams=(3, 4)))
    ranker.fit_features(texts)
    ranker.save(tmp_path / "cache")
    again = Ranker.load(tmp_path / "cache")
    labels = {0: 1, 6: 0}
    assert again.config == ranker.config
    assert again.rank(labels).order == ranker.rank(labels).order


def test_saved_features_are_refused_for_another_model(tmp_path: Path) -> None:
    texts, _ = _corpus()
    ranker = Ranker(RankerConfig())
    ranker.fit_features(texts)
    ranker.save(tmp_path / "cache")
    assert Ranker.load(tmp_path / "cache", expected=RankerConfig()).config == RankerConfig()
    with pytest.raises(RankingError):
        Ranker.load(tmp_path / "cache", expected=RankerConfig(svm_c=0.5))


def test_features_saved_before_identities_were_recorded_are_refused(tmp_path: Path) -> None:
    texts, _ = _corpus()
    ranker = Ranker(RankerConfig())
    ranker.fit_features(texts)
    ranker.save(tmp_path / "cache")
    (tmp_path / "cache" / "model.txt").unlink()  # as written by the earlier code
    with pytest.raises(RankingError):
        Ranker.load(tmp_path / "cache", expected=RankerConfig())


def test_model_identity_follows_the_config_and_the_model_version(monkeypatch) -> None:
    from facit.literature.ranking import ranker as ranker_module

    base = RankerConfig().identity()
    assert RankerConfig().identity() == base
    assert RankerConfig(svm_c=0.5).identity() != base
    monkeypatch.setattr(ranker_module, "MODEL_VERSION", ranker_module.MODEL_VERSION + 1)
    assert RankerConfig().identity() != base


def test_loading_a_missing_cache_raises_ranking_error(tmp_path: Path) -> None:
    with pytest.raises(RankingError):
        Ranker.load(tmp_path / "absent")


def test_texts_without_any_word_are_rejected() -> None:
    with pytest.raises(RankingError):
        Ranker().fit_features(["", "  "])


def test_asreview_default_config_is_a_single_svm_that_ranks_relevant_first() -> None:
    texts, truth = _corpus()
    ranker = Ranker(RankerConfig.asreview_default())
    ranker.fit_features(texts)
    assert truth[ranker.rank({0: 1, len(RELEVANT): 0}).order[0]] == 1


def test_weights_not_matching_the_members_are_rejected() -> None:
    with pytest.raises(RankingError) as caught:
        RankerConfig(classifiers=("svm", "nb", "logistic"), member_weights=(2.0, 1.0))
    assert caught.value.location == "config.member_weights"


def test_member_feature_blocks_round_trip_through_json() -> None:
    config = RankerConfig(
        char_ngrams=(3, 5),
        classifiers=("svm", "svm"),
        member_weights=(1.0, 1.0),
        member_features=("word", "char"),
    )
    assert RankerConfig.from_json(config.to_json()) == config


def test_a_char_member_without_char_ngrams_is_rejected() -> None:
    with pytest.raises(RankingError) as caught:
        RankerConfig(classifiers=("svm",), member_weights=None, member_features=("char",))
    assert caught.value.location == "config.member_features"


def test_committee_on_separate_feature_blocks_ranks_relevant_first() -> None:
    texts, truth = _corpus()
    ranker = Ranker(
        RankerConfig(
            char_ngrams=(3, 4),
            classifiers=("svm", "svm"),
            member_weights=(1.0, 1.0),
            member_features=("word", "char"),
        )
    )
    ranker.fit_features(texts)
    assert truth[ranker.rank({0: 1, len(RELEVANT): 0}).order[0]] == 1


def test_default_model_gives_identical_scores_on_a_second_fit() -> None:
    texts, _ = _corpus()
    labels = {0: 1, 1: 1, len(RELEVANT): 0, len(RELEVANT) + 1: 0}
    first, second = Ranker(), Ranker()
    first.fit_features(texts)
    second.fit_features(list(texts))
    a, b = first.rank(labels), second.rank(labels)
    assert a.order == b.order
    assert np.array_equal(a.scores, b.scores)


def test_retrain_interface_takes_a_label_mapping_and_returns_order_and_scores() -> None:
    texts, _ = _corpus()
    ranker = Ranker()
    ranker.fit_features(texts)
    assert ranker.n_records == len(texts)
    result = ranker.rank({0: 1, len(RELEVANT): 0})
    assert isinstance(result, RankResult)
    assert isinstance(result.order, list) and all(isinstance(i, int) for i in result.order)
    assert result.scores.shape == (len(texts),)
    # Labelled records are scored too (the page shows a relevance bar) but not offered.
    assert np.isfinite(result.scores).all()


def test_default_model_is_asreview_default_elas_u4() -> None:
    assert RankerConfig() == RankerConfig.asreview_default()
    assert RankerConfig().classifiers == ("svm",)


def test_late_naive_bayes_member_waits_for_enough_inclusions() -> None:
    texts, _ = _corpus()
    labels = {0: 1, len(RELEVANT): 0, len(RELEVANT) + 1: 0}
    svm_only = Ranker(RankerConfig.asreview_default())
    late = Ranker(
        RankerConfig(classifiers=("svm", "nb"), member_weights=(2.0, 1.0), nb_min_inclusions=2)
    )
    svm_only.fit_features(texts)
    late.fit_features(texts)
    # One inclusion: naive Bayes has not joined, so the scores are the SVM's alone.
    assert np.array_equal(late.rank(labels).scores, svm_only.rank(labels).scores)
    labels[1] = 1
    assert not np.array_equal(late.rank(labels).scores, svm_only.rank(labels).scores)


def test_per_member_c_must_match_the_members() -> None:
    with pytest.raises(RankingError) as caught:
        RankerConfig(classifiers=("svm", "svm"), member_weights=(1.0, 1.0), member_c=(0.1,))
    assert caught.value.location == "config.member_c"
