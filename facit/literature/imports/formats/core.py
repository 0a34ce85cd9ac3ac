"""Entry points: detect the format, decode, split into records, convert, validate.

Parsing is all-or-nothing: :func:`parse_file` either returns every record or raises
one :class:`ImportFormatError`. The one exception is a record that holds nothing at all
(only its type): it is left out and listed in :attr:`ParsedFile.skipped`, since nothing
of it could be screened; a file of nothing but such records is refused.
:func:`iter_records` yields as it goes for progress display; a caller that stores as it
iterates must roll back on error (the Django import wraps it in a transaction).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from facit.core.csv_safe import escape_cell

from . import bibtex, csv_format, openalex, pubmed, ris
from .encoding import decode_bytes
from .records import (
    FORMATS,
    MAX_ABSTRACT,
    MAX_AUTHOR,
    MAX_AUTHORS,
    MAX_JOURNAL,
    MAX_KEYWORD,
    MAX_KEYWORDS,
    MAX_TITLE,
    FileNote,
    ImportFormatError,
    ParsedRecord,
    Skipped,
    gettext_noop,
)

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class _Format:
    blocks: Callable[[str], Sequence[Any]]
    to_record: Callable[[Any], ParsedRecord]


_PARSERS: dict[str, _Format] = {
    "ris": _Format(ris.blocks, ris.to_record),
    "wos": _Format(ris.wos_blocks, ris.wos_to_record),
    "bibtex": _Format(bibtex.blocks, bibtex.to_record),
    "pubmed": _Format(pubmed.blocks, pubmed.to_record),
    "csv": _Format(csv_format.blocks, csv_format.to_record),
    "openalex": _Format(openalex.blocks, openalex.to_record),
}
_EXTENSIONS = {
    "ris": "ris",
    "ciw": "wos",
    "bib": "bibtex",
    "bibtex": "bibtex",
    "nbib": "pubmed",
    "medline": "pubmed",
    "csv": "csv",
    "tsv": "csv",
    "json": "openalex",
}


def detect_format(text: str, *, filename: str = "") -> str:
    """Format from the file extension when it is unambiguous, else from the content."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    head = text.lstrip()[:4096]
    first = head.split("\n", 1)[0]
    if extension in ("ris", "txt", "") and _is_wos(first, head):
        return "wos"  # Web of Science exports are often saved or renamed as .ris / .txt
    if extension in _EXTENSIONS:
        return _EXTENSIONS[extension]
    if ris._tag(first) == "TY":
        return "ris"
    if first.startswith(("PMID-", "PMID -")):
        return "pubmed"
    if head[:1] in ("[", "{"):
        return "openalex"
    if head[:1] == "@" or "\n@" in head:
        return "bibtex"
    if "\nTY  - " in head:
        return "ris"
    if csv_format.screenable(csv_format.header_map(_first_csv_row(first))):
        return "csv"
    raise ImportFormatError(
        line=1,
        record=0,
        reason=gettext_noop(
            "unknown file format; expected RIS, Web of Science, BibTeX, PubMed/MEDLINE, CSV "
            "with a title or abstract column, or OpenAlex JSON"
        ),
    )


def _is_wos(first: str, head: str) -> bool:
    """Web of Science plain text opens with 'FN <vendor>' (and 'VR 1.0') or 'PT J'."""
    if first.startswith("FN ") and "\nPT " in head:
        return True
    return first.startswith("PT ") and "\nER" in head


def _first_csv_row(line: str) -> list[str]:
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d])
    try:
        return next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return []


NO_TITLE = gettext_noop("no title; imported and flagged for the reviewer")
CUT = gettext_noop("a field was too long and has been shortened")
EMPTY_RECORD = gettext_noop(
    "the record holds no bibliographic data (no title, authors, abstract or identifier); "
    "it was left out"
)
ALL_EMPTY = gettext_noop(
    "none of the file's %(count)s records holds bibliographic data (title, authors, abstract "
    "or identifier)"
)


LABELS_NOT_TAKEN = gettext_noop(
    "%(count)s of the file's records carry a screening decision made with another tool (such "
    "as ASReview's labels); facit does not take decisions from a file: the review's reviewers "
    "screen every record here"
)


class ParsedFile(list[ParsedRecord]):
    """The records of a file, those left out because they were empty, and notes on the
    file as a whole."""

    skipped: list[Skipped]
    notes: list[FileNote]

    def __init__(
        self,
        records: Iterable[ParsedRecord] = (),
        skipped: Sequence[Skipped] = (),
        notes: Sequence[FileNote] = (),
    ):
        super().__init__(records)
        self.skipped = list(skipped)
        self.notes = list(notes)


# A decision as a CSV column holds it (ASReview: 1/0) and as ASReview LAB writes it into a
# RIS record's notes; "ASReview_not_seen" is no decision. An EndNote "Label" of free text is
# not one either.
_DECISION_VALUES = frozenset(
    {"0", "1", "yes", "no", "y", "n", "true", "false", "include", "exclude", "included",
     "excluded", "relevant", "irrelevant"}
)  # fmt: skip
_RIS_DECISION = re.compile(r"\bASReview_(?:relevant|irrelevant)\b")


def _carries_decision(record: ParsedRecord) -> bool:
    label = record.raw.get("label") if record.source_format == "csv" else None
    if isinstance(label, str) and label.strip().lower() in _DECISION_VALUES:
        return True
    notes = record.raw.get("notes") if record.source_format in ("ris", "wos") else None
    if isinstance(notes, str):
        notes = [notes]
    return any(isinstance(n, str) and _RIS_DECISION.search(n) for n in notes or ())


def _decision_notes(records: Sequence[ParsedRecord]) -> list[FileNote]:
    """One note when records carry another tool's screening decisions, which are not taken."""
    carrying = [r for r in records if _carries_decision(r)]
    if not carrying:
        return []
    first = carrying[0]
    return [FileNote(first.source_line, first.number, LABELS_NOT_TAKEN, {"count": len(carrying)})]


def _cut(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[:limit]


def _has_value(value: Any) -> bool:
    """A raw field that says something: not empty, not only blanks (also inside a list)."""
    if isinstance(value, list | tuple):
        return any(_has_value(v) for v in value)
    return bool(str(value).strip()) if value is not None else False


def _is_empty(record: ParsedRecord) -> bool:
    """Nothing but a type: no title, DOI, PMID, abstract, authors, journal or other field."""
    return not (
        record.title
        or record.doi
        or record.pmid
        or record.abstract
        or record.authors
        or record.journal
        or any(_has_value(v) for k, v in record.raw.items() if k != "type_of_reference")
    )


def _check(record: ParsedRecord, number: int) -> ParsedRecord:
    """Bound every field's length and flag what a reviewer should look at.

    A record without a title is imported when it holds anything else (a DOI, a PMID, an
    abstract, authors...): it is well-formed, only incomplete, and flagged. (A record with
    no data at all never reaches here: :func:`iter_records` leaves it out.)
    """
    record.number = number
    if not record.title:
        record.warnings.append(NO_TITLE)
    limited = (
        len(record.title) > MAX_TITLE
        or len(record.abstract) > MAX_ABSTRACT
        or len(record.journal) > MAX_JOURNAL
        or len(record.authors) > MAX_AUTHORS
        or len(record.keywords) > MAX_KEYWORDS
        or any(len(a) > MAX_AUTHOR for a in record.authors)
        or any(len(k) > MAX_KEYWORD for k in record.keywords)
    )
    if limited:
        record.title = _cut(record.title, MAX_TITLE)
        record.abstract = _cut(record.abstract, MAX_ABSTRACT)
        record.journal = _cut(record.journal, MAX_JOURNAL)
        record.authors = [_cut(a, MAX_AUTHOR) for a in record.authors[:MAX_AUTHORS]]
        record.keywords = [_cut(k, MAX_KEYWORD) for k in record.keywords[:MAX_KEYWORDS]]
        record.raw = {"_shortened": True}  # the source's own oversized fields are not kept
        record.warnings.append(CUT)
    return record


def _prepare(data: bytes, fmt: str | None, filename: str) -> tuple[str, list[Any], _Format]:
    text = decode_bytes(data)
    name = fmt or detect_format(text, filename=filename)
    if name not in _PARSERS:
        raise ImportFormatError(
            line=0,
            record=0,
            reason=gettext_noop("unknown format %(name)s; choose one of %(choices)s"),
            params={"name": repr(name), "choices": ", ".join(FORMATS)},
        )
    parser = _PARSERS[name]
    try:
        return name, list(parser.blocks(text)), parser
    except ImportFormatError:
        raise
    except Exception as exc:  # a parser library choking on hostile input
        raise ImportFormatError(
            line=0,
            record=0,
            reason=gettext_noop("the %(format)s file cannot be read (%(detail)s)"),
            params={"format": name, "detail": type(exc).__name__},
        ) from exc


def iter_records(
    data: bytes,
    *,
    fmt: str | None = None,
    filename: str = "",
    on_progress: ProgressCallback | None = None,
    progress_every: int = 1000,
    skipped: list[Skipped] | None = None,
) -> Iterator[ParsedRecord]:
    """Yield records one by one; structural errors surface before the first yield.

    Empty records are not yielded; each is appended to ``skipped`` when it is given."""
    _, blocks, parser = _prepare(data, fmt, filename)
    total = len(blocks)
    for number, block in enumerate(blocks, start=1):
        try:
            record = parser.to_record(block)
        except ImportFormatError:
            raise
        except Exception as exc:  # a parser library choking on hostile input
            raise ImportFormatError(
                line=0,
                record=number,
                reason=gettext_noop("record cannot be read (%(detail)s)"),
                params={"detail": type(exc).__name__},
            ) from exc
        if _is_empty(record):
            if skipped is not None:
                skipped.append(Skipped(record.source_line, number, EMPTY_RECORD))
        else:
            yield _check(record, number)
        if on_progress is not None and (number % progress_every == 0 or number == total):
            on_progress(number, total)


def parse_file(
    data: bytes,
    *,
    fmt: str | None = None,
    filename: str = "",
    on_progress: ProgressCallback | None = None,
) -> ParsedFile:
    """Every record of an uploaded export, or ImportFormatError naming line and reason.

    ``fmt`` is one of ``FORMATS``; None sniffs it from ``filename`` and the content.
    ``on_progress(done, total)`` is called every 1000 records and at the end. Empty records
    are left out and listed in the result's ``skipped``; if every record is empty, the
    file is refused.
    """
    skipped: list[Skipped] = []
    try:
        records = ParsedFile(
            iter_records(
                data, fmt=fmt, filename=filename, on_progress=on_progress, skipped=skipped
            ),
            skipped,
        )
    except ImportFormatError:
        raise
    except RecursionError as exc:
        raise ImportFormatError(
            line=0, record=0, reason=gettext_noop("input nested too deeply")
        ) from exc
    if skipped and not records:
        first = skipped[0]
        raise ImportFormatError(
            line=first.line, record=first.number, reason=ALL_EMPTY, params={"count": len(skipped)}
        )
    records.notes = _decision_notes(records)
    return records


CSV_COLUMNS = (
    "title",
    "abstract",
    "authors",
    "year",
    "journal",
    "doi",
    "pmid",
    "keywords",
)


def to_csv(
    records: Iterable[ParsedRecord],
    *,
    extra_columns: Sequence[str] = (),
    extra: Callable[[ParsedRecord], Sequence[str]] | None = None,
) -> str:
    """CSV export whose header our own CSV import maps back (authors/keywords ';'-joined);
    `extra_columns` are appended, their cells given by `extra(record)` (the import ignores
    them)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, *extra_columns])
    for r in records:
        row = [
            r.title,
            r.abstract,
            "; ".join(r.authors),
            r.year or "",
            r.journal,
            r.doi or "",
            r.pmid or "",
            "; ".join(r.keywords),
        ]
        if extra is not None:
            row += list(extra(r))
        writer.writerow([escape_cell(cell) for cell in row])  # no formula injection (OWASP)
    return buffer.getvalue()
