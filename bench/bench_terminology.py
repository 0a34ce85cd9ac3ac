"""Time the terminology check on a 20-page document against a naive substring baseline.

The baseline lower-cases the text and ``str.find``s every avoid term -- the cheapest
check imaginable, with no inflections, compounds, word boundaries or statute exception.
Run: /work/main/.venv/bin/python bench/bench_terminology.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from facit.guidance.terminology import check, load_terminology

# Invented filler (not real guidance); one term-bearing sentence per paragraph.
FILLER = {
    "sv": (
        "Den som möter ett barn i sitt arbete behöver våga fråga och följa upp svaret. "
        "Barnet ska få stöd av vuxna som lyssnar och som vet vart barnet kan vända sig. "
        "Ansvaret ligger alltid hos den vuxne som utnyttjar barnet. "
    ),
    "en": (
        "Anyone who meets a child at work needs to dare to ask and to follow up the answer. "
        "The child should get support from adults who listen and know where to refer. "
        "Responsibility always lies with the adult who exploits the child. "
    ),
}
TERMED = {
    "sv": "Texten nämner barnporren och sugardejting som självskadebeteende.\n\n",
    "en": "The report mentions child\n pornography and a paedophile's network.\n\n",
}


def document(lang: str, pages: int) -> str:
    # ~3,000 characters a page: eight filler paragraphs and one paragraph with terms.
    page = (FILLER[lang] * 2 + "\n\n") * 8 + TERMED[lang]
    return page * pages


def naive(text: str, terms: list[str]) -> int:
    lowered = text.lower()
    hits = 0
    for term in terms:
        pos = lowered.find(term)
        while pos != -1:
            hits += 1
            pos = lowered.find(term, pos + 1)
    return hits


def median_ms(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and minimum: on a loaded machine the minimum is the steadier figure."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeat = 5 if args.quick else 30
    terminology = load_terminology()
    for lang in ("sv", "en"):
        text = document(lang, 20)
        terms = [t for e in terminology.for_lang(lang) for t in e.avoid]  # type: ignore[arg-type]
        check(text, lang=lang)  # type: ignore[arg-type]  # compile once, outside the timing
        ours, ours_min = median_ms(lambda t=text, lg=lang: check(t, lang=lg), repeat)
        base, base_min = median_ms(lambda t=text, ts=terms: naive(t, ts), repeat)
        print(
            f"terminology_{lang}_20_pages ({len(text)} chars): ours={ours:.2f}ms "
            f"baseline={base:.2f}ms ratio={ours / base:.2f} (target <= 15, ours <= 10ms) "
            f"[min ours={ours_min:.2f}ms baseline={base_min:.2f}ms]"
        )


if __name__ == "__main__":
    main()
