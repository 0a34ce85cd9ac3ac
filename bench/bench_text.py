"""Time render() and diff_versions() on a 20-page document against plain markdown-it.

Baseline for render: markdown-it-py alone (no anchors, no sanitising, no sections).
Baseline for diff: difflib over the documents' lines (no sections, no sentences).
Run: /work/main/.venv/bin/python bench/bench_text.py [--quick]
"""

from __future__ import annotations

import argparse
import difflib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from markdown_it import MarkdownIt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from facit.guidance.text import diff_versions, render

# Invented filler, not real guidance.
# Sentences are numbered, as real text rarely repeats itself word for word.
PARA = (
    "Den som möter barn {i} i sitt arbete behöver våga fråga. Följ upp svaret. "
    "Barnet ska få stöd {i} av vuxna som lyssnar och vet vart barnet kan vända sig.\n\n"
)


def document(pages: int, *, edit: bool = False) -> str:
    parts = []
    for page in range(pages):
        parts.append(f"## Avsnitt {page}\n\n")
        for n in range(8):
            text = PARA.format(i=page * 8 + n)
            if edit and n == 3:
                text = text.replace("Följ upp svaret.", f"Följ upp svaret inom {page} dagar.")
            parts.append(text)
        parts.append("| a | b |\n|---|---|\n| 1 | 2 |\n\n")
    return "".join(parts)


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def report(name: str, ours: float, base: float, target: float) -> None:
    print(
        f"{name}: ours={ours:.2f}ms baseline={base:.2f}ms "
        f"ratio={ours / base:.2f} (target <= {target})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    repeat = 3 if parser.parse_args().quick else 15
    old, new = document(20), document(20, edit=True)
    md = MarkdownIt("commonmark").enable("table")
    report(
        "render_20_pages",
        median_ms(lambda: render(new), repeat),
        median_ms(lambda: md.render(new), repeat),
        3.0,
    )
    report(
        "diff_20_pages",
        median_ms(lambda: diff_versions(old, new), repeat),
        median_ms(lambda: list(difflib.unified_diff(old.splitlines(), new.splitlines())), repeat),
        25.0,
    )


if __name__ == "__main__":
    main()
