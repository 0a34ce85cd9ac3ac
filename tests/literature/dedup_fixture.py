"""A labelled duplicate-detection set built from the real screening records.

Honesty note: the titles, abstracts and DOIs are real (three of ``data/screening/*.csv``,
FIXTURE_SETS; see that folder's README for sources), but the *duplicates are derived
variants* of those records that we write ourselves the way databases differ (RIS vs
PubMed vs CSV, title casing, trailing full stops, HTML tags, a DOI missing in one source,
year one later for online-first). They are not independent real exports of the same paper
from two databases. The screening files carry no years or authors, so years and first
authors are invented here from a seeded generator (syllable surnames, visibly not real
people).

True non-duplicates with similar titles are real pairs of *different* records from the
same data whose titles resemble each other (rapidfuzz ratio 75-94).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from facit.literature.imports.dedup import (
    DedupRecord,
    DuplicatePair,
    clusters,
    from_parsed,
    normalise_title,
)
from facit.literature.imports.formats import ParsedRecord, parse_file, to_csv, to_ris

DATA = Path(__file__).resolve().parents[2] / "data" / "screening"
_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "be", "da", "fo", "gu")


@dataclass(slots=True)
class Source:
    """One real screening record, with an invented year and first author."""

    title: str
    abstract: str
    doi: str | None
    year: int
    author: str


@dataclass(slots=True)
class Fixture:
    files: dict[str, bytes]
    records: list[DedupRecord]
    parsed: dict[str, ParsedRecord]
    true_pairs: set[frozenset[Hashable]]
    similar_non_duplicates: int
    notes: list[str] = field(default_factory=list)


def invented_author(rng: random.Random) -> tuple[str, str]:
    """Synthetic (surname, initial); built from syllables so it is not a real person."""
    name = "".join(rng.choice(_SYLLABLES) for _ in range(4)).capitalize()
    return name, rng.choice("ABCDEFGHJKLMNPRST")


# The labelled duplicate fixture is built from these three sets (the pairs of similar titles
# are found by comparing every title with every other: over all twelve sets that took minutes).
FIXTURE_SETS = ("Jeyaraman_2020", "Kitchenham_2010", "Nagtegaal_2019")


def load_screening(sets: Sequence[str] = ()) -> list[dict[str, str]]:
    """The screening rows (of `sets`, else of every set) with a usable title, first occurrence
    of each normalised title."""
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    paths = [DATA / f"{name}.csv" for name in sets] if sets else sorted(DATA.glob("*.csv"))
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                key = normalise_title(row["title"])
                if len(key) >= 15 and key not in seen:
                    seen.add(key)
                    rows.append(row)
    return rows


def similar_pairs(titles: Sequence[str], *, low: int = 75, high: int = 94) -> list[tuple[int, int]]:
    """Real distinct records whose normalised titles are alike but not near-identical."""
    normal = [normalise_title(t) for t in titles]
    matrix = process.cdist(
        normal, normal, scorer=fuzz.ratio, score_cutoff=low, dtype=np.uint8, workers=-1
    )
    rows, cols = np.nonzero(matrix)
    return [
        (int(i), int(j)) for i, j in zip(rows, cols, strict=True) if i < j and matrix[i, j] <= high
    ]


def _html_variant(title: str, rng: random.Random) -> str:
    words = title.split()
    k = rng.randrange(len(words))
    words[k] = f"<i>{words[k]}</i>"
    return " ".join(words)


def variant_title(title: str, rng: random.Random) -> str:
    """How another database prints the same title."""
    choice = rng.random()
    if choice < 0.25:
        title = title.upper()
    elif choice < 0.45:
        title = title.title()
    if rng.random() < 0.5:
        title = title.rstrip(".") if title.endswith(".") else title + "."
    if rng.random() < 0.2:
        title = _html_variant(title, rng)
    if rng.random() < 0.1:
        title = title.replace(" - ", ": ").replace("-", " ")
    if rng.random() < 0.1 and ": " in title:
        title = title.split(": ", 1)[0]  # some databases drop the subtitle
    if rng.random() < 0.1:
        k = rng.randrange(len(title))
        title = title[:k] + rng.choice("aeiourst") + title[k + 1 :]  # a typo
    return title


def medline(records: Iterable[ParsedRecord]) -> str:
    """A PubMed-format export (the parts we read), for the fixture's PubMed 'database'."""
    out: list[str] = []
    for n, r in enumerate(records, start=1):
        lines = [f"PMID- {r.pmid or 90000000 + n}", f"TI  - {r.title}"]
        if r.abstract:
            words = r.abstract.split()
            lines.append("AB  - " + " ".join(words[:12]))
            lines += ["      " + " ".join(words[i : i + 12]) for i in range(12, len(words), 12)]
        lines += [f"FAU - {a}" for a in r.authors]
        if r.year:
            lines.append(f"DP  - {r.year} Jan")
        if r.doi:
            lines.append(f"LID - {r.doi} [doi]")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def _source_records(rows: Sequence[dict[str, str]], rng: random.Random) -> list[Source]:
    result = []
    for row in rows:
        surname, initial = invented_author(rng)
        result.append(
            Source(
                row["title"],
                row["abstract"],
                row["doi"] or None,
                rng.randint(1995, 2024),
                f"{surname}, {initial}",
            )
        )
    return result


def _as_parsed(s: Source) -> ParsedRecord:
    return ParsedRecord(
        title=s.title, abstract=s.abstract, authors=[s.author], year=s.year, doi=s.doi
    )


def _variant(s: Source, rng: random.Random, pubmed: bool) -> ParsedRecord:
    surname, initial = s.author.split(", ")
    return ParsedRecord(
        title=variant_title(s.title, rng),
        abstract=s.abstract,
        authors=[f"{surname} {initial}" if pubmed else f"{initial}. {surname}"],
        year=s.year + 1 if rng.random() < 0.2 else s.year,
        doi=None if rng.random() < 0.4 else (s.doi.upper() if s.doi else None),
    )


def _make_negatives_hard(
    sources: list[Source],
    pairs: Sequence[tuple[int, int]],
    position: dict[int, int],
    rng: random.Random,
) -> None:
    """Similar-title distinct records often share a year, sometimes an author group."""
    for i, j in pairs:
        a, b = sources[position[i]], sources[position[j]]
        if rng.random() < 0.6:
            b.year = a.year + rng.choice((0, 0, 1))
        if rng.random() < 0.3:
            b.author = a.author


def build_fixture(*, seed: int = 7, originals: int = 1500, dup_fraction: float = 0.5) -> Fixture:
    """Write originals as RIS, duplicates as PubMed or CSV, parse back, label the pairs."""
    rng = random.Random(seed)
    rows = load_screening(FIXTURE_SETS)
    pairs = similar_pairs([r["title"] for r in rows])
    chosen = {i for pair in pairs for i in pair}
    rest = [i for i in range(len(rows)) if i not in chosen]
    rng.shuffle(rest)
    picked = sorted(chosen) + rest[: max(0, originals - len(chosen))]
    sources = _source_records([rows[i] for i in picked], rng)
    _make_negatives_hard(sources, pairs, {row: pos for pos, row in enumerate(picked)}, rng)
    dup_idx = sorted(rng.sample(range(len(sources)), int(len(sources) * dup_fraction)))
    to_pubmed = dup_idx[: len(dup_idx) // 2]
    to_csv_idx = dup_idx[len(dup_idx) // 2 :]
    files = {
        "database_a.ris": to_ris([_as_parsed(s) for s in sources]).encode(),
        "database_b.nbib": medline([_variant(sources[i], rng, True) for i in to_pubmed]).encode(),
        "database_c.csv": to_csv([_variant(sources[i], rng, False) for i in to_csv_idx]).encode(),
    }
    parsed: dict[str, ParsedRecord] = {}
    for name, data in files.items():
        for pos, record in enumerate(parse_file(data, filename=name)):
            parsed[f"{name}#{pos}"] = record
    truth = {
        frozenset({f"database_a.ris#{i}", f"database_b.nbib#{k}"}) for k, i in enumerate(to_pubmed)
    }
    truth |= {
        frozenset({f"database_a.ris#{i}", f"database_c.csv#{k}"}) for k, i in enumerate(to_csv_idx)
    }
    records = [from_parsed(key, r) for key, r in parsed.items()]
    return Fixture(files, records, parsed, truth, len(pairs))


def pair_set(pairs: Iterable[DuplicatePair]) -> set[frozenset[Hashable]]:
    """All pairs implied by the predicted clusters (A=B, B=C implies A=C)."""
    return {
        frozenset(p) for group in clusters(pairs) for p in combinations(sorted(map(str, group)), 2)
    }


def precision_recall(
    predicted: Iterable[DuplicatePair], truth: set[frozenset[Hashable]]
) -> tuple[float, float, int, int, int]:
    """(precision, recall, true positives, false positives, false negatives) over pairs."""
    found = pair_set(predicted)
    truth_s = {frozenset(map(str, t)) for t in truth}
    tp = len(found & truth_s)
    fp = len(found - truth_s)
    fn = len(truth_s - found)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn
