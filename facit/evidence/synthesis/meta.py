"""Inverse-variance meta-analysis: fixed effect and random effects (REML, DL, PM).

statsmodels' ``combine_effects`` offers DL and Paule-Mandel but neither REML nor the
Hartung-Knapp (Knapp-Hartung, metafor ``test="knha"``) adjustment, and it carries a
results-object overhead we do not want in a page that pools hundreds of outcomes.
So the estimators are written here once, vectorised over a batch of meta-analyses
(rows of a 2-D array): :func:`meta_analysis_batch` fits thousands in one pass and
:func:`meta_analysis` is the single-analysis front door with input checks.

Conventions follow metafor's ``rma.uni``/``predict.rma`` so published numbers match:

* I² and H² for random-effects fits use the "typical" within-study variance
  s² = (k-1) Σw / ((Σw)² - Σw²); for FE they come from Q.
* Hartung-Knapp: SE² = Σw(y-μ)² / ((k-1) Σw), t with k-1 df, not truncated.
* Prediction interval: μ ± crit · sqrt(SE² + τ²) with the same critical value as the CI
  (normal, or t with k-1 df under Hartung-Knapp) — metafor's default ``pi.type``.
  Not given for FE models, as in metafor.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import chdtrc, ndtr, ndtri, stdtr, stdtrit

from .errors import SynthesisInputError

Method = Literal["REML", "DL", "PM", "FE"]
METHODS: tuple[str, ...] = ("REML", "DL", "PM", "FE")

_TOL = 1e-10
_MAX_ITER = 200

Array = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class MetaResult:
    """One pooled estimate with its uncertainty and heterogeneity, on the analysis scale."""

    k: int
    method: str
    hartung_knapp: bool
    level: float
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    pi_low: float | None
    pi_high: float | None
    tau2: float
    i2: float
    h2: float
    q: float
    q_df: int
    q_p: float
    statistic: float
    p_value: float
    distribution: str  # "z" or "t"
    df: int | None
    weights: tuple[float, ...]  # percent, in input order

    @property
    def tau(self) -> float:
        return math.sqrt(self.tau2)


@dataclass(frozen=True, slots=True)
class RatioSummary:
    """A pooled log ratio (OR, RR) back on the ratio scale for display."""

    estimate: float
    ci_low: float
    ci_high: float
    pi_low: float | None
    pi_high: float | None


def back_transform(result: MetaResult) -> RatioSummary:
    """exp() of estimate and interval bounds, for results pooled on the log scale."""

    def _exp(x: float | None) -> float | None:
        return None if x is None else math.exp(x)

    return RatioSummary(
        estimate=math.exp(result.estimate),
        ci_low=math.exp(result.ci_low),
        ci_high=math.exp(result.ci_high),
        pi_low=_exp(result.pi_low),
        pi_high=_exp(result.pi_high),
    )


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Column arrays for many meta-analyses fitted at once (one row each)."""

    estimate: Array
    se: Array
    ci_low: Array
    ci_high: Array
    pi_low: Array
    pi_high: Array
    tau2: Array
    i2: Array
    h2: Array
    q: Array
    q_p: Array
    statistic: Array
    p_value: Array
    weights: Array  # percent, same shape as the input


# --------------------------------------------------------------------------- estimators


def _fixed(y: Array, w: Array) -> tuple[Array, Array]:
    sw = w.sum(axis=1)
    return (w * y).sum(axis=1) / sw, sw


def _tau2_dl(y: Array, v: Array, q: Array) -> Array:
    w = 1.0 / v
    sw = w.sum(axis=1)
    c = sw - (w * w).sum(axis=1) / sw
    return np.maximum(0.0, (q - (y.shape[1] - 1)) / c)


def _tau2_reml(y: Array, v: Array, start: Array) -> Array:
    """Fisher scoring on the REML likelihood, as metafor does, for all rows at once.

    For an intercept-only model P = W - w wᵀ/Σw, so every trace needed by the score
    and the information reduces to sums of powers of w — no k x k matrices.
    """
    tau2 = start.copy()
    for _ in range(_MAX_ITER):
        w = 1.0 / (v + tau2[:, None])
        sw = w.sum(axis=1)
        w2 = w * w
        sw2 = w2.sum(axis=1)
        mu = (w * y).sum(axis=1) / sw
        wr = w * (y - mu[:, None])
        tr_p = sw - sw2 / sw
        tr_pp = sw2 - 2.0 * (w2 * w).sum(axis=1) / sw + (sw2 / sw) ** 2
        new = np.maximum(0.0, tau2 + ((wr * wr).sum(axis=1) - tr_p) / tr_pp)
        done = np.abs(new - tau2) <= _TOL * (1.0 + tau2)
        tau2 = new
        if done.all():
            break
    return tau2


def _q_gen(y: Array, v: Array, tau2: Array) -> tuple[Array, Array]:
    w = 1.0 / (v + tau2[:, None])
    mu = (w * y).sum(axis=1) / w.sum(axis=1)
    r = y - mu[:, None]
    wr = w * r
    return (wr * r).sum(axis=1), (wr * wr).sum(axis=1)


def _tau2_pm(y: Array, v: Array, q0: Array) -> Array:
    """Paule-Mandel: the τ² at which the generalised Q equals k-1 (0 if Q(0) <= k-1).

    Newton steps on Q(τ²) from 0 (DerSimonian & Kacker 2007) approach the root from
    below; rows that do not settle fall back to bisection.
    """
    df = y.shape[1] - 1
    tau2 = np.zeros(y.shape[0])
    active = q0 > df
    for _ in range(_MAX_ITER):
        if not active.any():
            break
        q, dq = _q_gen(y[active], v[active], tau2[active])
        step = (q - df) / dq
        tau2[active] = np.maximum(0.0, tau2[active] + step)
        still = np.abs(step) > _TOL * (1.0 + tau2[active])
        active[np.flatnonzero(active)[~still]] = False
    if active.any():
        tau2[active] = _bisect_pm(y[active], v[active], df)
    return tau2


def _bisect_pm(y: Array, v: Array, df: int) -> Array:
    low = np.zeros(y.shape[0])
    high = np.full(y.shape[0], float(np.var(y, axis=1).max() * 10 + v.max()))
    for _ in range(200):
        mid = (low + high) / 2
        q, _ = _q_gen(y, v, mid)
        above = q > df
        low = np.where(above, mid, low)
        high = np.where(above, high, mid)
    return (low + high) / 2


def _tau2(method: str, y: Array, v: Array, q: Array) -> Array:
    if method == "FE":
        return np.zeros(y.shape[0])
    dl = _tau2_dl(y, v, q)
    if method == "DL":
        return dl
    if method == "REML":
        return _tau2_reml(y, v, dl)
    return _tau2_pm(y, v, q)


# --------------------------------------------------------------------------- batch fit


def _heterogeneity(method: str, v: Array, q: Array, tau2: Array) -> tuple[Array, Array]:
    df = v.shape[1] - 1
    if method == "FE":
        with np.errstate(divide="ignore", invalid="ignore"):
            i2 = np.where(q > df, 100.0 * (q - df) / q, 0.0)
        return i2, q / df
    w = 1.0 / v
    sw = w.sum(axis=1)
    s2 = df * sw / (sw * sw - (w * w).sum(axis=1))
    return 100.0 * tau2 / (tau2 + s2), (tau2 + s2) / s2


def _critical(level: float, hartung_knapp: bool, df: int) -> float:
    upper = 1.0 - (1.0 - level) / 2.0
    return float(stdtrit(df, upper)) if hartung_knapp else float(ndtri(upper))


def _batch(
    y: Array, v: Array, method: str, hartung_knapp: bool, level: float
) -> BatchResult:
    k = y.shape[1]
    mu0, _ = _fixed(y, 1.0 / v)
    r0 = y - mu0[:, None]
    q = (r0 * r0 / v).sum(axis=1)
    tau2 = _tau2(method, y, v, q)
    w = 1.0 / (v + tau2[:, None])
    estimate, sw = _fixed(y, w)
    if hartung_knapp:
        r = y - estimate[:, None]
        se = np.sqrt((w * r * r).sum(axis=1) / ((k - 1) * sw))
    else:
        se = np.sqrt(1.0 / sw)
    crit = _critical(level, hartung_knapp, k - 1)
    statistic = estimate / se
    tail = stdtr(k - 1, -np.abs(statistic)) if hartung_knapp else ndtr(-np.abs(statistic))
    pi_half = crit * np.sqrt(se * se + tau2)
    i2, h2 = _heterogeneity(method, v, q, tau2)
    return BatchResult(
        estimate=estimate,
        se=se,
        ci_low=estimate - crit * se,
        ci_high=estimate + crit * se,
        pi_low=estimate - pi_half,
        pi_high=estimate + pi_half,
        tau2=tau2,
        i2=i2,
        h2=h2,
        q=q,
        q_p=chdtrc(k - 1, q),
        statistic=statistic,
        p_value=2.0 * tail,
        weights=100.0 * w / sw[:, None],
    )


def _check_options(method: str, level: float) -> str:
    key = str(method).upper()
    if key not in METHODS:
        raise SynthesisInputError("method", f"must be one of {', '.join(METHODS)}")
    if not (isinstance(level, (int, float)) and 0.5 <= level < 1):
        raise SynthesisInputError("level", "must be a number in [0.5, 1)")
    return key


def meta_analysis_batch(
    yi: ArrayLike,
    vi: ArrayLike,
    *,
    method: Method = "REML",
    hartung_knapp: bool = False,
    level: float = 0.95,
) -> BatchResult:
    """Fit one meta-analysis per row of 2-D ``yi``/``vi`` (same k in every row).

    Used for simulations, sensitivity analyses and benchmarks; checks shape and
    finiteness once for the whole batch rather than per analysis.
    """
    key = _check_options(method, level)
    y = np.asarray(yi, dtype=np.float64)
    v = np.asarray(vi, dtype=np.float64)
    if y.ndim != 2 or y.shape != v.shape:
        raise SynthesisInputError("vi", "yi and vi must be 2-D arrays of the same shape")
    if y.shape[1] < 2:
        raise SynthesisInputError("yi", "a meta-analysis needs at least 2 studies")
    if not (np.isfinite(y).all() and np.isfinite(v).all()):
        raise SynthesisInputError("yi", "all values must be finite numbers")
    if not (v > 0).all():
        raise SynthesisInputError("vi", "every sampling variance must be greater than zero")
    return _batch(y, v, key, hartung_knapp, float(level))


def _vector(name: str, values: Sequence[float] | ArrayLike) -> Array:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise SynthesisInputError(name, "must be a list of numbers") from None
    if array.ndim != 1:
        raise SynthesisInputError(name, "must be a flat list of numbers")
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        raise SynthesisInputError(f"{name}[{bad[0]}]", "must be a finite number")
    return array


def meta_analysis(
    yi: Sequence[float] | ArrayLike,
    vi: Sequence[float] | ArrayLike,
    *,
    method: Method = "REML",
    hartung_knapp: bool = False,
    level: float = 0.95,
) -> MetaResult:
    """Pool k >= 2 effect sizes (analysis scale) with their sampling variances."""
    key = _check_options(method, level)
    y, v = _vector("yi", yi), _vector("vi", vi)
    if y.size != v.size:
        raise SynthesisInputError("vi", "yi and vi must have the same length")
    if y.size < 2:
        raise SynthesisInputError("yi", "a meta-analysis needs at least 2 studies")
    nonpositive = np.flatnonzero(v <= 0)
    if nonpositive.size:
        raise SynthesisInputError(f"vi[{nonpositive[0]}]", "must be greater than zero")
    b = _batch(y[None, :], v[None, :], key, hartung_knapp, float(level))
    fe = key == "FE"
    return MetaResult(
        k=int(y.size),
        method=key,
        hartung_knapp=bool(hartung_knapp),
        level=float(level),
        estimate=float(b.estimate[0]),
        se=float(b.se[0]),
        ci_low=float(b.ci_low[0]),
        ci_high=float(b.ci_high[0]),
        pi_low=None if fe else float(b.pi_low[0]),
        pi_high=None if fe else float(b.pi_high[0]),
        tau2=float(b.tau2[0]),
        i2=float(b.i2[0]),
        h2=float(b.h2[0]),
        q=float(b.q[0]),
        q_df=int(y.size - 1),
        q_p=float(b.q_p[0]),
        statistic=float(b.statistic[0]),
        p_value=float(b.p_value[0]),
        distribution="t" if hartung_knapp else "z",
        df=int(y.size - 1) if hartung_knapp else None,
        weights=tuple(float(x) for x in b.weights[0]),
    )
