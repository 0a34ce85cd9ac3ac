"""Entry points: detect the format, decode, split into records, convert, validate.

Parsing is all-or-nothing: :func:`parse_file` either returns every record or raises
one :class:`ImportFormatError`. :func:`iter_records` yields as it goes for progress
display; a caller that stores as it iterates must roll back on error (the Django
import wraps it in a transaction).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from . import bibtex, csv_format, openalex, pubmed, ris
from .encoding import decode_bytes
from .records import FORMATS, ImportFormatError, ParsedRecord

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class _Format:
    blocks: Callable[[str], Sequence[Any]]
    to_record: Callable[[Any], ParsedRecord]


_PARSERS: dict[str, _Format] = {
    "ris": _Format(ris.blocks, ris.to_record),
    "bibtex": _Format(bibtex.blocks, bibtex.to_record),
    "pubmed": _Format(pubmed.blocks, pubmed.to_record),
    "csv": _Format(csv_format.blocks, csv_format.to_record),
    "openalex": _Format(openalex.blocks, openalex.to_record),
}
_EXTENSIONS = {
    "ris": "ris",
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
    if extension in _EXTENSIONS:
        return _EXTENSIONS[extension]
    head = text.lstrip()[:4096]
    first = head.split("\n", 1)[0]
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
    if csv_format.header_map(_first_csv_row(first)).get("title") is not None:
        return "csv"
    raise ImportFormatError(
        line=1,
        record=0,
        reason="unknown file format; expected RIS, BibTeX, PubMed/MEDLINE, CSV "
        "with a title column, or OpenAlex JSON",
    )


def _first_csv_row(line: str) -> list[str]:
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d])
    try:
        return next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return []


def _check(record: ParsedRecord, number: int) -> ParsedRecord:
    if not record.title:
        raise ImportFormatError(
            line=record.source_line, record=number, reason="record has no title"
        )
    return record


def _prepare(data: bytes, fmt: str | None, filename: str) -> tuple[str, list[Any], _Format]:
    text = decode_bytes(data)
    name = fmt or detect_format(text, filename=filename)
    if name not in _PARSERS:
        raise ImportFormatError(
            line=0, record=0, reason=f"unknown format {name!r}; choose one of {FORMATS}"
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
            reason=f"the {name} file cannot be read ({type(exc).__name__})",
        ) from exc


def iter_records(
    data: bytes,
    *,
    fmt: str | None = None,
    filename: str = "",
    on_progress: ProgressCallback | None = None,
    progress_every: int = 1000,
) -> Iterator[ParsedRecord]:
    """Yield records one by one; structural errors surface before the first yield."""
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
                reason=f"record cannot be read ({type(exc).__name__})",
            ) from exc
        yield _check(record, number)
        if on_progress is not None and (number % progress_every == 0 or number == total):
            on_progress(number, total)


def parse_file(
    data: bytes,
    *,
    fmt: str | None = None,
    filename: str = "",
    on_progress: ProgressCallback | None = None,
) -> list[ParsedRecord]:
    """Every record of an uploaded export, or ImportFormatError naming line and reason.

    ``fmt`` is one of ``FORMATS``; None sniffs it from ``filename`` and the content.
    ``on_progress(done, total)`` is called every 1000 records and at the end.
    """
    try:
        return list(iter_records(data, fmt=fmt, filename=filename, on_progress=on_progress))
    except ImportFormatError:
        raise
    except RecursionError as exc:
        raise ImportFormatError(line=0, record=0, reason="input nested too deeply") from exc


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


def to_csv(records: Iterable[ParsedRecord]) -> str:
    """CSV export whose header our own CSV import maps back (authors/keywords ';'-joined)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in records:
        writer.writerow(
            [
                r.title,
                r.abstract,
                "; ".join(r.authors),
                r.year or "",
                r.journal,
                r.doi or "",
                r.pmid or "",
                "; ".join(r.keywords),
            ]
        )
    return buffer.getvalue()
