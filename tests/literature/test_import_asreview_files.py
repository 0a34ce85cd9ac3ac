"""ASReview LAB's own reader test files (Apache-2.0, copied in fixtures/asreview) import as
ASReview reads them: real Embase, Ovid, ProQuest, PubMed, Scopus, Web of Science and Zotero
exports, and the edge cases its authors collected (title-less records, empty values,
records holding only a type, a CSV without a title column)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import rispy

from facit.literature.imports.formats import ImportFormatError, parse_file
from facit.literature.imports.services import batch_create, references_import
from facit.literature.models import ImportBatch
from tests.literature import factories as f

ASREVIEW = Path(__file__).parent / "fixtures" / "asreview"

# Record counts stated by ASReview's own tests: tests/test_readers.py (test_reader,
# test_asreview_labels_ris, test_nan_values_*) and tests/test_data.py (test_deduplication).
ASREVIEW_COUNTS = {
    "_baseline.ris": 100,
    "embase.csv": 6,
    "embase_newpage.csv": 6,
    "embase.ris": 6,
    "generic.csv": 2,
    "generic_semicolon.csv": 2,
    "generic_tab.csv": 2,
    "generic_tab.tab": 2,
    "generic_tab.tsv": 2,
    "generic_labels.csv": 6,
    "pubmed_zotero.ris": 6,
    "pubmed_endnote.txt": 6,
    "scopus.ris": 6,
    "ovid_zotero.ris": 6,
    "proquest.ris": 6,
    "web_of_science.txt": 10,
    "baseline_tag-notes_labels.ris": 32,
    "duplicate_records.csv": 14,
}
# The one file facit refuses while rispy reads it: after its record's end ("ER  - End of
# Reference") come a tag and a second ER outside any record. rispy drops that tag without
# a word; facit names the line rather than lose text unseen.
REFUSED = {"baseline_tag_and_field_definitions.ris": (66, 2, "end of record (ER)")}
EMPTY = "the record holds no bibliographic data"
NO_TITLE = "no title; imported and flagged for the reviewer"


def _expected_count(path: Path) -> int:
    """ASReview's count where its tests state one, else what rispy or the csv module read."""
    if path.name in ASREVIEW_COUNTS:
        return ASREVIEW_COUNTS[path.name]
    text = path.read_bytes().decode("utf-8-sig")
    if path.suffix == ".csv":
        return sum(1 for row in csv.reader(text.splitlines()[1:]) if any(c.strip() for c in row))
    return len(rispy.loads(text))


EXPORTS = sorted(
    p for p in ASREVIEW.iterdir() if p.suffix not in (".md", "") and p.name not in REFUSED
)


@pytest.mark.parametrize("path", EXPORTS, ids=lambda p: p.name)
def test_every_asreview_reader_file_imports_with_asreviews_record_count(path: Path) -> None:
    records = parse_file(path.read_bytes(), filename=path.name)
    assert len(records) + len(records.skipped) == _expected_count(path) > 0
    assert all(r.warnings in ([], [NO_TITLE]) for r in records), "no field was cut"


@pytest.mark.parametrize(("name", "where"), REFUSED.items())
def test_text_outside_any_record_is_refused_naming_its_line(name: str, where: tuple) -> None:
    line, record, reason = where
    with pytest.raises(ImportFormatError) as info:
        parse_file((ASREVIEW / name).read_bytes(), filename=name)
    assert (info.value.line, info.value.record) == (line, record)
    assert info.value.reason.startswith(reason)


def test_records_holding_only_a_type_are_left_out_and_listed_not_the_file_refused() -> None:
    """ASReview's file of 61 reference types: two records hold nothing but 'TY', the other
    59 a note each. Before, the first empty record cost the whole file."""
    path = ASREVIEW / "baseline_reference_types.ris"
    records = parse_file(path.read_bytes(), filename=path.name)
    assert len(records) == 59
    assert [(s.line, s.number) for s in records.skipped] == [(1, 1), (4, 2)]
    assert all(s.reason.startswith(EMPTY) for s in records.skipped)
    assert records[0].number == 3 and records[0].warnings == [NO_TITLE]


@pytest.mark.django_db
def test_import_summary_lists_left_out_records_in_file_order_with_the_flagged_ones(
    reviewer,
) -> None:
    path = ASREVIEW / "baseline_reference_types.ris"
    review = f.review(reviewer.user)
    batch = batch_create(review=review, data=path.read_bytes(), filename=path.name)
    summary = references_import(batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and summary.imported == 59
    assert summary.warning_count == 61
    first_three = [(w["record"], w["line"], w["reason"][:20]) for w in summary.warnings[:3]]
    assert first_three == [(1, 1, EMPTY[:20]), (2, 4, EMPTY[:20]), (3, 7, NO_TITLE[:20])]
    assert review.references.count() == 59


def test_a_file_of_nothing_but_empty_records_is_refused_naming_the_first() -> None:
    data = b"TY  - JOUR\r\nER  - \r\n\r\nTY  - BOOK\r\nER  - \r\n"
    with pytest.raises(ImportFormatError) as info:
        parse_file(data, filename="empty.ris")
    assert (info.value.line, info.value.record) == (1, 1)
    assert str(info.value) == (
        "line 1, record 1: none of the file's 2 records holds bibliographic data (title, "
        "authors, abstract or identifier)"
    )


def test_embase_csv_reads_author_names_and_keeps_each_index_term_whole() -> None:
    path = ASREVIEW / "embase.csv"
    first = parse_file(path.read_bytes(), filename=path.name)[0]
    assert first.title == (
        "Duplication cysts: Diagnosis, management, and the role of endoscopic ultrasound"
    )
    assert first.authors == ["Liu R.", "Adler D.G."]
    assert "bronchogenic duplication cyst (diagnosis, surgery)" in first.keywords
    assert first.warnings == []


def test_csv_without_a_title_column_imports_its_abstracts_flagged() -> None:
    path = ASREVIEW / "generic_labels_no_title.csv"
    records = parse_file(path.read_bytes(), filename=path.name)
    assert len(records) == 6
    assert all(r.title == "" and r.abstract and r.warnings == [NO_TITLE] for r in records)


def test_csv_with_no_screenable_column_is_refused_naming_what_was_looked_for() -> None:
    with pytest.raises(ImportFormatError) as info:
        parse_file(b"name,colour\nPippi,red\n", filename="people.csv")
    assert info.value.column == "title"
    assert info.value.reason.startswith("the CSV has no title, abstract, DOI or PMID column")


def test_asreview_csv_export_lists_read_as_lists_not_split_inside_names() -> None:
    """ASReview LAB writes list fields as Python prints them; before, "['Marx, Karl', ...]"
    became four authors "['Marx", "Karl'", ... (or none, under 'first_authors')."""
    for name in ("generic_labels.csv", "generic.csv"):
        first = parse_file((ASREVIEW / name).read_bytes(), filename=name)[0]
        assert first.authors == ["Marx, Karl", "Lindgren, Astrid"]
        assert first.keywords == ["Pippi", "Nordwind", "Piraten"]


def test_a_bracketed_value_that_is_not_a_list_of_names_is_read_as_text() -> None:
    data = b"title,authors\nOne,[Anonymous]\nTwo,\"['a', __import__('os')]\"\n"
    one, two = parse_file(data, filename="odd.csv")
    assert one.authors == ["[Anonymous]"]
    assert two.authors == ["['a', __import__('os')]"]  # kept as text, never evaluated


def test_ris_primary_authors_under_au_and_a1_are_all_kept_once() -> None:
    path = ASREVIEW / "baseline_tag_and_field_definitions_lists.ris"
    (record,) = parse_file(path.read_bytes(), filename=path.name)
    assert record.authors == ["Author 1", "Author 2", "First Author 1", "First Author 2"]
    data = b"TY  - JOUR\nTI  - One\nAU  - Doe, J\nA1  - Doe, J\nA1  - Roe, R\nER  - \n"
    assert parse_file(data, filename="x.ris")[0].authors == ["Doe, J", "Roe, R"]


LABELS_NOT_TAKEN = "%(count)s of the file's records carry a screening decision made with another"


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("generic_labels.csv", 6),
        ("generic_partial_labels.csv", 4),
        ("baseline_tag-notes_labels.ris", 20),
    ],
)
def test_another_tools_screening_labels_are_named_in_one_note_never_taken_as_decisions(
    name: str, count: int
) -> None:
    records = parse_file((ASREVIEW / name).read_bytes(), filename=name)
    (note,) = records.notes
    assert note.reason.startswith(LABELS_NOT_TAKEN) and note.params == {"count": count}
    assert note.number == 1  # placed at the first record that carries one


def test_a_free_text_label_column_and_asreviews_not_seen_are_no_decisions() -> None:
    data = b"title,label\nOne,my reading list\nTwo,\n"
    assert parse_file(data, filename="endnote.csv").notes == []
    ris = b"TY  - JOUR\nTI  - One\nN1  - ASReview_not_seen\nER  - \n"
    assert parse_file(ris, filename="x.ris").notes == []


@pytest.mark.django_db
def test_an_imported_asreview_export_leaves_every_record_unscreened_and_says_why(
    reviewer,
) -> None:
    review = f.review(reviewer.user)
    path = ASREVIEW / "generic_labels.csv"
    batch = batch_create(review=review, data=path.read_bytes(), filename=path.name)
    summary = references_import(batch=batch)
    assert summary.imported == 6
    (note,) = [w for w in summary.warnings if w["reason"].startswith(LABELS_NOT_TAKEN)]
    assert (note["line"], note["record"], note["params"]) == (2, 1, {"count": 6})
    assert not review.references.filter(decisions__isnull=False).exists()
