"""Layout of the recall curve: records screened against relevant records found, with the
estimated number of relevant records in all and its interval. The template
`literature/_recall_chart.html` draws it as an SVG and a table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 16, 52


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    path: str = ""
    x_ticks: list[tuple[float, int]] = field(default_factory=list)
    y_ticks: list[tuple[float, int]] = field(default_factory=list)
    estimate_y: float | None = None
    band_y: float = 0.0  # top edge of the interval band
    band_h: float = 0.0
    estimated_total: int | None = None
    total_range: tuple[int, int] | None = None
    rows: list[tuple[int, int]] = field(default_factory=list)
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    plot_w: int = WIDTH - LEFT - RIGHT


def _ticks(maximum: int, count: int = 5) -> list[int]:
    if maximum <= 0:
        return [0]
    raw = maximum / count
    magnitude = 10 ** (len(str(int(raw))) - 1)
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return list(range(0, maximum + 1, step))


def chart(state: dict[str, Any]) -> Chart | None:
    """The chart for a ranking state, or None before anything was found."""
    curve = state.get("curve") or []
    recall = state.get("estimated_recall")
    n_total = int(state.get("n_total") or 0)
    if len(curve) < 2 or not n_total or not recall:
        return None
    found = curve[-1][1]
    c = Chart(rows=[(int(x), int(y)) for x, y in curve])
    interval = state.get("recall_interval") or [recall, recall]
    estimated = found / recall
    high_total = found / max(interval[0], 1e-9)
    low_total = found / max(interval[1], 1e-9)
    # The estimate is always on the scale; the band may be cut at the top.
    y_max = max(1, round(max(estimated * 1.1, min(high_total * 1.1, max(found * 4, 10)))))
    span_x, span_y = c.right - c.left, c.bottom - c.top

    def px(x: float) -> float:
        return round(c.left + span_x * x / n_total, 1)

    def py(y: float) -> float:
        return round(c.bottom - span_y * min(y, y_max) / y_max, 1)

    c.path = "M" + " L".join(f"{px(x)},{py(y)}" for x, y in curve)
    c.x_ticks = [(px(t), t) for t in _ticks(n_total)]
    c.y_ticks = [(py(t), t) for t in _ticks(y_max)]
    c.estimate_y = py(estimated)
    c.band_y = py(high_total)
    c.band_h = round(py(low_total) - c.band_y, 1)
    c.estimated_total = round(estimated)
    c.total_range = (round(low_total), round(high_total))
    return c
