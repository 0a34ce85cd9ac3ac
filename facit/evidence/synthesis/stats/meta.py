"""Inverse-variance meta-analysis: fixed effect and random effects (REML, DL, PM).

statsmodels' ``combine_effects`` offers DL, Paule-Mandel and an HKSJ variance but no
REML; its Paule-Mandel loop returns τ² = 0 when a Newton step overshoots the root, and
it keeps a negative DL τ² in the weights (both found while cross-checking, see
tests/synthesis/test_meta.py). It is the cross-check and benchmark baseline here.
So the estimators are written here once, vectorised over a batch of meta-analyses
(rows of a 2-D array): :func:`meta_analysis_batch` fits thousands in one pass and
:func:`meta_analysis` is the single-analysis front door with input checks.

Conventions follow metafor's ``rma.uni``/``predict.rma`` so published numbers match:

* I² and H² for random-effects fits use the "typical" within-study variance
  s² = (k-1) Σw / ((Σw)² - Σw²); for FE they come from Q.
* Hartung-Knapp: SE² = Σw(y-μ)² / ((k-1) Σw), t with k-1 df, not truncated. One
  exception: when every study reports exactly the same effect that SE is 0 (a
  zero-width interval and an infinite test statistic), so the unadjusted SE is used.
* Prediction interval: μ ± crit · sqrt(SE² + τ²) with the same critical value as the CI
  (normal, or t with k-1 df under Hartung-Knapp) — metafor's default ``pi.type``;
  ``prediction="riley"`` gives its "Riley" variant (t with k-2 df).
  Not given for FE models, as in metafor.
"""

from __future__ import annotations

import dataclasses
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

_TOL = 1e-9
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


def _reml_step(y: Array, v: Array, tau2: Array) -> tuple[Array, Array]:
    """REML score and a Newton step at τ², for every row.

    For an intercept-only model P = W - w wᵀ/Σw, so the score f = y'PPy - tr P and
    its derivative f' = tr PP - 2 y'PPPy reduce to sums of powers of w and of the
    residuals r = y - μ(τ²) — no k x k matrices. Newton uses -f' (observed
    information); where that is not positive it falls back to Fisher scoring (tr PP),
    metafor's algorithm. Returns (f, step); the REML estimate is where f = 0.
    """
    w = 1.0 / (v + tau2[:, None])
    sw = w.sum(axis=1)
    w2 = w * w
    sw2 = w2.sum(axis=1)
    r = y - ((w * y).sum(axis=1) / sw)[:, None]
    w2r = w2 * r
    score = (w2r * r).sum(axis=1) - (sw - sw2 / sw)
    fisher = sw2 - 2.0 * (w2 * w).sum(axis=1) / sw + (sw2 / sw) ** 2
    upppy = (w2r * w * r).sum(axis=1) - w2r.sum(axis=1) ** 2 / sw
    observed = 2.0 * upppy - fisher
    info = np.where(observed > 0, observed, fisher)
    return score, score / info


def _tau2_reml(y: Array, v: Array, start: Array) -> Array:
    """Safeguarded Newton iteration for the REML τ², all rows at once.

    Plain Fisher scoring (metafor's algorithm) converges to the same root but can be
    slow or oscillate on flat likelihoods, so each row takes Newton steps inside a
    bracket [lo, hi] around the root of the REML score and bisects whenever a step
    leaves the bracket or stops shrinking (as in Numerical Recipes' rtsafe). A row whose score is not positive
    at τ² = 0 has its maximum on the boundary: τ² = 0.
    """
    n = y.shape[0]
    score0, _ = _reml_step(y, v, np.zeros(n))
    active = score0 > 0
    tau2 = np.where(active, start, 0.0)
    lo, hi = np.zeros(n), np.full(n, np.inf)
    last = np.full(n, np.inf)  # size of each row's previous move
    for _ in range(_MAX_ITER):
        if not active.any():
            break
        idx = np.flatnonzero(active)
        t = tau2[idx]
        score, step = _reml_step(y[idx], v[idx], t)
        up = score > 0
        lo[idx] = np.where(up, t, lo[idx])
        hi[idx] = np.where(up, hi[idx], t)
        new = t + step
        # bisect when scoring leaves the bracket or stops shrinking fast enough (rtsafe)
        slow = (new <= lo[idx]) | (new >= hi[idx]) | (2.0 * np.abs(step) > last[idx])
        new = np.where(slow & np.isfinite(hi[idx]), (lo[idx] + hi[idx]) / 2, new)
        last[idx] = np.abs(new - t)
        tau2[idx] = new
        settled = (np.abs(new - t) <= _TOL * (1.0 + new)) | (hi[idx] - lo[idx] <= _TOL)
        active[idx[settled]] = False
    return tau2


def _tau2_reml_one(y: Array, v: Array, start: float) -> float:
    """:func:`_tau2_reml` for a single analysis, in scalars and dot products.

    Same steps, same safeguards; exists because per-call numpy overhead, not
    arithmetic, dominates a 20-study fit.
    """

    def step_at(t: float) -> tuple[float, float]:
        w = 1.0 / (v + t)
        sw = float(w.sum())
        w2 = w * w
        sw2 = float(w2.sum())
        r = y - float(w.dot(y)) / sw
        w2r = w2 * r
        score = float(w2r.dot(r)) - (sw - sw2 / sw)
        fisher = sw2 - 2.0 * float(w2.dot(w)) / sw + (sw2 / sw) ** 2
        w2r_sum = float(w2r.sum())
        observed = 2.0 * (float(w2r.dot(w * r)) - w2r_sum * w2r_sum / sw) - fisher
        return score, score / (observed if observed > 0 else fisher)

    if step_at(0.0)[0] <= 0:
        return 0.0
    t, lo, hi, last = start, 0.0, math.inf, math.inf
    for _ in range(_MAX_ITER):
        score, step = step_at(t)
        if score > 0:
            lo = t
        else:
            hi = t
        new = t + step
        if (new <= lo or new >= hi or 2.0 * abs(step) > last) and hi < math.inf:
            new = (lo + hi) / 2
        last = abs(new - t)
        if last <= _TOL * (1.0 + new) or hi - lo <= _TOL:
            return new
        t = new
    return t


def _q_gen(y: Array, v: Array, tau2: Array) -> tuple[Array, Array]:
    w = 1.0 / (v + tau2[:, None])
    mu = (w * y).sum(axis=1) / w.sum(axis=1)
    r = y - mu[:, None]
    wr = w * r
    return (wr * r).sum(axis=1), (wr * wr).sum(axis=1)


def _tau2_pm(y: Array, v: Array, q0: Array) -> Array:
    """Paule-Mandel: the τ² at which the generalised Q equals k-1 (0 if Q(0) <= k-1).

    Newton steps on Q(τ²) from 0 (DerSimonian & Kacker 2007). A step can overshoot the
    root; unlike statsmodels' loop (which then returns 0) we keep iterating, and rows
    that do not settle fall back to bisection.
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
    # Q(t) <= k * range² / t, so at this t the generalised Q is below 1 <= k - 1.
    spread = float((y.max(axis=1) - y.min(axis=1)).max())
    high = np.full(y.shape[0], 2.0 * y.shape[1] * spread * spread + float(v.max()))
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


def _batch(y: Array, v: Array, method: str, hartung_knapp: bool, level: float) -> BatchResult:
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
        se = np.where(se > 0, se, np.sqrt(1.0 / sw))  # identical effects: see module doc
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
    prediction: Literal["default", "riley"] = "default",
) -> MetaResult:
    """Pool k >= 2 effect sizes (analysis scale) with their sampling variances.

    ``prediction="riley"`` computes the prediction interval with t on k-2 df (at
    least 1), metafor's ``predict(..., pi.type="Riley")``; the default matches
    metafor's default (normal, or t with k-1 df under Hartung-Knapp).
    """
    key = _check_options(method, level)
    if prediction not in ("default", "riley"):
        raise SynthesisInputError("prediction", "must be 'default' or 'riley'")
    y, v = _vector("yi", yi), _vector("vi", vi)
    if y.size != v.size:
        raise SynthesisInputError("vi", "yi and vi must have the same length")
    if y.size < 2:
        raise SynthesisInputError("yi", "a meta-analysis needs at least 2 studies")
    nonpositive = np.flatnonzero(v <= 0)
    if nonpositive.size:
        raise SynthesisInputError(f"vi[{nonpositive[0]}]", "must be greater than zero")
    fit = _fit_one(y, v, key, bool(hartung_knapp), float(level))
    if prediction == "riley" and fit.pi_low is not None:
        return _riley(fit)
    return fit


def _riley(fit: MetaResult) -> MetaResult:
    crit = float(stdtrit(max(1, fit.k - 2), 1.0 - (1.0 - fit.level) / 2.0))
    half = crit * math.sqrt(fit.se * fit.se + fit.tau2)
    return dataclasses.replace(fit, pi_low=fit.estimate - half, pi_high=fit.estimate + half)


def _tau2_one(method: str, y: Array, v: Array, w0: Array, sw0: float, q: float) -> float:
    if method == "FE":
        return 0.0
    k = y.size
    dl = max(0.0, (q - (k - 1)) / (sw0 - float(w0.dot(w0)) / sw0))
    if method == "DL":
        return dl
    if method == "REML":
        return _tau2_reml_one(y, v, dl)
    return float(_tau2_pm(y[None, :], v[None, :], np.array([q]))[0])


def _fit_one(y: Array, v: Array, method: str, hartung_knapp: bool, level: float) -> MetaResult:
    """One analysis in scalars: the same formulas as :func:`_batch`, less overhead."""
    k = y.size
    df = k - 1
    w0 = 1.0 / v
    sw0 = float(w0.sum())
    r0 = y - float(w0.dot(y)) / sw0
    q = float((w0 * r0).dot(r0))
    tau2 = _tau2_one(method, y, v, w0, sw0, q)
    w = 1.0 / (v + tau2)
    sw = float(w.sum())
    estimate = float(w.dot(y)) / sw
    if hartung_knapp:
        r = y - estimate
        se = math.sqrt(float((w * r).dot(r)) / (df * sw)) or math.sqrt(1.0 / sw)
    else:
        se = math.sqrt(1.0 / sw)
    crit = _critical(level, hartung_knapp, df)
    statistic = estimate / se
    tail = float(stdtr(df, -abs(statistic))) if hartung_knapp else float(ndtr(-abs(statistic)))
    if method == "FE":
        i2 = 100.0 * (q - df) / q if q > df else 0.0
        h2 = q / df
        pi_low = pi_high = None
    else:
        s2 = df * sw0 / (sw0 * sw0 - float(w0.dot(w0)))
        i2, h2 = 100.0 * tau2 / (tau2 + s2), (tau2 + s2) / s2
        half = crit * math.sqrt(se * se + tau2)
        pi_low, pi_high = estimate - half, estimate + half
    return MetaResult(
        k=k,
        method=method,
        hartung_knapp=hartung_knapp,
        level=level,
        estimate=estimate,
        se=se,
        ci_low=estimate - crit * se,
        ci_high=estimate + crit * se,
        pi_low=pi_low,
        pi_high=pi_high,
        tau2=tau2,
        i2=i2,
        h2=h2,
        q=q,
        q_df=df,
        q_p=float(chdtrc(df, q)),
        statistic=statistic,
        p_value=2.0 * tail,
        distribution="t" if hartung_knapp else "z",
        df=df if hartung_knapp else None,
        weights=tuple((100.0 / sw * w).tolist()),
    )
