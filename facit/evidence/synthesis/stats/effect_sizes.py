"""Standardised effect sizes from whatever a study reports.

Formulas follow metafor's ``escalc`` (Viechtbauer, R package metafor, file R/escalc.r)
so that numbers computed here agree with the reference software reviewers already
trust: SMD is Hedges' g with the exact gamma-function bias correction and the
large-sample ("LS") variance; 2x2 measures add 0.5 to every cell of a table only
when one of its cells is zero (metafor's ``add=1/2, to="only0"``).

Every function returns an :class:`EffectSize` or raises :class:`SynthesisInputError`;
none returns NaN or infinity.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from scipy.special import gammaln, stdtrit

from .errors import SynthesisInputError

#: Continuity correction added to all four cells of a 2x2 table with a zero cell.
CONTINUITY_CORRECTION = 0.5

#: Logistic-distribution factor between d and the log odds ratio (Hasselblad & Hedges
#: 1995; Chinn 2000): log OR = d * pi / sqrt(3).
LOGIT_FACTOR = math.pi / math.sqrt(3.0)

RATIO_MEASURES = frozenset({"OR", "RR"})


@dataclass(frozen=True, slots=True)
class Note:
    """Something the reader of an effect size must know; ``code`` is stable for i18n."""

    code: str
    text: str


@dataclass(frozen=True, slots=True)
class EffectSize:
    """One study's effect on the analysis scale (log scale for OR/RR) and its variance."""

    measure: str
    yi: float
    vi: float
    notes: tuple[Note, ...] = ()


# --------------------------------------------------------------------------- input checks


def _number(field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(value)  # type: ignore[arg-type]  # numpy scalars, Decimal
        except (TypeError, ValueError):
            raise SynthesisInputError(field, "must be a number") from None
    number = float(value)
    if not math.isfinite(number):
        raise SynthesisInputError(field, "must be a finite number")
    return number


def _positive(field: str, value: object) -> float:
    number = _number(field, value)
    if number <= 0:
        raise SynthesisInputError(field, "must be greater than zero")
    return number


def _non_negative(field: str, value: object) -> float:
    number = _number(field, value)
    if number < 0:
        raise SynthesisInputError(field, "must not be negative")
    return number


def _group_size(field: str, value: object) -> float:
    number = _positive(field, value)
    if number < 2:
        raise SynthesisInputError(field, "a group needs at least 2 participants")
    return number


def _direction(value: object) -> float:
    number = _number("direction", value)
    if number not in (1.0, -1.0):
        raise SynthesisInputError("direction", "must be 1 or -1")
    return number


def _finite_result(measure: str, yi: float, vi: float, notes: tuple[Note, ...]) -> EffectSize:
    # Guards the promise "never NaN": extreme but valid inputs can still overflow.
    if not (math.isfinite(yi) and math.isfinite(vi)) or vi <= 0:
        raise SynthesisInputError("measure", f"{measure} cannot be computed from these values")
    return EffectSize(measure=measure, yi=yi, vi=vi, notes=notes)


# --------------------------------------------------------------------------- continuous


def hedges_correction(df: float) -> float:
    """Exact small-sample factor J(m) = Γ(m/2) / (sqrt(m/2) Γ((m-1)/2)), m = n1+n2-2."""
    return math.exp(gammaln(df / 2) - 0.5 * math.log(df / 2) - gammaln((df - 1) / 2))


def _smd_from_d(d: float, n1: float, n2: float, notes: tuple[Note, ...] = ()) -> EffectSize:
    g = hedges_correction(n1 + n2 - 2) * d
    vi = 1 / n1 + 1 / n2 + g * g / (2 * (n1 + n2))
    return _finite_result("SMD", g, vi, notes)


def smd_from_means(
    *, m1i: float, sd1i: float, n1i: float, m2i: float, sd2i: float, n2i: float
) -> EffectSize:
    """Hedges' g from group means, SDs and sizes (group 1 minus group 2)."""
    m1, m2 = _number("m1i", m1i), _number("m2i", m2i)
    s1, s2 = _positive("sd1i", sd1i), _positive("sd2i", sd2i)
    n1, n2 = _group_size("n1i", n1i), _group_size("n2i", n2i)
    pooled_sd = math.sqrt(((n1 - 1) * s1 * s1 + (n2 - 1) * s2 * s2) / (n1 + n2 - 2))
    return _smd_from_d((m1 - m2) / pooled_sd, n1, n2)


def smd_from_t(*, ti: float, n1i: float, n2i: float) -> EffectSize:
    """Hedges' g from an independent-samples t statistic (pooled-variance t test)."""
    t = _number("ti", ti)
    n1, n2 = _group_size("n1i", n1i), _group_size("n2i", n2i)
    return _smd_from_d(t * math.sqrt(1 / n1 + 1 / n2), n1, n2)


_SIGN_NOTE = Note(
    "sign_from_direction",
    "The statistic carries no sign; the direction of the effect was supplied separately.",
)


def smd_from_f(*, fi: float, n1i: float, n2i: float, direction: float = 1) -> EffectSize:
    """Hedges' g from a two-group one-way ANOVA F (1 numerator df), since t = sqrt(F)."""
    f = _non_negative("fi", fi)
    n1, n2 = _group_size("n1i", n1i), _group_size("n2i", n2i)
    d = _direction(direction) * math.sqrt(f) * math.sqrt(1 / n1 + 1 / n2)
    return _smd_from_d(d, n1, n2, (_SIGN_NOTE,))


def smd_from_p(*, pi: float, n1i: float, n2i: float, direction: float = 1) -> EffectSize:
    """Hedges' g from an exact two-sided p value of a pooled-variance t test."""
    p = _number("pi", pi)
    if not 0 < p < 1:
        raise SynthesisInputError("pi", "must lie strictly between 0 and 1")
    n1, n2 = _group_size("n1i", n1i), _group_size("n2i", n2i)
    t = float(stdtrit(n1 + n2 - 2, 1 - p / 2))
    note = Note(
        "from_two_sided_p",
        "Derived from an exact two-sided p value; a p value reported as an inequality "
        "(p < 0.05) gives only a bound.",
    )
    d = _direction(direction) * t * math.sqrt(1 / n1 + 1 / n2)
    return _smd_from_d(d, n1, n2, (_SIGN_NOTE, note))


# --------------------------------------------------------------------------- 2x2 tables


def _table(ai: object, bi: object, ci: object, di: object) -> tuple[list[float], tuple[Note, ...]]:
    cells = [
        _non_negative(name, v)
        for name, v in zip(("ai", "bi", "ci", "di"), (ai, bi, ci, di), strict=True)
    ]
    if cells[0] + cells[1] == 0:
        raise SynthesisInputError("bi", "group 1 has no participants (ai + bi = 0)")
    if cells[2] + cells[3] == 0:
        raise SynthesisInputError("di", "group 2 has no participants (ci + di = 0)")
    if min(cells) > 0:
        return cells, ()
    note = Note(
        "continuity_correction",
        f"A cell was zero, so {CONTINUITY_CORRECTION} was added to all four cells.",
    )
    return [c + CONTINUITY_CORRECTION for c in cells], (note,)


def log_odds_ratio(*, ai: float, bi: float, ci: float, di: float) -> EffectSize:
    """Log odds ratio of group 1 (ai events, bi non-events) vs group 2 (ci, di)."""
    (a, b, c, d), notes = _table(ai, bi, ci, di)
    return _finite_result("OR", math.log(a * d / (b * c)), 1 / a + 1 / b + 1 / c + 1 / d, notes)


def log_risk_ratio(*, ai: float, bi: float, ci: float, di: float) -> EffectSize:
    """Log risk ratio of group 1 vs group 2."""
    (a, b, c, d), notes = _table(ai, bi, ci, di)
    n1, n2 = a + b, c + d
    yi = math.log(a / n1) - math.log(c / n2)
    return _finite_result("RR", yi, 1 / a - 1 / n1 + 1 / c - 1 / n2, notes)


def risk_difference(*, ai: float, bi: float, ci: float, di: float) -> EffectSize:
    """Risk difference (group 1 minus group 2) with the large-sample variance."""
    (a, b, c, d), notes = _table(ai, bi, ci, di)
    n1, n2 = a + b, c + d
    p1, p2 = a / n1, c / n2
    return _finite_result("RD", p1 - p2, p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2, notes)


# --------------------------------------------------------------------------- correlation


def fisher_z(*, ri: float, ni: float) -> EffectSize:
    """Fisher's r-to-z transform; var = 1/(n-3). metafor leaves n <= 4 undefined, so do we."""
    r = _number("ri", ri)
    if not -1 < r < 1:
        raise SynthesisInputError("ri", "must lie strictly between -1 and 1")
    n = _positive("ni", ni)
    if n <= 4:
        raise SynthesisInputError("ni", "needs more than 4 participants")
    return _finite_result("ZCOR", math.atanh(r), 1 / (n - 3), ())


# --------------------------------------------------------------------------- conversions


def d_to_log_odds_ratio(effect: EffectSize) -> EffectSize:
    """Convert an SMD to a log odds ratio (logistic distribution assumption)."""
    if effect.measure != "SMD":
        raise SynthesisInputError("measure", "only an SMD can be converted to a log odds ratio")
    note = Note(
        "converted_d_to_or",
        "Converted from a standardised mean difference (x pi/sqrt(3)).",
    )
    return _finite_result(
        "OR",
        effect.yi * LOGIT_FACTOR,
        effect.vi * LOGIT_FACTOR**2,
        (*effect.notes, note),
    )


def log_odds_ratio_to_d(effect: EffectSize) -> EffectSize:
    """Convert a log odds ratio to an SMD (x sqrt(3)/pi), for pooling with continuous outcomes."""
    if effect.measure != "OR":
        raise SynthesisInputError("measure", "only a log odds ratio can be converted to an SMD")
    note = Note("converted_or_to_d", "Converted from a log odds ratio (x sqrt(3)/pi).")
    return _finite_result(
        "SMD",
        effect.yi / LOGIT_FACTOR,
        effect.vi / LOGIT_FACTOR**2,
        (*effect.notes, note),
    )


# --------------------------------------------------------------------------- dispatcher


def _given(stats: Mapping[str, object], *names: str) -> bool:
    return all(stats.get(name) is not None for name in names)


def _require(stats: Mapping[str, object], names: tuple[str, ...]) -> dict[str, object]:
    for name in names:
        if stats.get(name) is None:
            raise SynthesisInputError(name, "is required for this measure")
    return {name: stats[name] for name in names}


_TABLE = ("ai", "bi", "ci", "di")
_MEANS = ("m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i")
_TABLE_FUNCS: dict[str, Callable[..., EffectSize]] = {
    "OR": log_odds_ratio,
    "RR": log_risk_ratio,
    "RD": risk_difference,
}


def _direct(measure: str, stats: Mapping[str, object]) -> EffectSize:
    yi = _number("yi", stats["yi"])
    vi = _positive("vi", _require(stats, ("vi",))["vi"])
    return _finite_result(measure, yi, vi, ())


def _smd(stats: Mapping[str, object]) -> EffectSize:
    if _given(stats, "m1i") or _given(stats, "sd1i"):
        return smd_from_means(**_require(stats, _MEANS))  # type: ignore[arg-type]
    sizes = _require(stats, ("n1i", "n2i"))
    direction = stats.get("direction", 1)
    if _given(stats, "ti"):
        return smd_from_t(ti=stats["ti"], **sizes)  # type: ignore[arg-type]
    if _given(stats, "fi"):
        return smd_from_f(fi=stats["fi"], direction=direction, **sizes)  # type: ignore[arg-type]
    if _given(stats, "pi"):
        return smd_from_p(pi=stats["pi"], direction=direction, **sizes)  # type: ignore[arg-type]
    raise SynthesisInputError("m1i", "give means/SDs, ti, fi or pi together with n1i and n2i")


def effect_size(measure: str, **stats: object) -> EffectSize:
    """Compute an effect size from metafor ``escalc``-named inputs.

    ``yi``/``vi`` are accepted for any measure (including ``"GEN"``) when a study
    already reports its effect and variance. SMD accepts means/SDs, ``ti``, ``fi``
    or ``pi`` (two-sided p) with ``n1i``/``n2i``; F and p need ``direction`` (+1/-1).
    ``OR2D`` gives an SMD from a 2x2 table (metafor's logistic conversion). For the
    reverse direction call :func:`d_to_log_odds_ratio` on an SMD: it converts the
    bias-corrected g, whereas metafor's ``D2OR`` converts the uncorrected d.
    """
    key = str(measure).upper()
    if _given(stats, "yi"):
        return _direct(key, stats)
    if key in _TABLE_FUNCS:
        return _TABLE_FUNCS[key](**_require(stats, _TABLE))
    if key == "SMD":
        return _smd(stats)
    if key == "ZCOR":
        return fisher_z(**_require(stats, ("ri", "ni")))  # type: ignore[arg-type]
    if key == "OR2D":
        return log_odds_ratio_to_d(log_odds_ratio(**_require(stats, _TABLE)))  # type: ignore[arg-type]
    raise SynthesisInputError("measure", f"unknown measure {measure!r}")
