"""Accessible SVG forest plot built as a string (no plotting library, no JavaScript).

The picture is a summary for sighted readers; ``role="img"`` with ``<title>`` and
``<desc>`` gives screen-reader users the same conclusion, and the lead places an HTML
data table beside it for the numbers. Every piece of caller text is escaped.
Ratio measures (OR, RR) are drawn on a log axis labelled with ratios.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from html import escape

from scipy.special import ndtri

from .errors import SynthesisInputError
from .meta import MetaResult

RATIO_MEASURES = frozenset({"OR", "RR"})

WIDTH = 760
LABEL_W = 220
TEXT_W = 190
ROW_H = 26
TOP = 56
BOTTOM = 64
MAX_BOX = 16.0
MIN_BOX = 4.0
_RATIO_TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)


def _nice_step(span: float) -> float:
    raw = span / 5
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw:
            return m * power
    return 10 * power


def _linear_ticks(low: float, high: float) -> list[float]:
    step = _nice_step(high - low)
    start = math.ceil(low / step) * step
    count = math.floor((high - start) / step + 1e-9) + 1
    return [round(start + i * step, 10) for i in range(count)]


def _ticks(low: float, high: float, ratio: bool) -> list[float]:
    if not ratio:
        return _linear_ticks(low, high)
    ticks = [math.log(t) for t in _RATIO_TICKS if low <= math.log(t) <= high]
    return ticks if len(ticks) >= 2 else _linear_ticks(low, high)


def _label(x: float, ratio: bool) -> str:
    if ratio:
        value = math.exp(x)
        return f"{value:.2f}" if value < 10 else f"{value:.1f}"
    return f"{x:.2f}"


def _validate(labels: Sequence[str], yi: Sequence[float], vi: Sequence[float], k: int) -> None:
    if not (len(labels) == len(yi) == len(vi) == k):
        raise SynthesisInputError(
            "labels", "labels, yi, vi and the result must cover the same studies"
        )
    for i, (y, v) in enumerate(zip(yi, vi, strict=True)):
        if not (math.isfinite(y) and math.isfinite(v) and v > 0):
            raise SynthesisInputError(f"vi[{i}]", "needs a finite effect and a positive variance")


def _text(x: float, y: float, body: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(body)}</text>'


def forest_plot_svg(
    *,
    labels: Sequence[str],
    yi: Sequence[float],
    vi: Sequence[float],
    result: MetaResult,
    measure: str,
    title: str = "Forest plot",
    axis_label: str | None = None,
    id_prefix: str = "forest",
    strings: Mapping[str, str] | None = None,
    description: str | None = None,
) -> str:
    """Return a standalone ``<svg>`` element for the studies and their pooled result.

    ``yi``/``vi`` are on the analysis scale (log for ratios), in the same order as the
    weights in ``result``. ``id_prefix`` keeps ids unique when a page has several plots.
    ``strings`` (keys "study", "estimate" with ``{pct}``, "pooled") and ``description``
    replace the English words so a translated page draws a translated plot.
    """
    words = {
        "study": "Study",
        "estimate": "Estimate [{pct}% CI]",
        "pooled": f"Pooled ({_model_name(result)})",
        **(strings or {}),
    }
    _validate(labels, yi, vi, result.k)
    ratio = measure.upper() in RATIO_MEASURES
    crit = float(ndtri(1 - (1 - result.level) / 2))
    lows = [y - crit * math.sqrt(v) for y, v in zip(yi, vi, strict=True)]
    highs = [y + crit * math.sqrt(v) for y, v in zip(yi, vi, strict=True)]
    pi = [x for x in (result.pi_low, result.pi_high) if x is not None]
    lo = min([*lows, *pi, result.ci_low, 0.0])
    hi = max([*highs, *pi, result.ci_high, 0.0])
    pad = (hi - lo) * 0.05 or 0.5
    lo, hi = lo - pad, hi + pad
    plot_l, plot_r = LABEL_W, WIDTH - TEXT_W

    def px(x: float) -> float:
        return plot_l + (x - lo) / (hi - lo) * (plot_r - plot_l)

    height = TOP + ROW_H * (result.k + 1) + BOTTOM
    pct = f"{100 * result.level:.0f}"
    desc = description or _describe(result, measure, ratio)
    parts = _header(title, desc, height, id_prefix)
    parts.append(_text(8, TOP - 16, words["study"], extra=' font-weight="bold"'))
    estimate_head = words["estimate"].format(pct=pct)
    parts.append(_text(WIDTH - 8, TOP - 16, estimate_head, "end", ' font-weight="bold"'))
    bottom_y = TOP + ROW_H * (result.k + 1)
    parts.append(
        f'<line x1="{px(0):.1f}" y1="{TOP - 6}" x2="{px(0):.1f}" y2="{bottom_y:.1f}" '
        'stroke="#555" stroke-dasharray="4 3"/>'
    )
    max_w = max(result.weights)
    for i, label in enumerate(labels):
        y = TOP + ROW_H * i + ROW_H / 2
        size = MIN_BOX + (MAX_BOX - MIN_BOX) * math.sqrt(result.weights[i] / max_w)
        parts.append(_text(8, y + 4, str(label)))
        parts.append(
            f'<line x1="{px(lows[i]):.1f}" y1="{y:.1f}" x2="{px(highs[i]):.1f}" '
            f'y2="{y:.1f}" stroke="#000"/>'
        )
        parts.append(
            f'<rect x="{px(yi[i]) - size / 2:.1f}" y="{y - size / 2:.1f}" '
            f'width="{size:.1f}" height="{size:.1f}" fill="#1f4e79"/>'
        )
        summary = f"{_label(yi[i], ratio)} [{_label(lows[i], ratio)}, {_label(highs[i], ratio)}]"
        parts.append(_text(WIDTH - 8, y + 4, summary, "end"))
    parts.extend(_diamond(result, ratio, px, TOP + ROW_H * result.k + ROW_H / 2, words["pooled"]))
    parts.extend(_axis(lo, hi, ratio, px, bottom_y, axis_label or _axis_name(measure, ratio)))
    parts.append("</svg>")
    return "\n".join(parts)


def _axis_name(measure: str, ratio: bool) -> str:
    names = {
        "OR": "Odds ratio",
        "RR": "Risk ratio",
        "RD": "Risk difference",
        "SMD": "Standardised mean difference (Hedges' g)",
        "ZCOR": "Fisher's z",
    }
    name = names.get(measure.upper(), "Effect size")
    return f"{name} (log scale)" if ratio else name


def _describe(result: MetaResult, measure: str, ratio: bool) -> str:
    conv = math.exp if ratio else (lambda x: x)
    pct = f"{100 * result.level:.0f}"
    text = (
        f"{result.k} studies pooled with a {_model_name(result)} model. "
        f"Pooled {_axis_name(measure, False).lower()}: {conv(result.estimate):.2f} "
        f"({pct}% CI {conv(result.ci_low):.2f} to {conv(result.ci_high):.2f}). "
        f"Heterogeneity: I² {result.i2:.0f}%, tau² {result.tau2:.3f}."
    )
    if result.pi_low is not None and result.pi_high is not None:
        text += (
            f" {pct}% prediction interval {conv(result.pi_low):.2f} to {conv(result.pi_high):.2f}."
        )
    null = "1" if ratio else "0"
    crosses = result.ci_low <= 0 <= result.ci_high
    text += (
        f" The confidence interval {'includes' if crosses else 'does not include'} "
        f"the line of no effect ({null})."
    )
    return text


def _model_name(result: MetaResult) -> str:
    if result.method == "FE":
        return "fixed-effect"
    name = f"random-effects ({result.method})"
    return name + " with Hartung-Knapp adjustment" if result.hartung_knapp else name


def _header(title: str, description: str, height: float, prefix: str) -> list[str]:
    pid = escape(prefix, quote=True)
    opening = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" '
        f'height="{height:.0f}" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'aria-labelledby="{pid}-title {pid}-desc" font-family="sans-serif" font-size="12">'
    )
    return [
        opening,
        f'<title id="{pid}-title">{escape(title)}</title>',
        f'<desc id="{pid}-desc">{escape(description)}</desc>',
    ]


def _diamond(
    result: MetaResult,
    ratio: bool,
    scale: Callable[[float], float],
    y: float,
    label: str,
) -> list[str]:
    left, mid, right = (
        scale(result.ci_low),
        scale(result.estimate),
        scale(result.ci_high),
    )
    points = f"{left:.1f},{y:.1f} {mid:.1f},{y - 8:.1f} {right:.1f},{y:.1f} {mid:.1f},{y + 8:.1f}"
    pooled = (
        f"{_label(result.estimate, ratio)} [{_label(result.ci_low, ratio)}, "
        f"{_label(result.ci_high, ratio)}]"
    )
    out = [_text(8, y + 4, label, extra=' font-weight="bold"')]
    if result.pi_low is not None and result.pi_high is not None:
        # prediction interval as a thin line through the diamond (metafor's addpred style)
        out.append(
            f'<line x1="{scale(result.pi_low):.1f}" y1="{y:.1f}" '
            f'x2="{scale(result.pi_high):.1f}" y2="{y:.1f}" stroke="#c0392b" '
            'data-role="prediction-interval"/>'
        )
    out.append(f'<polygon points="{points}" fill="#c0392b"/>')
    out.append(_text(WIDTH - 8, y + 4, pooled, "end", ' font-weight="bold"'))
    return out


def _axis(
    lo: float,
    hi: float,
    ratio: bool,
    scale: Callable[[float], float],
    y: float,
    name: str,
) -> list[str]:
    out = [
        f'<line x1="{scale(lo):.1f}" y1="{y:.1f}" x2="{scale(hi):.1f}" y2="{y:.1f}" stroke="#000"/>'
    ]
    for t in _ticks(lo, hi, ratio):
        x = scale(t)
        out.append(f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x:.1f}" y2="{y + 5:.1f}" stroke="#000"/>')
        out.append(_text(x, y + 18, _label(t, ratio), "middle"))
    centre = (scale(lo) + scale(hi)) / 2
    out.append(_text(centre, y + 40, name, "middle"))
    return out
