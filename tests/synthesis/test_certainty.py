from __future__ import annotations

import dataclasses
import re

import pytest

from facit.evidence.synthesis.stats import (
    TEMPLATES,
    MetaResult,
    StudyAppraisal,
    SynthesisInputError,
    grade_certainty,
    meta_analysis,
    plain_language,
    plain_language_message,
)


def _result(**changes: object) -> MetaResult:
    """A precise, consistent 4-study REML result that by itself rates down nothing."""
    base = meta_analysis([0.40, 0.42, 0.38, 0.41], [0.01, 0.012, 0.011, 0.009])
    return dataclasses.replace(base, **changes)


def _rcts(rob: str = "low", n: int | None = 200) -> list[StudyAppraisal]:
    return [StudyAppraisal("randomised", rob, n) for _ in range(4)]


def _codes(certainty: object) -> list[str]:
    return [m.code for m in certainty.reasons]  # type: ignore[attr-defined]


def test_consistent_precise_randomised_evidence_stays_high() -> None:
    c = grade_certainty(studies=_rcts(), result=_result())
    assert c.level == "high"
    assert _codes(c) == ["start_high_randomised", "not_assessed_by_rules"]


def test_observational_evidence_starts_low() -> None:
    studies = [StudyAppraisal("cohort", "low", 500) for _ in range(4)]
    c = grade_certainty(studies=studies, result=_result())
    assert (c.start, c.level) == ("low", "low")


def test_mostly_high_risk_of_bias_weight_rates_down_one_level() -> None:
    studies = _rcts()
    studies[:3] = [StudyAppraisal("randomised", "high", 200) for _ in range(3)]
    c = grade_certainty(studies=studies, result=_result())
    assert c.level == "moderate"
    assert "risk_of_bias_serious" in _codes(c)


def test_high_i2_rates_down_for_inconsistency() -> None:
    c = grade_certainty(studies=_rcts(), result=_result(i2=75.0))
    assert "inconsistency_i2" in _codes(c) and c.level == "moderate"


def test_prediction_interval_crossing_null_rates_down_when_ci_does_not() -> None:
    c = grade_certainty(studies=_rcts(), result=_result(i2=30.0, pi_low=-0.1, pi_high=0.9))
    assert "inconsistency_prediction_interval" in _codes(c)


def test_ci_crossing_null_rates_down_for_imprecision() -> None:
    c = grade_certainty(studies=_rcts(), result=_result(ci_low=-0.05, pi_low=-0.3))
    assert "imprecision_ci_crosses_null" in _codes(c)


def test_total_n_below_optimal_information_size_rates_down() -> None:
    c = grade_certainty(studies=_rcts(n=50), result=_result())
    assert "imprecision_below_ois" in _codes(c)
    assert "200 participants" in next(
        m.text for m in c.reasons if m.code == "imprecision_below_ois"
    )


def test_unknown_sample_sizes_are_reported_not_penalised() -> None:
    c = grade_certainty(studies=_rcts(n=None), result=_result())
    assert c.level == "high" and "imprecision_total_n_unknown" in _codes(c)
    assert c.downgrades == 0


def test_level_never_falls_below_very_low() -> None:
    studies = [StudyAppraisal("cohort", "high", 10) for _ in range(4)]
    c = grade_certainty(studies=studies, result=_result(i2=90.0, ci_low=-1.0))
    assert c.level == "very_low" and c.label == "Very low certainty"
    assert c.downgrades == 3


def test_mismatched_study_list_is_rejected() -> None:
    with pytest.raises(SynthesisInputError) as err:
        grade_certainty(studies=_rcts()[:2], result=_result())
    assert err.value.field == "studies"
    with pytest.raises(SynthesisInputError) as err:
        grade_certainty(studies=[*_rcts()[:3], StudyAppraisal("rct", "bad")], result=_result())
    assert err.value.field == "studies[3].risk_of_bias"


def test_plain_language_back_transforms_ratios_and_hedges_by_certainty() -> None:
    res = meta_analysis([-0.7, -0.6, -0.8], [0.01, 0.02, 0.015], method="DL")
    high = grade_certainty(studies=[StudyAppraisal("rct", "low", 300)] * 3, result=res)
    text = plain_language(res, "RR", high)
    assert text.startswith("The intervention reduces the outcome (risk ratio 0.")
    moderate = dataclasses.replace(high, level="moderate")
    assert "probably reduces" in plain_language(res, "RR", moderate)
    very_low = dataclasses.replace(high, level="very_low")
    assert plain_language(res, "SMD", very_low).startswith("We are very uncertain")


def test_plain_language_says_no_clear_difference_when_ci_crosses_null() -> None:
    res = meta_analysis([-0.2, 0.3, 0.05], [0.05, 0.05, 0.05])
    c = grade_certainty(studies=[StudyAppraisal("rct", "low", 300)] * 3, result=res)
    message = plain_language_message(res, "SMD", c)
    assert message.code.endswith("_no_difference")
    assert "standardised mean difference" in message.text


def test_every_template_placeholder_is_a_simple_name() -> None:
    # The lead translates TEMPLATES; keep placeholders simple so translators can't break them.
    for code, template in TEMPLATES.items():
        for field in re.findall(r"{([^}]*)}", template):
            assert re.fullmatch(r"[a-z0-9_]+(:[.0-9a-z]+)?", field), (code, field)
