"""Import formats: each parser's fields, encodings, line endings and explicit errors."""

from __future__ import annotations

import codecs
import json

import pytest

from facit.literature.imports.formats import (
    ImportFormatError,
    ParsedRecord,
    detect_format,
    iter_records,
    parse_file,
    to_csv,
    to_ris,
)

RIS = (
    "TY  - JOUR\n"
    "TI  - Parenting programmes and\n"
    "  child outcomes\n"
    "AU  - Doe, Jane\n"
    "AU  - Roe, Richard\n"
    "PY  - 2019///\n"
    "JO  - Journal of Examples\n"
    "DO  - https://doi.org/10.1234/ABC.5\n"
    "KW  - prevention\n"
    "AB  - An abstract.\n"
    "ER  - \n"
    "\n"
    "TY  - JOUR\n"
    "T1  - Second record\n"
    "ER  - \n"
)

MEDLINE = (
    "PMID- 31234567\n"
    "OWN - NLM\n"
    "TI  - A title that is long enough to be wrapped onto a\n"
    "      second line.\n"
    "AB  - First part of the abstract\n"
    "      and the rest.\n"
    "FAU - Doe, Jane\n"
    "AU  - Doe J\n"
    "FAU - Roe, Richard\n"
    "AU  - Roe R\n"
    "DP  - 2020 Mar 4\n"
    "TA  - J Ex\n"
    "JT  - Journal of Examples\n"
    "LID - S0000-0000(20)00000-0 [pii]\n"
    "LID - 10.1234/XYZ.9 [doi]\n"
    "OT  - schools\n"
    "\n"
    "PMID- 31234568\n"
    "TI  - Second.\n"
    "AID - 10.1234/second [doi]\n"
)

BIBTEX = (
    "@string{jex = {Journal of Examples}}\n"
    "@article{doe2019,\n"
    "  title = {Parenting {P}rogrammes and Child Outcomes},\n"
    "  author = {Doe, Jane and Roe, Richard},\n"
    "  journal = jex,\n"
    "  year = {2019},\n"
    "  doi = {10.1234/ABC.5},\n"
    "  keywords = {prevention, schools}\n"
    "}\n"
    "\n"
    "@book{roe2020, title={Caf{\\'e} studies}, year=2020}\n"
)

OPENALEX = {
    "results": [
        {
            "id": "https://openalex.org/W1",
            "doi": "https://doi.org/10.1234/OA.1",
            "title": "Open work",
            "publication_year": 2021,
            "abstract_inverted_index": {"Children": [0], "learn": [1, 3], "and": [2]},
            "authorships": [
                {"author": {"display_name": "Jane Doe"}},
                {"author": {"display_name": "Richard Roe"}},
            ],
            "primary_location": {"source": {"display_name": "Journal of Examples"}},
            "ids": {"pmid": "https://pubmed.ncbi.nlm.nih.gov/31234567"},
        }
    ]
}


def test_ris_fields_are_mapped_and_doi_normalised() -> None:
    first, second = parse_file(RIS.encode(), filename="export.ris")
    assert first.title == "Parenting programmes and child outcomes"
    assert first.authors == ["Doe, Jane", "Roe, Richard"]
    assert first.year == 2019
    assert first.journal == "Journal of Examples"
    assert first.doi == "10.1234/abc.5"
    assert first.keywords == ["prevention"]
    assert first.abstract == "An abstract."
    assert (first.source_format, first.source_line) == ("ris", 1)
    assert (second.title, second.source_line) == ("Second record", 13)


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_ris_with_crlf_or_cr_line_endings_parses_like_lf(newline: str) -> None:
    records = parse_file(RIS.replace("\n", newline).encode(), fmt="ris")
    assert [r.title for r in records] == [r.title for r in parse_file(RIS.encode())]
    assert records[1].source_line == 13


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_byte_order_marks_select_the_encoding(encoding: str) -> None:
    text = RIS.replace("Second record", "Andra posten på svenska")
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    records = parse_file(data)
    assert records[1].title == "Andra posten på svenska"


def test_legacy_single_byte_file_is_decoded() -> None:
    data = (
        "TY  - JOUR\nTI  - Barn och unga: skolans förebyggande arbete i Malmö och Göteborg\n"
        "AB  - Läsa, räkna, öva, leka - även för de äldre eleverna på högstadiet.\n"
        "ER  - \n"
    ).encode("latin-1")
    (record,) = parse_file(data)
    assert record.title.startswith("Barn och unga: skolans förebyggande")


def test_utf8_file_with_latin1_bytes_inside_names_the_line() -> None:
    data = "TY  - JOUR\nTI  - Första\nER  - \n".encode() + b"TY  - JOUR\nTI  - caf\xe9\nER  - \n"
    with pytest.raises(ImportFormatError) as info:
        parse_file(data)
    assert info.value.line == 5
    assert "mixed text encodings" in info.value.reason


def test_latin1_bytes_before_utf8_text_are_reported_at_the_first_bad_line() -> None:
    data = b"TY  - JOUR\nTI  - caf\xe9\nER  - \n" + "TY  - JOUR\nTI  - Första\nER  - \n".encode()
    with pytest.raises(ImportFormatError) as info:
        parse_file(data)
    assert info.value.line == 2


def test_stray_control_character_is_removed_but_many_mean_binary() -> None:
    (record,) = parse_file(b"TY  - JOUR\nTI  - A\x01 title\nER  - \n")
    assert record.title == "A title"
    with pytest.raises(ImportFormatError, match="binary"):
        parse_file(b"TY  - JOUR\nTI  - \x01\x02\x03\x04\nER  - \n")


def test_truncated_ris_without_er_is_an_error_at_the_record_start() -> None:
    data = (RIS + "TY  - JOUR\nTI  - Cut off\nAU  - Doe, J\n").encode()
    with pytest.raises(ImportFormatError) as info:
        parse_file(data, filename="x.ris")
    assert (info.value.line, info.value.record) == (16, 3)
    assert "ER" in info.value.reason


def test_ris_record_started_before_previous_er_is_an_error() -> None:
    data = b"TY  - JOUR\nTI  - One\nTY  - JOUR\nTI  - Two\nER  - \n"
    with pytest.raises(ImportFormatError) as info:
        parse_file(data, fmt="ris")
    assert (info.value.line, info.value.record) == (1, 1)


def test_record_without_title_but_with_data_is_imported_and_flagged() -> None:
    """Issue 11: an incomplete but well-formed record no longer costs the whole file."""
    data = RIS.replace("T1  - Second record\n", "AU  - Nobody\n").encode()
    records = parse_file(data)
    assert len(records) == 2
    assert records[1].title == "" and records[1].authors == ["Nobody"]
    assert records[1].warnings == ["no title; imported and flagged for the reviewer"]
    assert records[0].warnings == []


def test_record_holding_no_data_at_all_is_left_out_and_named_not_the_file_refused() -> None:
    data = RIS.replace("T1  - Second record\n", "").encode()
    records = parse_file(data)
    assert [r.number for r in records] == [1]
    assert [(s.line, s.number) for s in records.skipped] == [(13, 2)]
    assert records.skipped[0].reason.startswith("the record holds no bibliographic data")


def test_binary_file_renamed_ris_is_refused() -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" + bytes(range(256))
    with pytest.raises(ImportFormatError, match="binary"):
        parse_file(data, filename="export.ris")


@pytest.mark.parametrize("data", [b"", b"   \n\r\n"])
def test_empty_file_is_an_error(data: bytes) -> None:
    with pytest.raises(ImportFormatError, match="empty"):
        parse_file(data, filename="export.ris")


def test_pubmed_continuation_lines_ids_and_full_author_names() -> None:
    first, second = parse_file(MEDLINE.encode(), filename="pubmed-export.txt")
    assert first.title == ("A title that is long enough to be wrapped onto a second line.")
    assert first.abstract == "First part of the abstract and the rest."
    assert first.authors == ["Doe, Jane", "Roe, Richard"]
    assert (first.pmid, first.doi, first.year) == ("31234567", "10.1234/xyz.9", 2020)
    assert first.journal == "Journal of Examples"
    assert (second.doi, second.source_line) == ("10.1234/second", 18)


def test_pubmed_garbage_line_is_an_error_with_its_line() -> None:
    data = MEDLINE.replace("OWN - NLM\n", "this is not medline\n").encode()
    with pytest.raises(ImportFormatError) as info:
        parse_file(data, fmt="pubmed")
    assert info.value.line == 2


def test_bibtex_entries_decode_latex_and_resolve_strings() -> None:
    first, second = parse_file(BIBTEX.encode(), filename="refs.bib")
    assert first.title == "Parenting Programmes and Child Outcomes"
    assert first.authors == ["Doe, Jane", "Roe, Richard"]
    assert (first.year, first.doi, first.journal) == (
        2019,
        "10.1234/abc.5",
        "Journal of Examples",
    )
    assert first.keywords == ["prevention", "schools"]
    assert first.source_line == 2
    assert second.title == "Café studies"


def test_bibtex_unbalanced_braces_is_an_error_with_the_line() -> None:
    broken = BIBTEX.replace("title={Caf{\\'e} studies}", "title={Caf{\\'e studies}")
    data = (broken + "@article{later, title={Fine}}\n").encode()
    with pytest.raises(ImportFormatError) as info:
        parse_file(data, fmt="bibtex")
    assert info.value.line == 11
    assert "unbalanced" in info.value.reason


def test_csv_headers_are_matched_case_insensitively_with_aliases() -> None:
    data = (
        "Key,Publication Year,Author,Title,Abstract Note,DOI,Manual Tags\r\n"
        'K1,2018,"Doe, Jane; Roe, Richard",A csv title,Text,DOI:10.1234/CSV.1,a; b\r\n'
        ",,,,,,\r\n"
        'K2,2019,,"Multi\nline title",,,\r\n'
    ).encode("utf-8-sig")
    first, second = parse_file(data, filename="zotero.csv")
    assert (first.title, first.year, first.doi) == (
        "A csv title",
        2018,
        "10.1234/csv.1",
    )
    assert first.authors == ["Doe, Jane", "Roe, Richard"]
    assert first.keywords == ["a", "b"]
    assert (first.source_line, second.source_line) == (2, 4)
    assert second.title == "Multi line title"


def test_csv_without_title_column_is_an_error() -> None:
    with pytest.raises(ImportFormatError) as info:
        parse_file(b"name,year\nx,2019\n", fmt="csv")
    assert (info.value.line, info.value.column) == (1, "title")


def test_openalex_results_page_rebuilds_abstract_and_strips_doi_prefix() -> None:
    (record,) = parse_file(json.dumps(OPENALEX, indent=2).encode(), filename="works.json")
    assert record.abstract == "Children learn and learn"
    assert record.doi == "10.1234/oa.1"
    assert record.authors == ["Jane Doe", "Richard Roe"]
    assert (record.year, record.pmid, record.journal) == (
        2021,
        "31234567",
        "Journal of Examples",
    )
    assert record.source_line == 4


def test_openalex_plain_list_and_invalid_json() -> None:
    (record,) = parse_file(json.dumps(OPENALEX["results"]).encode(), fmt="openalex")
    assert record.title == "Open work"
    with pytest.raises(ImportFormatError) as info:
        parse_file(b'[\n{"title": "x",\n', fmt="openalex")
    assert info.value.line == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (RIS, "ris"),
        (MEDLINE, "pubmed"),
        (BIBTEX, "bibtex"),
        (json.dumps(OPENALEX), "openalex"),
        ("Title,Year\nx,2019\n", "csv"),
    ],
)
def test_format_is_sniffed_from_content(text: str, expected: str) -> None:
    assert detect_format(text) == expected
    assert parse_file(text.encode())[0].source_format == expected


def test_unknown_format_is_an_error() -> None:
    with pytest.raises(ImportFormatError, match="unknown file format"):
        parse_file(b"just some prose\nwithout structure\n")


def test_progress_callback_reports_done_and_total() -> None:
    text = "".join(f"TY  - JOUR\nTI  - Title {i}\nER  - \n" for i in range(2500))
    calls: list[tuple[int, int]] = []
    records = parse_file(text.encode(), on_progress=lambda d, t: calls.append((d, t)))
    assert len(records) == 2500
    assert calls == [(1000, 2500), (2000, 2500), (2500, 2500)]


def test_iterator_reports_structural_errors_before_yielding() -> None:
    data = (RIS + "TY  - JOUR\nTI  - Cut off\n").encode()
    iterator = iter_records(data)
    with pytest.raises(ImportFormatError):
        next(iterator)


def test_csv_export_reimports_to_the_same_records() -> None:
    records = parse_file(RIS.encode()) + parse_file(MEDLINE.encode())
    again = parse_file(to_csv(records).encode(), fmt="csv")
    fields = (
        "title",
        "abstract",
        "authors",
        "year",
        "journal",
        "doi",
        "pmid",
        "keywords",
    )
    for a, b in zip(records, again, strict=True):
        assert [getattr(a, f) for f in fields] == [getattr(b, f) for f in fields]


def test_ris_export_reimports_title_doi_year_authors_pmid() -> None:
    records = parse_file(MEDLINE.encode())
    again = parse_file(to_ris(records).encode(), fmt="ris")
    for a, b in zip(records, again, strict=True):
        assert (a.title, a.doi, a.year, a.authors, a.pmid) == (
            b.title,
            b.doi,
            b.year,
            b.authors,
            b.pmid,
        )


def test_error_carries_machine_readable_location() -> None:
    error = ImportFormatError(line=3, record=2, reason="why", column="title")
    assert error.as_dict() == {
        "line": 3,
        "record": 2,
        "column": "title",
        "reason": "why",
        "params": {},
    }
    assert str(error) == "line 3, record 2, column 'title': why"


def test_parsed_record_defaults_are_independent() -> None:
    a, b = ParsedRecord(title="a"), ParsedRecord(title="b")
    a.authors.append("x")
    assert b.authors == []
