"""The common record every import format produces, its error, and field normalisers.

Every parser funnels into :class:`ParsedRecord` so the Django layer and duplicate
detection see one shape, whatever database the reviewer exported from.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

FORMATS = ("ris", "wos", "bibtex", "pubmed", "csv", "openalex")

# Field length limits: a hostile or broken file must not store a 50 MB title. Longer values
# are cut at these lengths and the record is flagged in the import summary.
MAX_TITLE = 2_000
MAX_ABSTRACT = 50_000
MAX_AUTHORS = 500
MAX_AUTHOR = 300
MAX_KEYWORDS = 300
MAX_KEYWORD = 200
MAX_JOURNAL = 500


def gettext_noop(message: str) -> str:
    """Marks a reason for translation (makemessages finds it) without importing Django;
    the page translates the stored English reason into its own language."""
    return message


class ImportFormatError(Exception):
    """A file cannot be imported; says where (line, record) and why, for the reviewer.

    ``line`` is 1-based (0 when the problem concerns the whole file); ``record`` is the
    1-based number of the record in the file (0 when no record is concerned); ``column``
    names a CSV column when one is at fault.
    """

    def __init__(
        self,
        *,
        line: int,
        record: int,
        reason: str,
        column: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        self.line = line
        self.record = record
        self.reason = reason  # an English message, marked for translation; may hold %(name)s
        self.params = {k: str(v) for k, v in (params or {}).items()}
        self.column = column
        if self.params:
            reason = reason % self.params
        where = f"line {line}" if line else "file"
        if record:
            where += f", record {record}"
        if column:
            where += f", column {column!r}"
        super().__init__(f"{where}: {reason}")

    def as_dict(self) -> dict[str, Any]:
        """Machine-readable location for an API error body."""
        return {
            "line": self.line,
            "record": self.record,
            "column": self.column,
            "reason": self.reason,
            "params": self.params,
        }


@dataclass(slots=True)
class ParsedRecord:
    """One bibliographic reference, as imported.

    ``doi`` is lower-case without any resolver prefix; ``source_line`` is the 1-based
    line where the record starts (the data row number for CSV, the list position for
    JSON); ``raw`` keeps the parser's own fields so nothing the source said is lost.
    """

    title: str
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    journal: str = ""
    doi: str | None = None
    pmid: str | None = None
    keywords: list[str] = field(default_factory=list)
    source_format: str = ""
    source_line: int = 0
    raw: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    number: int = 0  # 1-based position in the file, counting records that were skipped


@dataclass(frozen=True, slots=True)
class FileNote:
    """Something about the file as a whole that the import summary tells the reviewer,
    placed at the first record it concerns."""

    line: int
    number: int
    reason: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record left out of an import because it holds nothing to screen; the import
    summary lists it with the warnings, so nothing is dropped unseen."""

    line: int
    number: int
    reason: str


_DOI_PREFIX = re.compile(r"^(?:https?://)?(?:dx\.)?(?:doi\.org/|doi:\s*|doi\s+)", re.IGNORECASE)
_DOI_SHAPE = re.compile(r"^10\.\d{4,9}/\S+$")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_TAG = re.compile(r"<[^>]{0,200}>")


def normalise_doi(value: object) -> str | None:
    """Lower-case DOI without resolver prefix; None if it does not look like a DOI.

    DOIs are case-insensitive by definition, so lower-casing makes them comparable
    across databases that print them differently.
    """
    if not isinstance(value, str):
        return None
    doi = _DOI_PREFIX.sub("", value.strip()).strip().rstrip(".,;").lower()
    return doi if _DOI_SHAPE.match(doi) else None


def normalise_year(value: object) -> int | None:
    """First plausible four-digit year in a date string such as '2019 Mar 4' or '2019///'."""
    if isinstance(value, int) and 1500 <= value <= 2099:
        return value
    if not isinstance(value, str):
        return None
    match = _YEAR.search(value)
    return int(match.group(1)) if match else None


def normalise_pmid(value: object) -> str | None:
    """PMIDs are plain positive integers; anything else is not a PMID."""
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    return text if text.isdigit() and text.strip("0") else None


def clean_text(value: object) -> str:
    """Collapse whitespace; sources wrap long titles and abstracts arbitrarily."""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    if not isinstance(value, str):
        return ""
    if "  " not in value and "\n" not in value and "\t" not in value and value.isascii():
        return value.strip()  # the common case: C-level checks, no splitting
    return " ".join(value.split())


def strip_html(value: str) -> str:
    """Remove markup some databases put in titles (<i>in vivo</i>, &amp;)."""
    return html.unescape(_TAG.sub("", value))


def split_keywords(value: object) -> list[str]:
    """Keywords arrive as lists or as ';'-separated strings; return a clean list."""
    items = value if isinstance(value, list) else [value]
    result: list[str] = []
    for item in items:
        if isinstance(item, str):
            result.extend(k.strip() for k in re.split(r"[;\n]", item) if k.strip())
    return result
