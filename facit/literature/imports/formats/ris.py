"""RIS import and export through ``rispy``.

rispy silently drops a record whose ``ER`` line is missing, and does not report line
numbers; a cheap structural pass in front of it finds record boundaries and their lines
and refuses truncated files, then rispy parses each record's lines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import rispy

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


@dataclass(slots=True)
class RisBlock:
    """One TY..ER record: the 1-based line of its TY, and rispy's parsed entry."""

    start_line: int
    number: int
    end_line: int = 0
    entry: dict[str, Any] | None = None


def _tag(line: str) -> str | None:
    """The two-letter tag of a 'XX  - value' line, else None (continuation or blank)."""
    if line[2:5] == "  -" and line[:2].isalnum() and line[:1].isalpha():
        return line[:2].upper()
    return None


class _LineTracking(rispy.RisParser):
    """rispy's own line handling, in one pass that also notes where records start.

    rispy drops a record that lacks its end tag and starts a record at any line beginning
    with the start tag; an all-or-nothing import needs both to be errors with a line
    number, so the record loop is ours while tag parsing and field mapping stay rispy's.

    Linear time: rispy joins each continuation line onto the value so far, which is
    quadratic in a value's length (a 9 MB abstract over 100,000 lines took minutes);
    here continuation lines of a single-valued tag are collected and joined once.
    """

    def _buffered(self, tag: str) -> bool:
        """Continuations of this tag are joined onto one string (rispy's single values)."""
        return tag in self.mapping and tag not in self.list_tags and tag not in self.delimiter_map

    def parse_records(self, lines: list[str]) -> list[RisBlock]:
        result: list[RisBlock] = []
        current: RisBlock | None = None
        record: dict[str, Any] = {}
        last_tag: str | None = None
        pending: list[str] = []
        start, end = self.START_TAG, self.END_TAG

        def flush() -> None:
            if pending and last_tag is not None:
                name = self.mapping[last_tag]
                if name in record:
                    record[name] = " ".join([record[name], *pending])
                pending.clear()

        for lineno, line in enumerate(lines, start=1):
            tag, content = self.parse_line(line)
            if tag is None:
                if current is not None and content and last_tag is not None:
                    if self._buffered(last_tag):
                        pending.append(content)
                    else:
                        self._add_tag(record, last_tag, content, extend_multiline=True)
                continue
            flush()
            if tag == start:
                if current is not None:
                    raise _truncated(current, end)
                current = RisBlock(lineno, len(result) + 1)
                record, last_tag = {self.mapping[start]: content}, None
            elif current is None:
                if tag == end:
                    raise ImportFormatError(
                        line=lineno,
                        record=len(result) + 1,
                        reason=gettext_noop("end of record (ER) without a start of record"),
                    )
            elif tag == end:
                current.end_line, current.entry = lineno, record
                result.append(current)
                current, last_tag = None, None
            elif tag not in self.ignore:
                self._add_tag(record, tag, content)
                last_tag = tag
        flush()
        if current is not None:
            raise _truncated(current, end)
        if not result:
            raise ImportFormatError(
                line=1, record=0, reason=gettext_noop("no record found (no 'TY  - ' line)")
            )
        return result


class _LineTrackingParser(_LineTracking):
    pass


class _WosParser(_LineTracking, rispy.WokParser):
    """Web of Science plain text ('PT J' ... 'ER'): rispy's WoK tags and mapping."""

    def parse_line(self, line: str) -> tuple[str | None, str]:
        if line[:2].strip() == "" or len(line) < 2:
            return (None, line.strip())
        if line[2:3] not in ("", " ") or not line[:2].isalnum():
            return (None, line.strip())
        return (line[:2], line[3:].strip())


def blocks(text: str) -> list[RisBlock]:
    """Every TY..ER record with its start line and rispy's parsed entry."""
    return _PARSER.parse_records(text.split("\n"))


def wos_blocks(text: str) -> list[RisBlock]:
    """Every PT..ER record of a Web of Science plain-text export."""
    return _WOS_PARSER.parse_records(text.split("\n"))


def _truncated(block: RisBlock, end: str = "ER") -> ImportFormatError:
    return ImportFormatError(
        line=block.start_line,
        record=block.number,
        reason=gettext_noop("record has no end (ER) line; the file is truncated or damaged"),
    )


_PARSER = _LineTrackingParser()
_WOS_PARSER = _WosParser()


def _first(entry: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        value = entry.get(key)
        if value:
            return value
    return None


def _pmid(entry: dict[str, Any]) -> str | None:
    """RIS has no PMID tag; PubMed-derived exports put it in AN (or C2 / 'PMID: n' notes)."""
    database = str(entry.get("name_of_database", "")).lower()
    if "pubmed" in database or "medline" in database:
        found = normalise_pmid(entry.get("accession_number"))
        if found:
            return found
    for note in entry.get("notes", []) or []:
        if isinstance(note, str) and note.upper().startswith("PMID:"):
            return normalise_pmid(note[5:])
    return None


def _doi(entry: dict[str, Any]) -> str | None:
    doi = normalise_doi(entry.get("doi"))
    if doi:
        return doi
    for url in entry.get("urls", []) or []:
        doi = normalise_doi(url)
        if doi:
            return doi
    return None


def _authors(entry: dict[str, Any]) -> list[str]:
    """AU and A1 both name primary authors in RIS, and a record may carry both: the A1
    names that AU does not already hold follow AU's (two authors of one name in AU stay)."""

    def names(key: str) -> list[str]:
        value = entry.get(key) or []
        return [c for n in ([value] if isinstance(value, str) else value) if (c := clean_text(n))]

    authors = names("authors")
    return authors + [a for a in names("first_authors") if a not in authors]


def to_record(block: RisBlock) -> ParsedRecord:
    entry: dict[str, Any] = block.entry or {}
    return ParsedRecord(
        title=clean_text(_first(entry, "title", "primary_title", "short_title")),
        abstract=clean_text(_first(entry, "abstract", "notes_abstract")),
        authors=_authors(entry),
        year=normalise_year(_first(entry, "year", "publication_year", "date")),
        journal=clean_text(
            _first(
                entry,
                "journal_name",
                "secondary_title",
                "alternate_title3",
                "alternate_title1",
                "alternate_title2",
            )
        ),
        doi=_doi(entry),
        pmid=_pmid(entry),
        keywords=split_keywords(entry.get("keywords", [])),
        source_format="ris",
        source_line=block.start_line,
        raw=_plain(entry),
    )


def _plain(entry: dict[str, Any]) -> dict[str, Any]:
    """rispy keeps unknown tags in a defaultdict; make raw JSON-serialisable."""
    unknown = entry.get("unknown_tag")
    if unknown is not None:
        entry = {**entry, "unknown_tag": dict(unknown)}
    return entry


def to_ris(
    records: Iterable[ParsedRecord],
    *,
    notes: Callable[[ParsedRecord], list[str]] | None = None,
) -> str:
    """RIS text for an export; type JOUR, the fields we hold, written by rispy; `notes`
    gives each record's N1 lines (e.g. how it was screened)."""
    entries: list[dict[str, Any]] = []
    for record in records:
        # One line per value: a newline inside a title could otherwise forge a tag.
        entry: dict[str, Any] = {
            "type_of_reference": "JOUR",
            "title": clean_text(record.title),
        }
        authors = [clean_text(a) for a in record.authors if clean_text(a)]
        if authors:
            entry["authors"] = authors
        if record.year is not None:
            entry["year"] = str(record.year)
        optional = {
            "abstract": clean_text(record.abstract),
            "journal_name": clean_text(record.journal),
            "doi": clean_text(record.doi),
        }
        entry.update({k: v for k, v in optional.items() if v})
        if record.keywords:
            entry["keywords"] = [clean_text(k) for k in record.keywords if clean_text(k)]
        if record.pmid:
            entry["accession_number"] = record.pmid
            entry["name_of_database"] = "PubMed"
        if notes is not None:
            lines = [clean_text(n) for n in notes(record) if clean_text(n)]
            if lines:
                entry["notes"] = lines
        entries.append(entry)
    return rispy.dumps(entries)


def wos_to_record(block: RisBlock) -> ParsedRecord:
    """A Web of Science record; WoS names fields differently from RIS (rispy's WoK map)."""
    entry: dict[str, Any] = block.entry or {}
    authors = _first(entry, "author_full_name", "authors") or []
    if isinstance(authors, str):
        authors = [authors]
    keywords = split_keywords(entry.get("author_keywords", "")) + split_keywords(
        entry.get("keywords_plus", "")
    )
    return ParsedRecord(
        title=clean_text(entry.get("document_title")),
        abstract=clean_text(entry.get("abstract")),
        authors=[clean_text(a) for a in authors if clean_text(a)],
        year=normalise_year(_first(entry, "publication_year", "publication_date")),
        journal=clean_text(entry.get("publication_name")),
        doi=normalise_doi(entry.get("doi")),
        pmid=normalise_pmid(entry.get("pubmed_id")),
        keywords=keywords,
        source_format="wos",
        source_line=block.start_line,
        raw=_plain(entry),
    )
