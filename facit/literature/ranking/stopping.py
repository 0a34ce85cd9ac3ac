"""Stopping aid: how much screening is left worth doing?

Three numbers, each with the assumption it rests on, because none of them can be known
exactly while unscreened records remain:

* records screened since the last inclusion (a plain count; a long run is a hint,
  not a rule — "stop after N irrelevant in a row" has no statistical footing);
* an estimated recall with an interval: the share of relevant records falls along the
  ranked screening order; a logistic curve in log(position) is fitted to every decision
  so far and extended over the unscreened positions to give the expected number still
  missing (its uncertainty from the fit's covariance, plus binomial chance). An earlier
  version assumed the unscreened records were as rich as the last 100 screened, which
  under a working ranking overstates what is missing many times over (it showed 24 %
  when 83 % had been found); tests/literature/test_recall_estimate.py checks the
  estimate against simulations where the truth is known;
* a lower confidence bound on recall, by inverting the rule below: the highest recall
  that the hypergeometric test can still confirm;
* the statistical stopping rule of Callaghan & Müller-Hansen (2020), "Statistical
  stopping criteria for automated screening in systematic reviews", Systematic Reviews
  9:273, https://doi.org/10.1186/s13643-020-01521-4 (reference implementation:
  github.com/mcallaghan/rapid-screening, buscarpy ``calculate_h0``). The null
  hypothesis is "recall is still below the target". For each urn of the last n
  screened records, the smallest number of relevant records that the urn plus the
  unscreened records would need to hold for H0 to be true is
  ``K = floor(r_seen / target − r_before_urn) + 1``; the probability of finding at
  most the relevant records actually seen in the urn, drawing n from that population
  at random, is the hypergeometric CDF. The smallest p over all urns is compared with
  ``1 − confidence``. Treating prioritised records as a random draw is conservative:
  the ranker puts likely relevant records first, so a random draw would find more.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy.stats import hypergeom

from .errors import RankingError

RECALL_ASSUMPTION = (
    "Estimated from how the share of relevant records has fallen along the screening "
    "order so far (logistic curves falling with the position, a long-tailed and a "
    "short-tailed one weighted by how well they fit all {screened} decisions), extended to the {unscreened} records not yet screened; the "
    "interval holds the curve's uncertainty and chance. It assumes the ranking keeps "
    "putting likely relevant records first."
)
HYPERGEOMETRIC_ASSUMPTION = (
    "Callaghan & Müller-Hansen (2020) test: treats recently screened records as if drawn "
    "at random from themselves plus the unscreened records; conservative because the "
    "ranker shows likely relevant records first."
)

EXPLANATIONS: dict[str, str] = {
    "nothing_screened": "No record has been screened yet.",
    "no_inclusions_yet": "No record has been included yet, so recall cannot be estimated.",
    "all_screened": "Every record has been screened; recall is complete.",
    "target_met": (
        "The statistical stopping rule is met: with the chosen confidence, recall has "
        "reached the target. Stopping now is defensible."
    ),
    "keep_screening": (
        "The statistical stopping rule is not met yet: missing the recall target cannot "
        "be ruled out with the chosen confidence."
    ),
    "long_run_without_inclusion": (
        "Many records have been screened since the last inclusion. This is a hint only; "
        "rely on the statistical rule to decide."
    ),
}


@dataclass(frozen=True)
class StoppingStats:
    n_total: int
    n_screened: int
    n_included: int
    since_last_inclusion: int
    estimated_recall: float | None
    estimated_missing: float | None
    recall_assumption: str
    recall_target: float
    confidence: float
    p_value: float | None
    stop: bool
    codes: tuple[str, ...]
    recall_interval: tuple[float, float] | None = None
    recall_lower_bound: float | None = None

    @property
    def explanations(self) -> list[str]:
        return [EXPLANATIONS[code] for code in self.codes]


def since_last_inclusion(labels_in_order: Sequence[int]) -> int:
    """Records screened after the most recent inclusion (all of them if none)."""
    for count, label in enumerate(reversed(labels_in_order)):
        if label == 1:
            return count
    return len(labels_in_order)


def hypergeometric_p(
    labels_in_order: Sequence[int], *, n_total: int, recall_target: float
) -> float:
    """Smallest p-value of H0 "recall < target" over all urns of recent records."""
    y = np.asarray(labels_in_order, dtype=np.int64)
    n_screened = len(y)
    r_seen = int(y.sum())
    urn_hits = np.cumsum(y[::-1])  # relevant among the last 1, 2, … n screened
    urn_sizes = np.arange(1, n_screened + 1)
    population = n_total - n_screened + urn_sizes  # urn plus the unscreened records
    target = Fraction(str(recall_target))
    k_min_total = math.floor(Fraction(r_seen) / target) + 1
    k_hat = k_min_total - (r_seen - urn_hits)
    possible = k_hat <= population
    p = np.zeros(n_screened)
    p[possible] = hypergeom.cdf(
        urn_hits[possible], population[possible], k_hat[possible], urn_sizes[possible]
    )
    return float(p.min())


# Two shapes of decline along the ranked order: odds falling as a power of the position
# (a long tail) and odds falling exponentially (a short tail). Both are fitted and
# averaged with Akaike weights, so the data choose, and the interval holds both.
SHAPES = ("power", "exponential")
# The fit sees only the screened part of the order; the unscreened tail is never observed,
# so the fit alone does not decide its shape: each shape keeps at least this weight.
MIN_WEIGHT = 1 / 3
# The sum over unscreened positions is taken on this many log-spaced blocks (exact enough:
# the curves are smooth), so a large review costs no more than a small one.
BLOCKS = 300


def _design(positions: np.ndarray, shape: str, scale: float) -> np.ndarray:
    x = np.log(positions) if shape == "power" else positions / scale
    return np.column_stack([np.ones_like(positions), x])


def _sigmoid(eta: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(eta, -50, 50)))


@dataclass(frozen=True)
class _Fit:
    beta: np.ndarray
    cov: np.ndarray
    aic: float


def _fit(y: np.ndarray, shape: str, scale: float) -> _Fit | None:
    try:
        return _fit_firth(y, shape, scale)
    except np.linalg.LinAlgError:  # too few decisions to fit a curve (none is then used)
        return None


def _fit_firth(y: np.ndarray, shape: str, scale: float) -> _Fit | None:
    """Logistic fit with Firth's bias reduction (Firth 1993, Biometrika 80:27), which stays
    finite and honest when the data are separated (say, ten inclusions then ninety
    exclusions), where plain maximum likelihood would claim a certain end of the tail."""
    X = _design(np.arange(1, len(y) + 1, dtype=float), shape, scale)
    beta = np.array([math.log((y.sum() + 0.5) / (len(y) - y.sum() + 0.5)), 0.0])
    for _ in range(200):
        p = _sigmoid(X @ beta)
        w = np.clip(p * (1 - p), 1e-12, None)
        info = X.T @ (X * w[:, None])
        inverse = np.linalg.inv(info)
        leverage = w * np.einsum("ij,jk,ik->i", X, inverse, X)
        step = inverse @ (X.T @ (y - p + leverage * (0.5 - p)))
        step *= min(1.0, 5.0 / max(float(np.abs(step).max()), 1e-12))  # damped
        beta = beta + step
        if np.abs(step).max() < 1e-8:
            break
    if not np.all(np.isfinite(beta)):
        return None
    p = np.clip(_sigmoid(X @ beta), 1e-12, 1 - 1e-12)
    info = X.T @ (X * (p * (1 - p))[:, None])
    loglik = float(np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return _Fit(beta=beta, cov=np.linalg.inv(info), aic=4 - 2 * loglik)


def _blocks(first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    """Representative positions and block sizes covering first..last (inclusive)."""
    if last - first + 1 <= BLOCKS:
        positions = np.arange(first, last + 1, dtype=float)
        return positions, np.ones_like(positions)
    edges = np.unique(np.round(np.geomspace(first, last + 1, BLOCKS + 1)).astype(np.int64))
    sizes = np.diff(edges).astype(float)
    return np.sqrt(edges[:-1] * (edges[1:] - 1).clip(min=edges[:-1])), sizes


def _missing(
    beta: np.ndarray, blocks: tuple[np.ndarray, np.ndarray], shape: str, scale: float
) -> np.ndarray:
    """Expected relevant records in the unscreened `blocks` for each row of `beta`."""
    positions, sizes = blocks
    return _sigmoid(beta @ _design(positions, shape, scale).T) @ sizes


def recall_estimate(
    labels_in_order: Sequence[int], *, n_total: int, level: float = 0.9, draws: int = 2000
) -> tuple[float, float, float, float]:
    """Estimated recall (found over found plus the expected number missing), its `level`
    interval (low, high) and the expected number of relevant records still missing.

    Deterministic (a fixed random seed), so the page shows the same numbers on reload."""
    y = np.asarray(labels_in_order, dtype=float)
    found = float(y.sum())
    if len(y) >= n_total:
        return 1.0, 1.0, 1.0, 0.0
    unscreened = _blocks(len(y) + 1, n_total)
    scale = float(len(y))
    fits = {shape: _fit(y, shape, scale) for shape in SHAPES}
    usable = {shape: fit for shape, fit in fits.items() if fit is not None}
    if not usable:  # no curve: fall back to the overall rate, with an uninformative interval
        missing_flat = found / len(y) * (n_total - len(y))
        return found / (found + missing_flat), 0.0, 1.0, missing_flat
    best = min(fit.aic for fit in usable.values())
    weights = {shape: math.exp((best - fit.aic) / 2) for shape, fit in usable.items()}
    total = sum(weights.values())
    if len(usable) > 1:
        weights = {shape: max(w / total, MIN_WEIGHT) for shape, w in weights.items()}
        total = sum(weights.values())
    rng = np.random.default_rng(20200273)
    mean_missing = 0.0
    missing_draws = []
    for shape, fit in usable.items():
        share = weights[shape] / total
        mean_missing += share * _missing(fit.beta[None, :], unscreened, shape, scale)[0]
        n = round(draws * share)
        if n:
            samples = rng.multivariate_normal(fit.beta, fit.cov, size=n, method="cholesky")
            # Chance on top of the curve's uncertainty: the count varies around its mean.
            missing_draws.append(rng.poisson(_missing(samples, unscreened, shape, scale)))
    recalls = found / (found + np.concatenate(missing_draws))
    tail = (1 - level) / 2
    low, high = np.quantile(recalls, [tail, 1 - tail])
    return found / (found + mean_missing), float(low), float(high), float(mean_missing)


def recall_lower_bound(
    labels_in_order: Sequence[int], *, n_total: int, confidence: float
) -> float | None:
    """The highest recall the hypergeometric rule confirms with `confidence` (None if it
    confirms none above 1 %): the rule says stop exactly when this reaches the target."""
    alpha = 1 - confidence
    low, high = 0.01, 0.999
    if hypergeometric_p(labels_in_order, n_total=n_total, recall_target=low) >= alpha:
        return None
    for _ in range(12):  # p grows with the target; bisect for the last target rejected
        mid = (low + high) / 2
        if hypergeometric_p(labels_in_order, n_total=n_total, recall_target=mid) < alpha:
            low = mid
        else:
            high = mid
    return math.floor(low * 100) / 100


def _validate(
    labels_in_order: Sequence[int],
    n_total: int,
    recall_target: float,
    confidence: float,
) -> None:
    if len(labels_in_order) > n_total:
        raise RankingError(
            "labels_in_order",
            f"{len(labels_in_order)} screened but only {n_total} records",
        )
    for position, label in enumerate(labels_in_order):
        if label not in (0, 1):
            raise RankingError(
                f"labels_in_order[{position}]", f"label must be 0 or 1, got {label!r}"
            )
    if not 0 < recall_target < 1:
        raise RankingError("recall_target", f"must be in (0, 1), got {recall_target}")
    if not 0 < confidence < 1:
        raise RankingError("confidence", f"must be in (0, 1), got {confidence}")


def stopping_stats(
    labels_in_order: Sequence[int],
    n_total: int,
    *,
    recall_target: float = 0.95,
    confidence: float = 0.95,
    window: int = 100,
    long_run: int = 200,
) -> StoppingStats:
    """Where a review stands: run since the last inclusion, estimated recall, stop rule.

    ``labels_in_order`` are the screening decisions (1 included, 0 excluded) in the
    order they were made, prioritised by the ranker; ``n_total`` counts all records.
    ``window`` is kept for callers of the earlier estimate; the curve uses every decision.
    """
    del window
    labels = [int(x) for x in labels_in_order]
    _validate(labels, n_total, recall_target, confidence)
    n_screened, n_included = len(labels), sum(labels)
    since = since_last_inclusion(labels)
    codes: list[str] = []
    estimate: tuple[float | None, float | None, str] = (None, None, "")
    interval: tuple[float, float] | None = None
    lower_bound: float | None = None
    p_value: float | None = None
    if n_screened == 0:
        codes.append("nothing_screened")
    elif n_screened == n_total:
        codes.append("all_screened")
        estimate = (1.0 if n_included else None, 0.0, "Every record has been screened.")
        interval = (1.0, 1.0) if n_included else None
        lower_bound = 1.0 if n_included else None
    else:
        if n_included == 0:
            codes.append("no_inclusions_yet")
        else:
            point, low, high, missing = recall_estimate(labels, n_total=n_total)
            text = RECALL_ASSUMPTION.format(screened=n_screened, unscreened=n_total - n_screened)
            lower_bound = recall_lower_bound(labels, n_total=n_total, confidence=confidence)
            # The curves say nothing about a tail they never saw; the interval never claims
            # more than the test below can confirm either.
            low = min(low, lower_bound) if lower_bound is not None else 0.0
            estimate, interval = (point, missing, text), (low, high)
        p_value = hypergeometric_p(labels, n_total=n_total, recall_target=recall_target)
        codes.append("target_met" if p_value < 1 - confidence else "keep_screening")
        if since >= long_run:
            codes.append("long_run_without_inclusion")
    stop = "all_screened" in codes or "target_met" in codes
    recall_text = estimate[2]
    if p_value is not None:
        recall_text = f"{recall_text} {HYPERGEOMETRIC_ASSUMPTION}".strip()
    return StoppingStats(
        n_total=n_total,
        n_screened=n_screened,
        n_included=n_included,
        since_last_inclusion=since,
        estimated_recall=estimate[0],
        estimated_missing=estimate[1],
        recall_assumption=recall_text,
        recall_target=recall_target,
        confidence=confidence,
        p_value=p_value,
        stop=stop,
        codes=tuple(codes),
        recall_interval=interval,
        recall_lower_bound=lower_bound,
    )
