from __future__ import annotations

import math
import xml.etree.ElementTree as ET  # parses only SVG this test suite generated

import pytest

from facit.evidence.synthesis.stats import (
    SynthesisInputError,
    effect_size,
    forest_plot_svg,
    meta_analysis,
)

from .reference_data import BCG

NS = {"svg": "http://www.w3.org/2000/svg"}


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314, RUF100 - our own output, not untrusted input


def _bcg_svg(**kwargs: object) -> tuple[str, object]:
    es = [effect_size("RR", ai=a, bi=b, ci=c, di=d) for _, a, b, c, d in BCG]
    y, v = [e.yi for e in es], [e.vi for e in es]
    res = meta_analysis(y, v)
    labels = kwargs.pop("labels", [name for name, *_ in BCG])
    svg = forest_plot_svg(labels=labels, yi=y, vi=v, result=res, measure="RR", **kwargs)  # type: ignore[arg-type]
    return svg, res


def test_svg_is_well_formed_and_announced_as_an_image() -> None:
    svg, _ = _bcg_svg(title="BCG and tuberculosis")
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "forest-title forest-desc"
    assert root.find("svg:title", NS).text == "BCG and tuberculosis"  # type: ignore[union-attr]


def test_description_states_pooled_ratio_heterogeneity_and_prediction_interval() -> None:
    svg, res = _bcg_svg()
    desc = _parse(svg).find("svg:desc", NS).text or ""  # type: ignore[union-attr]
    assert "13 studies" in desc and "random-effects (REML)" in desc
    assert f"{math.exp(res.estimate):.2f}" in desc  # type: ignore[attr-defined]
    assert "I² 92%" in desc and "prediction interval" in desc
    assert "does not include the line of no effect (1)" in desc


def test_one_square_per_study_sized_by_weight_and_one_diamond() -> None:
    svg, res = _bcg_svg()
    root = _parse(svg)
    rects = root.findall("svg:rect", NS)
    assert len(rects) == len(BCG)
    sizes = [float(r.get("width")) for r in rects]  # type: ignore[arg-type]
    heaviest = max(range(len(BCG)), key=lambda i: res.weights[i])  # type: ignore[attr-defined]
    lightest = min(range(len(BCG)), key=lambda i: res.weights[i])  # type: ignore[attr-defined]
    assert sizes[heaviest] == max(sizes) and sizes[lightest] == min(sizes)
    assert len(root.findall("svg:polygon", NS)) == 1


def test_ratio_axis_is_logarithmic_with_ratio_tick_labels() -> None:
    svg, _ = _bcg_svg()
    texts = [t.text for t in _parse(svg).findall("svg:text", NS)]
    assert "1.00" in texts and "0.50" in texts and "Risk ratio (log scale)" in texts
    # 0.5 and 2 are equally far from 1 on a log axis
    xs = {
        t.text: float(t.get("x"))  # type: ignore[arg-type]
        for t in _parse(svg).findall("svg:text", NS)
        if t.get("text-anchor") == "middle"
    }
    if "2.00" in xs:
        assert xs["1.00"] - xs["0.50"] == pytest.approx(xs["2.00"] - xs["1.00"], abs=0.2)


def test_caller_text_is_escaped() -> None:
    labels = ['<script>alert("x")</script>'] + [name for name, *_ in BCG[1:]]
    svg, _ = _bcg_svg(labels=labels, title="A & B <c>", id_prefix='x" onload="y')
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'onload="y' not in svg
    _parse(svg)


def test_mismatched_lengths_are_rejected() -> None:
    res = meta_analysis([0.1, 0.2], [0.1, 0.1])
    with pytest.raises(SynthesisInputError):
        forest_plot_svg(labels=["a"], yi=[0.1, 0.2], vi=[0.1, 0.1], result=res, measure="SMD")


def test_prediction_interval_line_is_drawn_for_random_effects_only() -> None:
    svg, _ = _bcg_svg()
    lines = [
        e
        for e in _parse(svg).findall("svg:line", NS)
        if e.get("data-role") == "prediction-interval"
    ]
    assert len(lines) == 1
    assert float(lines[0].get("x1")) < float(lines[0].get("x2"))  # type: ignore[arg-type]
    fe = meta_analysis([0.1, 0.3], [0.05, 0.04], method="FE")
    fe_svg = forest_plot_svg(
        labels=["a", "b"], yi=[0.1, 0.3], vi=[0.05, 0.04], result=fe, measure="SMD"
    )
    assert "prediction-interval" not in fe_svg
