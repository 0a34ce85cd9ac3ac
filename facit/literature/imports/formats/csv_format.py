"""CSV import with header mapping (Zotero, Scopus, Covidence, OpenAlex CSV exports...).

Columns are matched case-insensitively against known aliases, because every tool names
them differently ("Title", "Article Title", "Abstract Note", "Publication Year").
"""

from __future__ import annotations

import ast
import csv
import io
import re
from dataclasses import dataclass

from facit.core.csv_safe import unescape_cell

from .records import (
    ImportFormatError,
    ParsedRecord,
    clean_text,
    gettext_noop,
    normalise_doi,
    normalise_pmid,
    normalise_year,
    split_keywords,
)

ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "article title", "document title", "primary title", "ti"),
    "abstract": ("abstract", "abstract note", "abstractnote", "ab", "summary"),
    "authors": (
        "authors",
        "author",
        "author full names",
        "author names",
        "first authors",
        "creators",
        "au",
    ),
    "year": ("year", "publication year", "pubyear", "py", "date", "publication date"),
    # A screening decision made with another tool (ASReview LAB's names for it); facit
    # keeps it with the record's source data but never takes it as a decision.
    "label": (
        "included",
        "label",
        "final included",
        "label included",
        "included label",
        "included final",
        "included flag",
        "include",
    ),
    "doi": ("doi", "di"),
    "pmid": ("pmid", "pubmed id", "pubmed_id"),
    "journal": (
        "journal",
        "publication title",
        "source title",
        "source",
        "journal/book",
        "secondary title",
        "so",
    ),
    "keywords": ("keywords", "author keywords", "manual tags", "index keywords", "de"),
}


# A CSV needs one column whose records can be screened or identified; a record that has no
# title is imported and flagged (see core._check).
SCREENABLE = ("title", "abstract", "doi", "pmid")


def screenable(columns: dict[str, int]) -> bool:
    return any(name in columns for name in SCREENABLE)


@dataclass(slots=True)
class CsvRow:
    row_number: int
    line: int  # physical line the row starts on; equals the spreadsheet row number
    values: dict[str, str]


def _key(header: str) -> str:
    return re.sub(r"[\s_]+", " ", header.strip().lower())


def header_map(headers: list[str]) -> dict[str, int]:
    """Field name -> column index, first matching alias wins."""
    keys = [_key(h) for h in headers]
    found: dict[str, int] = {}
    for name, aliases in ALIASES.items():
        for alias in aliases:
            if alias in keys:
                found[name] = keys.index(alias)
                break
    return found


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """Semicolon and tab CSVs come from European Excel and from Web of Science."""
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d])
    return csv.excel_tab if delimiter == "\t" else _semicolon if delimiter == ";" else csv.excel


class _semicolon(csv.excel):
    delimiter = ";"


def blocks(text: str) -> list[CsvRow]:
    reader = csv.reader(io.StringIO(text, newline=""), dialect=_dialect(text), strict=True)
    try:
        headers = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise ImportFormatError(
            line=1,
            record=0,
            reason=gettext_noop("no CSV header (%(detail)s)"),
            params={"detail": exc},
        ) from exc
    columns = header_map(headers)
    if not screenable(columns):
        raise ImportFormatError(
            line=1,
            record=0,
            column="title",
            reason=gettext_noop(
                "the CSV has no title, abstract, DOI or PMID column (looked for: %(names)s)"
            ),
            params={"names": ", ".join(a for n in SCREENABLE for a in ALIASES[n])},
        )
    rows: list[CsvRow] = []
    previous_end = reader.line_num
    try:
        for values in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue
            named = {
                n: unescape_cell(values[i]) if i < len(values) else "" for n, i in columns.items()
            }
            rows.append(CsvRow(len(rows) + 1, start, named))
    except csv.Error as exc:
        raise ImportFormatError(
            line=reader.line_num,
            record=len(rows) + 1,
            reason=gettext_noop("malformed CSV: %(detail)s"),
            params={"detail": exc},
        ) from exc
    if not rows:
        raise ImportFormatError(
            line=2, record=0, reason=gettext_noop("the CSV has a header but no rows")
        )
    return rows


def _listed(value: str) -> list[str] | None:
    """A list written as Python or JSON prints it, as ASReview LAB's CSV export does:
    "['Marx, Karl', 'Lindgren, Astrid']". None when the value is not such a list."""
    text = value.strip()
    if not (text.startswith("[") and text.endswith("]")) or len(text) > 200_000:
        return None
    try:
        items = ast.literal_eval(text)  # literals only: never evaluates code
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        return None
    return [clean_text(i) for i in items if clean_text(i)]


def _authors(value: str) -> list[str]:
    """'Doe, J.; Roe, R.' (most tools) or 'Doe J, Roe R' without semicolons (Embase's
    'Liu R., Adler D.G.'); one comma between two names that each hold a space separates
    two authors, while 'Doe, J.' is one."""
    listed = _listed(value)
    if listed is not None:
        return listed
    if ";" in value:
        parts = value.split(";")
    elif " and " not in value and (
        value.count(",") > 1 or all(" " in p.strip() for p in value.split(",", 1))
    ):
        parts = value.split(",")
    else:
        parts = re.split(r"\s+and\s+", value)
    return [clean_text(p) for p in parts if clean_text(p)]


def _keywords(value: str) -> list[str]:
    """';'-separated (Scopus, Zotero), or, without any ';', comma-separated outside
    brackets (Embase: 'bronchogenic duplication cyst (diagnosis, surgery), cyst')."""
    listed = _listed(value)
    if listed is not None:
        return listed
    if ";" in value or "\n" in value:
        return split_keywords(value)
    parts, depth, start = [], 0, 0
    for i, char in enumerate(value):
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        elif char == "," and not depth:
            parts.append(value[start:i])
            start = i + 1
    parts.append(value[start:])
    return [clean_text(p) for p in parts if clean_text(p)]


def to_record(row: CsvRow) -> ParsedRecord:
    v = row.values
    return ParsedRecord(
        title=clean_text(v.get("title")),
        abstract=clean_text(v.get("abstract")),
        authors=_authors(v.get("authors", "")),
        year=normalise_year(v.get("year")),
        journal=clean_text(v.get("journal")),
        doi=normalise_doi(v.get("doi")),
        pmid=normalise_pmid(v.get("pmid")),
        keywords=_keywords(v.get("keywords", "")),
        source_format="csv",
        source_line=row.line,
        raw=dict(v),
    )
