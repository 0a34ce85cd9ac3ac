"""The evidence-level rules (pure module): each level, and what is said when data is missing."""

from facit.evidence.levels import (
    CONCERNING,
    INSUFFICIENT,
    NO_EFFECT,
    NOT_EVALUATED,
    PROMISING,
    SUPPORTED,
    WELL_SUPPORTED,
    compute_level,
)
from facit.evidence.levels import (
    EvaluationFacts as E,
)
from facit.evidence.levels import (
    OutcomeFacts as O,
)

FAV12 = (O("favourable", 12),)
FAV6 = (O("favourable", 6),)


def codes(result):
    return [r.code for r in result.reasons]


def test_no_evaluations_is_not_evaluated():
    assert compute_level([]).level == NOT_EVALUATED


def test_two_low_risk_trials_in_different_samples_sustained_12_months_are_well_supported():
    result = compute_level([E(1, "rct", "low", FAV12), E(2, "rct", "moderate", FAV6)])
    assert result.level == WELL_SUPPORTED


def test_two_trials_on_the_same_sample_are_not_well_supported():
    result = compute_level(
        [E(1, "rct", "low", FAV12, sample_key="s"), E(2, "rct", "low", FAV12, sample_key="s")]
    )
    assert result.level == SUPPORTED
    assert "one_trial_only" in codes(result)


def test_one_trial_and_one_strong_quasi_experiment_are_well_supported():
    assert (
        compute_level([E(1, "rct", "low", FAV12), E(2, "quasi-experimental", "low", FAV6)]).level
        == WELL_SUPPORTED
    )


def test_two_quasi_experiments_without_a_trial_are_only_supported():
    result = compute_level(
        [E(1, "quasi-experimental", "low", FAV12), E(2, "quasi-experimental", "low", FAV12)]
    )
    assert result.level == SUPPORTED


def test_favourable_effect_only_at_3_months_is_promising_not_supported():
    result = compute_level([E(1, "rct", "low", (O("favourable", 3),))])
    assert result.level == PROMISING
    assert "not_sustained_6" in codes(result)


def test_unappraised_controlled_favourable_study_is_promising_and_says_rob_is_missing():
    result = compute_level([E(1, "quasi-experimental", None, FAV12)])
    assert result.level == PROMISING
    assert "rob_not_appraised" in codes(result)
    assert "missing_appraisal" in codes(result)


def test_high_risk_of_bias_study_cannot_make_an_intervention_promising():
    result = compute_level([E(1, "rct", "high", FAV12)])
    assert result.level == INSUFFICIENT
    assert "high_rob" in codes(result)


def test_harm_in_any_study_makes_it_concerning_even_with_good_trials():
    result = compute_level(
        [
            E(1, "rct", "low", FAV12),
            E(2, "rct", "low", FAV12),
            E(3, "pre-post", None, (O("harmful", 1),)),
        ]
    )
    assert result.level == CONCERNING


def test_best_studies_showing_no_effect_give_no_effect_shown():
    assert (
        compute_level(
            [E(1, "rct", "low", (O("no_effect", 12),)), E(2, "pre-post", None, FAV12)]
        ).level
        == NO_EFFECT
    )


def test_only_uncontrolled_studies_are_insufficient_and_say_so():
    result = compute_level([E(1, "pre-post", None, FAV12), E(2, "qualitative")])
    assert result.level == INSUFFICIENT
    assert "no_controlled" in codes(result)


def test_randomised_trials_without_extracted_results_are_insufficient_and_name_what_is_missing():
    result = compute_level([E(1, "rct"), E(2, "rct")])
    assert result.level == INSUFFICIENT
    missing = {r.code: r.params for r in result.reasons}
    assert missing["missing_outcomes"] == {"count": 2}
    assert missing["missing_appraisal"] == {"count": 2}


def test_flags_evaluated_once_no_independent_replication_and_manual():
    result = compute_level([E(1, "rct", "low", FAV12, independent=False)], manual_available=True)
    assert set(result.flags) == {"evaluated_once", "no_independent_replication", "manual_available"}


def test_an_independent_evaluation_removes_the_replication_flag():
    result = compute_level([E(1, "rct", "low", FAV12, independent=True), E(2, "pre-post")])
    assert "no_independent_replication" not in result.flags
    assert "evaluated_once" not in result.flags
