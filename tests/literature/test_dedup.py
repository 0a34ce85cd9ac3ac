"""Duplicate detection: identifiers, fuzzy titles with year/author checks, merging."""

from __future__ import annotations

import random
import time

import pytest

from facit.literature.imports.dedup import (
    CANDIDATE,
    CERTAIN,
    DedupRecord,
    find_duplicates,
    main_title,
    merge_records,
    normalise_title,
    surname,
)
from facit.literature.imports.formats import ParsedRecord

from .dedup_fixture import build_fixture, precision_recall

TITLE = "School-based programmes for the prevention of child sexual abuse"


def _pairs(records: list[DedupRecord]) -> dict[tuple[object, object], tuple[str, str]]:
    return {(p.a, p.b): (p.reason, p.status) for p in find_duplicates(records)}


def test_normalised_title_ignores_case_html_diacritics_and_punctuation() -> None:
    assert normalise_title("<i>Förebyggande</i>  ARBETE: en   översikt.") == (
        "forebyggande arbete en oversikt"
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Doe, Jane", "doe"),
        ("Jane Doe", "doe"),
        ("Doe J", "doe"),
        ("J. Doe", "doe"),
        ("", ""),
    ],
)
def test_surname_from_common_author_formats(name: str, expected: str) -> None:
    assert surname(name) == expected


def test_same_doi_in_any_notation_is_a_certain_duplicate() -> None:
    records = [
        DedupRecord(1, "One title", 2020, doi="10.1234/ABC"),
        DedupRecord(2, "Quite another title", 2021, doi="https://doi.org/10.1234/abc"),
    ]
    assert _pairs(records) == {(1, 2): ("doi", CERTAIN)}


def test_same_pmid_is_certain_unless_dois_disagree() -> None:
    records = [
        DedupRecord(1, "A", 2020, pmid="123", doi="10.1234/a"),
        DedupRecord(2, "B", 2020, pmid="123"),
        DedupRecord(3, "C", 2020, pmid="123", doi="10.1234/c"),
    ]
    pairs = _pairs(records)
    assert pairs[(1, 2)] == ("pmid", CERTAIN)
    assert pairs[(1, 3)] == ("pmid", CANDIDATE)


def test_title_variants_from_different_databases_are_found() -> None:
    records = [
        DedupRecord(1, TITLE + ".", 2019, "Doe, Jane"),
        DedupRecord(2, TITLE.upper(), 2020, "Doe J"),
        DedupRecord(
            3,
            "School-based <i>programmes</i> for the prevention of child sexual abuse",
            2019,
            "J. Doe",
        ),
    ]
    pairs = _pairs(records)
    assert pairs[(1, 2)] == ("title+year+author", CANDIDATE)  # year off by one
    assert pairs[(1, 3)] == ("title+year+author", CERTAIN)  # identical once normalised


def test_similar_title_with_distant_year_or_other_author_is_not_a_duplicate() -> None:
    records = [
        DedupRecord(1, TITLE, 2010, "Doe, Jane"),
        DedupRecord(2, TITLE, 2015, "Doe, Jane"),
        DedupRecord(3, TITLE, 2010, "Roe, Richard"),
    ]
    assert _pairs(records) == {}


def test_different_dois_block_an_automatic_merge_of_identical_titles() -> None:
    records = [
        DedupRecord(1, TITLE, 2019, "Doe, Jane", doi="10.1234/preprint"),
        DedupRecord(2, TITLE, 2019, "Doe, Jane", doi="10.1234/journal"),
    ]
    assert _pairs(records) == {(1, 2): ("title+year+author", CANDIDATE)}


def test_dissimilar_titles_in_the_same_year_are_not_paired() -> None:
    records = [
        DedupRecord(1, TITLE, 2019, "Doe, Jane"),
        DedupRecord(2, "School-based programmes for adolescents with asthma", 2019, "Doe, Jane"),
    ]
    assert _pairs(records) == {}


def test_dropped_subtitle_is_a_candidate_when_author_agrees() -> None:
    full = TITLE + ": a randomised controlled trial"
    assert main_title(full) == normalise_title(TITLE)
    records = [
        DedupRecord(1, full, 2019, "Doe, Jane"),
        DedupRecord(2, TITLE, 2019, "Doe J"),
        DedupRecord(3, TITLE, 2019, "Roe R"),
    ]
    pairs = _pairs(records)
    assert pairs[(1, 2)] == ("main title+year+author", CANDIDATE)
    assert (1, 3) not in pairs


def test_undated_record_is_compared_with_every_year() -> None:
    records = [
        DedupRecord(1, TITLE, 2019, "Doe, Jane"),
        DedupRecord(2, TITLE.lower(), None, ""),
    ]
    assert _pairs(records) == {(1, 2): ("title+year+author", CANDIDATE)}


def test_merge_keeps_the_most_complete_values_and_all_sources() -> None:
    ris = ParsedRecord(
        title=TITLE,
        abstract="Short.",
        authors=["Doe, Jane"],
        year=2020,
        doi="10.1234/a",
        keywords=["Prevention"],
        source_format="ris",
    )
    pubmed = ParsedRecord(
        title=TITLE + ".",
        abstract="Short. And the full abstract.",
        authors=["Doe, Jane", "Roe, Richard"],
        year=2019,
        pmid="123",
        journal="Journal of Examples",
        keywords=["prevention", "schools"],
        source_format="pubmed",
    )
    merged = merge_records([ris, pubmed])
    assert merged["abstract"] == "Short. And the full abstract."
    assert merged["authors"] == ["Doe, Jane", "Roe, Richard"]
    assert (merged["doi"], merged["pmid"], merged["journal"]) == (
        "10.1234/a",
        "123",
        "Journal of Examples",
    )
    assert merged["keywords"] == ["prevention", "schools"] or merged["keywords"] == [
        "Prevention",
        "schools",
    ]
    assert merged["conflicts"] == {"year": [2019, 2020]}
    assert sorted(s["source_format"] for s in merged["sources"]) == ["pubmed", "ris"]


def test_labelled_set_from_screening_data_reaches_precision_and_recall() -> None:
    """Duplicates here are derived variants of real records, not independent real exports
    (see dedup_fixture); the bar guards against regressions, it is not a field estimate."""
    fixture = build_fixture(originals=1200)
    pairs = find_duplicates(fixture.records)
    precision, recall, *_ = precision_recall(pairs, fixture.true_pairs)
    assert precision >= 0.97
    assert recall >= 0.97
    certain_precision, *_ = precision_recall([p for p in pairs if p.certain], fixture.true_pairs)
    assert certain_precision == 1.0


def test_twenty_thousand_records_deduplicate_in_seconds() -> None:
    rng = random.Random(3)
    words = [f"w{i}" for i in range(3000)]
    records = [
        DedupRecord(i, " ".join(rng.choices(words, k=10)), rng.randint(1990, 2024), f"A{i}")
        for i in range(20_000)
    ]
    start = time.perf_counter()
    find_duplicates(records)
    assert time.perf_counter() - start < 10
