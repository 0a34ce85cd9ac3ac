from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import ndtri
from statsmodels.stats.meta_analysis import combine_effects
from statsmodels.stats.tests.results import results_meta

from facit.evidence.synthesis.stats import (
    SynthesisInputError,
    back_transform,
    effect_size,
    meta_analysis,
    meta_analysis_batch,
)

from .reference_data import BCG, METAN_BCG, REML_BCG_RR


def _bcg(measure: str) -> tuple[list[float], list[float]]:
    effects = [effect_size(measure, ai=a, bi=b, ci=c, di=d) for _, a, b, c, d in BCG]
    return [e.yi for e in effects], [e.vi for e in effects]


@pytest.mark.parametrize(("measure", "method"), sorted(METAN_BCG))
def test_bcg_matches_metafor_and_stata_metan_to_four_decimals(measure: str, method: str) -> None:
    # Reference: wviechtb/metafor tests/testthat/test_misc_metan_vs_rma.uni_with_dat.bcg.r
    ref = METAN_BCG[(measure, method)]
    res = meta_analysis(*_bcg(measure), method=method)  # type: ignore[arg-type]
    assert res.estimate == pytest.approx(ref["estimate"], abs=5e-5)
    assert res.ci_low == pytest.approx(ref["ci_low"], abs=5e-5)
    assert res.ci_high == pytest.approx(ref["ci_high"], abs=5e-5)
    assert res.statistic == pytest.approx(ref["z"], abs=5e-5)
    for key in ("q", "tau2", "i2"):
        if key in ref:
            assert getattr(res, key) == pytest.approx(ref[key], abs=5e-5)


def test_bcg_reml_matches_metafor_printout() -> None:
    # Reference: metafor rma() REML print-out cited in reference_data.REML_BCG_RR.
    res = meta_analysis(*_bcg("RR"), method="REML")
    ref = REML_BCG_RR
    for key in ("estimate", "se", "ci_low", "ci_high", "tau2", "q"):
        assert getattr(res, key) == pytest.approx(ref[key], abs=5e-5), key
    assert res.statistic == pytest.approx(ref["z"], abs=5e-5)
    assert res.i2 == pytest.approx(ref["i2"], abs=5e-3)  # printed to 2 decimals
    assert res.h2 == pytest.approx(ref["h2"], abs=5e-3)
    assert res.q_df == 12 and res.q_p < 1e-4


def test_bcg_back_transform_matches_metan_risk_ratio() -> None:
    # metan "rr" output in the same metafor test file: 0.4896 [0.3449, 0.6950] (DL).
    ratio = back_transform(meta_analysis(*_bcg("RR"), method="DL"))
    assert ratio.estimate == pytest.approx(0.4896, abs=5e-5)
    assert ratio.ci_low == pytest.approx(0.3449, abs=5e-5)
    assert ratio.ci_high == pytest.approx(0.6950, abs=5e-5)


# Kacker (2004) example computed with R metafor (control tol=1e-9), from
# statsmodels/statsmodels statsmodels/stats/tests/results/results_meta.py.
KACKER_CASES = [
    ("PM", False, results_meta.exk1_metafor),
    ("DL", False, results_meta.exk1_dl),
    ("DL", True, results_meta.exk1_dl_hksj),
    ("FE", False, results_meta.exk1_fe),
    ("FE", True, results_meta.exk1_fe_hksj),
]


@pytest.mark.parametrize(("method", "hk", "ref"), KACKER_CASES)
def test_kacker_example_matches_metafor_including_hartung_knapp(
    method: str, hk: bool, ref: object
) -> None:
    data = results_meta.exk1_metafor
    res = meta_analysis(data.yi, data.vi, method=method, hartung_knapp=hk)  # type: ignore[arg-type]
    assert res.estimate == pytest.approx(ref.b, abs=1e-8)  # type: ignore[attr-defined]
    assert res.se == pytest.approx(ref.se, abs=1e-8)  # type: ignore[attr-defined]
    assert res.ci_low == pytest.approx(ref.ci_lb, abs=1e-8)  # type: ignore[attr-defined]
    assert res.ci_high == pytest.approx(ref.ci_ub, abs=1e-8)  # type: ignore[attr-defined]
    assert res.tau2 == pytest.approx(ref.tau2, abs=1e-8)  # type: ignore[attr-defined]
    assert res.i2 == pytest.approx(ref.I2, abs=1e-6)  # type: ignore[attr-defined]
    assert res.h2 == pytest.approx(ref.H2, abs=1e-6)  # type: ignore[attr-defined]
    assert res.q == pytest.approx(ref.QE, abs=1e-8)  # type: ignore[attr-defined]
    assert res.q_p == pytest.approx(ref.QEp, abs=1e-10)  # type: ignore[attr-defined]
    assert res.p_value == pytest.approx(ref.pval, abs=1e-12)  # type: ignore[attr-defined]
    assert res.distribution == ("t" if hk else "z")


def test_prediction_interval_follows_metafor_predict_rma() -> None:
    # metafor R/predict.rma.r: pi = pred -/+ crit * sqrt(se^2 + tau2), crit = qnorm
    # for test="z" and qt(k-p) for knha; no PI for FE models.
    y, v = _bcg("RR")
    res = meta_analysis(y, v, method="REML")
    half = float(ndtri(0.975)) * math.sqrt(res.se**2 + res.tau2)
    assert res.pi_low == pytest.approx(res.estimate - half)
    assert res.pi_high == pytest.approx(res.estimate + half)
    hk = meta_analysis(y, v, method="REML", hartung_knapp=True)
    from scipy import stats

    half_t = stats.t.ppf(0.975, 12) * math.sqrt(hk.se**2 + hk.tau2)
    assert hk.pi_high == pytest.approx(hk.estimate + half_t)
    fe = meta_analysis(y, v, method="FE")
    assert fe.pi_low is None and fe.pi_high is None
    # pi.type="Riley": t with k - 2 df (metafor: pi.ddf <- ddf - parms + p)
    riley = meta_analysis(y, v, method="REML", prediction="riley")
    half_r = stats.t.ppf(0.975, 11) * math.sqrt(res.se**2 + res.tau2)
    assert riley.pi_low == pytest.approx(res.estimate - half_r)
    assert riley.ci_low == res.ci_low


def _q_generalised(y: np.ndarray, v: np.ndarray, tau2: float) -> float:
    w = 1 / (v + tau2)
    mu = (w * y).sum() / w.sum()
    return float((w * (y - mu) ** 2).sum())


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # statsmodels' sqrt of negative tau2
@pytest.mark.parametrize(("ours", "theirs"), [("DL", "dl"), ("PM", "pm")])
def test_agrees_with_statsmodels_combine_effects(ours: str, theirs: str) -> None:
    rng = np.random.default_rng(7)
    compared = 0
    for _ in range(40):
        k = int(rng.integers(3, 30))
        v = rng.uniform(0.01, 0.3, k)
        y = rng.normal(0.3, np.sqrt(v + 0.05))
        res = meta_analysis(y, v, method=ours)  # type: ignore[arg-type]
        sm = combine_effects(y, v, method_re=theirs, atol=1e-12, maxiter=500)
        if ours == "PM" and sm.tau2 == 0 and res.q > k - 1:
            # statsmodels' Paule-Mandel loop sets tau2 = 0 when a Newton step
            # overshoots the root; ours keeps iterating to the defining equation.
            assert _q_generalised(y, v, res.tau2) == pytest.approx(k - 1, abs=1e-8)
            continue
        if sm.tau2 < 0:
            # statsmodels' DL leaves a negative tau2 untruncated in the weights;
            # metafor (and we) truncate at zero.
            assert res.tau2 == 0.0
            continue
        compared += 1
        assert res.tau2 == pytest.approx(sm.tau2, abs=1e-8)
        assert res.estimate == pytest.approx(sm.mean_effect_re, abs=1e-8)
        assert res.se == pytest.approx(sm.sd_eff_w_re, abs=1e-8)
        assert res.q == pytest.approx(sm.q, abs=1e-8)
    assert compared >= 15


def test_weights_are_percentages_in_input_order() -> None:
    y, v = _bcg("RR")
    res = meta_analysis(y, v, method="REML")
    assert sum(res.weights) == pytest.approx(100.0)
    w = 1 / (np.asarray(v) + res.tau2)
    assert res.weights == pytest.approx(tuple(100 * w / w.sum()))


def test_batch_rows_equal_single_analyses() -> None:
    rng = np.random.default_rng(3)
    v = rng.uniform(0.01, 0.5, (50, 8))
    y = rng.normal(0, np.sqrt(v + 0.1))
    batch = meta_analysis_batch(y, v, method="REML")
    for i in (0, 17, 49):
        one = meta_analysis(y[i], v[i], method="REML")
        # rows of a batch may take a few more (converged) iterations than one alone
        assert batch.estimate[i] == pytest.approx(one.estimate, abs=1e-9)
        assert batch.tau2[i] == pytest.approx(one.tau2, abs=1e-9)


@pytest.mark.parametrize(
    ("yi", "vi", "kwargs", "field"),
    [
        ([0.1], [0.1], {}, "yi"),
        ([0.1, 0.2], [0.1], {}, "vi"),
        ([0.1, 0.2], [0.1, 0.0], {}, "vi[1]"),
        ([0.1, float("nan")], [0.1, 0.1], {}, "yi[1]"),
        ([0.1, 0.2], [0.1, float("inf")], {}, "vi[1]"),
        ([0.1, 0.2], [0.1, 0.1], {"method": "ML"}, "method"),
        ([0.1, 0.2], [0.1, 0.1], {"level": 1.5}, "level"),
        (["a", 0.2], [0.1, 0.1], {}, "yi"),
    ],
)
def test_invalid_input_raises_synthesis_input_error(
    yi: list[object], vi: list[float], kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(SynthesisInputError) as err:
        meta_analysis(yi, vi, **kwargs)  # type: ignore[arg-type]
    assert err.value.field == field


def _reml_score(y: np.ndarray, v: np.ndarray, tau2: float) -> float:
    """y'PPy - tr(P) with the k x k matrix P, independent of the implementation."""
    w = np.diag(1 / (v + tau2))
    x = np.ones((len(y), 1))
    p = w - w @ x @ np.linalg.inv(x.T @ w @ x) @ x.T @ w
    return float(y @ p @ p @ y - np.trace(p))


def test_reml_solves_the_restricted_likelihood_equation_even_where_fisher_scoring_cycles() -> None:
    # Data drawn so that Fisher scoring truncated at 0 oscillates between two
    # values (found while developing); the estimate must still zero the REML score.
    rng = np.random.default_rng(2026)
    v = rng.uniform(0.01, 0.4, (2000, 20))
    y = rng.normal(0.2, np.sqrt(v + rng.choice([0.0, 0.02, 0.1, 0.3], size=(2000, 1))))
    for i in [9, *range(0, 2000, 37)]:  # row 9 is the cycling case
        res = meta_analysis(y[i], v[i], method="REML")
        if res.tau2 > 0:
            assert abs(_reml_score(y[i], v[i], res.tau2)) < 1e-6
        else:
            assert _reml_score(y[i], v[i], 0.0) <= 0
