from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.tests.results import results_meta

from facit.evidence.synthesis.stats import (
    SynthesisInputError,
    d_to_log_odds_ratio,
    effect_size,
    log_odds_ratio,
    log_odds_ratio_to_d,
    smd_from_f,
    smd_from_means,
    smd_from_p,
    smd_from_t,
)

# Applied Meta-Analysis with R example, with metafor escalc("SMD") output, from
# statsmodels/statsmodels statsmodels/stats/tests/test_meta.py (TestEffSmdMeta.test_smd).
SMD_DATA = [
    (94, 22, 60, 92, 20, 60),
    (98, 21, 65, 92, 22, 65),
    (98, 28, 40, 88, 26, 40),
    (94, 19, 200, 82, 17, 200),
    (98, 21, 50, 88, 22, 45),
    (96, 21, 85, 92, 22, 85),
]
SMD_YI_METAFOR = [
    0.09452415852032972,
    0.27735586626551018,
    0.36654442951591998,
    0.66438496832691396,
    0.46180628128769841,
    0.18516443739910043,
]
SMD_VI_METAFOR_LS = [
    0.03337056173559990,
    0.03106510106366112,
    0.05083971761755720,
    0.01055175923267344,
    0.04334466980873156,
    0.02363025255552155,
]

# dat.fine1993 columns (e2i, nei, c2i, nci) from the same statsmodels test file
# (TestEffectsizeBinom); metafor escalc OR/RR/RD results are in
# statsmodels/stats/tests/results/results_meta.py (eff_prop1).
FINE = [
    (11, 19, 12, 22),
    (18, 34, 12, 35),
    (21, 72, 15, 68),
    (14, 22, 5, 20),
    (42, 70, 13, 32),
    (80, 183, 33, 94),
    (13, 26, 18, 50),
    (37, 61, 30, 55),
    (23, 36, 12, 25),
    (19, 45, 14, 35),
    (106, 246, 76, 208),
    (170, 386, 46, 141),
    (34, 59, 17, 32),
    (18, 45, 3, 15),
    (13, 14, 14, 18),
    (12, 26, 10, 19),
    (42, 74, 40, 75),
]


def test_smd_from_means_matches_metafor_hedges_g_and_ls_variance() -> None:
    for row, yi, vi in zip(SMD_DATA, SMD_YI_METAFOR, SMD_VI_METAFOR_LS, strict=True):
        m1, s1, n1, m2, s2, n2 = row
        es = smd_from_means(m1i=m1, sd1i=s1, n1i=n1, m2i=m2, sd2i=s2, n2i=n2)
        assert es.measure == "SMD"
        assert es.yi == pytest.approx(yi, abs=1e-10)
        assert es.vi == pytest.approx(vi, abs=1e-10)


@pytest.mark.parametrize(
    ("measure", "y_ref", "v_ref"),
    [("OR", "y_or", "v_or"), ("RR", "y_rr", "v_rr"), ("RD", "y_rd", "v_rd")],
)
def test_two_by_two_measures_match_metafor_escalc_on_fine1993(
    measure: str, y_ref: str, v_ref: str
) -> None:
    ref = results_meta.eff_prop1
    for i, (events1, n1, events2, n2) in enumerate(FINE):
        es = effect_size(measure, ai=events1, bi=n1 - events1, ci=events2, di=n2 - events2)
        assert es.yi == pytest.approx(getattr(ref, y_ref)[i], abs=1e-10)
        assert es.vi == pytest.approx(getattr(ref, v_ref)[i], abs=1e-10)
        assert es.notes == ()


def test_zero_cell_adds_half_to_every_cell_and_says_so() -> None:
    es = log_odds_ratio(ai=0, bi=10, ci=3, di=7)
    assert es.yi == pytest.approx(math.log(0.5 * 7.5 / (10.5 * 3.5)))
    assert es.vi == pytest.approx(1 / 0.5 + 1 / 10.5 + 1 / 3.5 + 1 / 7.5)
    assert [n.code for n in es.notes] == ["continuity_correction"]
    rr = effect_size("RR", ai=0, bi=10, ci=3, di=7)
    assert rr.yi == pytest.approx(math.log(0.5 / 11) - math.log(3.5 / 11))


def test_smd_from_t_equals_smd_from_the_means_that_produced_t() -> None:
    m1, s1, n1, m2, s2, n2 = SMD_DATA[0]
    sp = math.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / (n1 + n2 - 2))
    t = (m1 - m2) / (sp * math.sqrt(1 / n1 + 1 / n2))
    from_t = smd_from_t(ti=t, n1i=n1, n2i=n2)
    assert from_t.yi == pytest.approx(SMD_YI_METAFOR[0], abs=1e-12)
    from_f = smd_from_f(fi=t * t, n1i=n1, n2i=n2, direction=1)
    assert from_f.yi == pytest.approx(SMD_YI_METAFOR[0], abs=1e-12)
    assert smd_from_f(fi=t * t, n1i=n1, n2i=n2, direction=-1).yi == pytest.approx(-from_f.yi)


def test_smd_from_two_sided_p_inverts_the_t_test_p_value() -> None:
    from scipy import stats

    t, n1, n2 = 2.3, 30, 28
    p = 2 * stats.t.sf(t, n1 + n2 - 2)
    es = smd_from_p(pi=p, n1i=n1, n2i=n2, direction=1)
    assert es.yi == pytest.approx(smd_from_t(ti=t, n1i=n1, n2i=n2).yi, rel=1e-9)
    assert {n.code for n in es.notes} == {"sign_from_direction", "from_two_sided_p"}


def test_dispatcher_routes_t_f_p_and_means_for_smd() -> None:
    kw = {"n1i": 30, "n2i": 28}
    assert effect_size("SMD", ti=2.0, **kw).yi == smd_from_t(ti=2.0, **kw).yi
    assert effect_size("smd", fi=4.0, **kw).yi == pytest.approx(smd_from_t(ti=2.0, **kw).yi)
    assert effect_size("SMD", pi=0.05, direction=-1, **kw).yi < 0


def test_fisher_z_is_atanh_with_variance_one_over_n_minus_three() -> None:
    es = effect_size("ZCOR", ri=-0.34, ni=103)
    assert es.yi == pytest.approx(math.atanh(-0.34))
    assert es.vi == pytest.approx(0.01)


def test_generic_measure_passes_yi_and_vi_through() -> None:
    es = effect_size("GEN", yi=0.3, vi=0.02)
    assert (es.measure, es.yi, es.vi) == ("GEN", 0.3, 0.02)


def test_d_to_log_odds_ratio_uses_pi_over_root_three_and_round_trips() -> None:
    d = smd_from_t(ti=2.0, n1i=40, n2i=40)
    lor = d_to_log_odds_ratio(d)
    assert lor.yi == pytest.approx(d.yi * math.pi / math.sqrt(3))
    assert lor.vi == pytest.approx(d.vi * math.pi**2 / 3)
    back = log_odds_ratio_to_d(lor)
    assert (back.yi, back.vi) == (pytest.approx(d.yi), pytest.approx(d.vi))


def test_or2d_matches_metafor_formula_sqrt3_over_pi() -> None:
    lor = log_odds_ratio(ai=12, bi=8, ci=6, di=14)
    d = effect_size("OR2D", ai=12, bi=8, ci=6, di=14)
    assert d.yi == pytest.approx(math.sqrt(3) / math.pi * lor.yi)


@pytest.mark.parametrize(
    ("measure", "stats", "field"),
    [
        (
            "SMD",
            {"m1i": 1, "sd1i": 0, "n1i": 10, "m2i": 0, "sd2i": 1, "n2i": 10},
            "sd1i",
        ),
        (
            "SMD",
            {"m1i": 1, "sd1i": 1, "n1i": 10, "m2i": 0, "sd2i": -2, "n2i": 10},
            "sd2i",
        ),
        ("SMD", {"m1i": 1, "sd1i": 1, "n1i": 0, "m2i": 0, "sd2i": 1, "n2i": 10}, "n1i"),
        (
            "SMD",
            {"m1i": float("nan"), "sd1i": 1, "n1i": 10, "m2i": 0, "sd2i": 1, "n2i": 10},
            "m1i",
        ),
        (
            "SMD",
            {"m1i": 1, "sd1i": 1, "n1i": 10, "m2i": float("inf"), "sd2i": 1, "n2i": 10},
            "m2i",
        ),
        ("SMD", {"m1i": 1, "sd1i": 1, "n1i": 10, "m2i": 0, "n2i": 10}, "sd2i"),
        ("SMD", {"pi": 1.0, "n1i": 10, "n2i": 10}, "pi"),
        ("SMD", {"pi": 0.0, "n1i": 10, "n2i": 10}, "pi"),
        ("SMD", {"fi": -1.0, "n1i": 10, "n2i": 10}, "fi"),
        ("SMD", {"ti": 2.0, "n1i": 10}, "n2i"),
        ("OR", {"ai": -1, "bi": 3, "ci": 4, "di": 5}, "ai"),
        ("RR", {"ai": 1, "bi": 3, "ci": 4}, "di"),
        ("RD", {"ai": 0, "bi": 0, "ci": 4, "di": 5}, "bi"),
        ("ZCOR", {"ri": 1.0, "ni": 50}, "ri"),
        ("ZCOR", {"ri": 0.2, "ni": 4}, "ni"),
        ("GEN", {"yi": 0.2, "vi": 0}, "vi"),
        ("GEN", {"yi": "abc", "vi": 0.1}, "yi"),
        ("XYZ", {"ai": 1, "bi": 1, "ci": 1, "di": 1}, "measure"),
    ],
)
def test_bad_input_raises_with_the_offending_field(
    measure: str, stats: dict[str, object], field: str
) -> None:
    with pytest.raises(SynthesisInputError) as err:
        effect_size(measure, **stats)
    assert err.value.field == field
    assert err.value.reason


def test_numpy_scalars_are_accepted() -> None:
    es = effect_size("OR", ai=np.int64(5), bi=np.float64(10), ci=3, di=12)
    assert math.isfinite(es.yi)
