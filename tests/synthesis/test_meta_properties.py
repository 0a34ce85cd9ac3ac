"""Properties every pooled result must have, whatever valid data it gets."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from facit.evidence.synthesis.stats import effect_size, meta_analysis

METHODS = ("REML", "DL", "PM", "FE")

effects = st.floats(min_value=-5, max_value=5, allow_nan=False)
variances = st.floats(min_value=1e-4, max_value=10, allow_nan=False)


@st.composite
def studies(draw: st.DrawFn) -> tuple[list[float], list[float]]:
    k = draw(st.integers(min_value=2, max_value=25))
    y = draw(st.lists(effects, min_size=k, max_size=k))
    v = draw(st.lists(variances, min_size=k, max_size=k))
    return y, v


def _all_finite(res: object) -> bool:
    values = [
        getattr(res, name)
        for name in (
            "estimate",
            "se",
            "ci_low",
            "ci_high",
            "tau2",
            "i2",
            "h2",
            "q",
            "q_p",
            "statistic",
            "p_value",
        )
    ]
    values += list(res.weights)  # type: ignore[attr-defined]
    return all(math.isfinite(x) for x in values)


@settings(max_examples=150, deadline=None)
@given(data=studies(), method=st.sampled_from(METHODS), hk=st.booleans())
def test_valid_input_never_gives_nan_and_ci_contains_estimate(
    data: tuple[list[float], list[float]], method: str, hk: bool
) -> None:
    res = meta_analysis(*data, method=method, hartung_knapp=hk)  # type: ignore[arg-type]
    assert _all_finite(res)
    assert res.ci_low <= res.estimate <= res.ci_high
    assert res.tau2 >= 0
    assert 0 <= res.i2 <= 100
    if res.pi_low is not None and res.pi_high is not None:
        assert res.pi_low <= res.ci_low and res.ci_high <= res.pi_high


@settings(max_examples=100, deadline=None)
@given(data=studies(), method=st.sampled_from(METHODS), seed=st.integers(0, 2**32 - 1))
def test_study_order_does_not_change_the_result(
    data: tuple[list[float], list[float]], method: str, seed: int
) -> None:
    y, v = np.asarray(data[0]), np.asarray(data[1])
    perm = np.random.default_rng(seed).permutation(len(y))
    a = meta_analysis(y, v, method=method)  # type: ignore[arg-type]
    b = meta_analysis(y[perm], v[perm], method=method)  # type: ignore[arg-type]
    scale = 1 + abs(a.estimate)
    assert abs(a.estimate - b.estimate) <= 1e-7 * scale
    assert abs(a.tau2 - b.tau2) <= 1e-7 * (1 + a.tau2)
    assert abs(a.se - b.se) <= 1e-7 * (1 + a.se)
    assert np.allclose(np.asarray(a.weights)[perm], b.weights, atol=1e-6)


@settings(max_examples=100, deadline=None)
@given(
    value=effects,
    v=st.lists(variances, min_size=2, max_size=20),
    method=st.sampled_from(("REML", "DL", "PM")),
)
def test_random_effects_equals_fixed_effect_when_tau2_is_zero(
    value: float, v: list[float], method: str
) -> None:
    # Identical effects give Q = 0, so every estimator must return tau2 = 0.
    y = [value] * len(v)
    re = meta_analysis(y, v, method=method)  # type: ignore[arg-type]
    fe = meta_analysis(y, v, method="FE")
    assert re.tau2 == 0.0
    assert math.isclose(re.estimate, fe.estimate, rel_tol=1e-12, abs_tol=1e-12)
    assert math.isclose(re.se, fe.se, rel_tol=1e-12)
    assert math.isclose(re.ci_low, fe.ci_low, rel_tol=1e-12, abs_tol=1e-12)


@settings(max_examples=150, deadline=None)
@given(
    cells=st.tuples(*(st.integers(0, 10_000) for _ in range(4))),
    measure=st.sampled_from(("OR", "RR", "RD")),
)
def test_two_by_two_effect_sizes_are_finite_or_rejected(
    cells: tuple[int, int, int, int], measure: str
) -> None:
    a, b, c, d = cells
    if a + b == 0 or c + d == 0:
        return
    es = effect_size(measure, ai=a, bi=b, ci=c, di=d)
    assert math.isfinite(es.yi) and math.isfinite(es.vi) and es.vi > 0
    assert bool(es.notes) == (min(cells) == 0)


@settings(max_examples=150, deadline=None)
@given(
    m=st.tuples(effects, effects),
    sd=st.tuples(*(st.floats(1e-3, 1e3) for _ in range(2))),
    n=st.tuples(*(st.integers(2, 5000) for _ in range(2))),
)
def test_smd_is_finite_for_any_valid_summary_statistics(
    m: tuple[float, float], sd: tuple[float, float], n: tuple[int, int]
) -> None:
    es = effect_size("SMD", m1i=m[0], sd1i=sd[0], n1i=n[0], m2i=m[1], sd2i=sd[1], n2i=n[1])
    assert math.isfinite(es.yi) and es.vi > 0
