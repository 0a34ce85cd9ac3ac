"""BibTeX import through bibtexparser v2.

bibtexparser v2 is fault-tolerant: a block it cannot parse (for example unbalanced
braces) lands in ``library.failed_blocks`` and the rest of the file still parses. An
import must be all-or-nothing, so any such block becomes an ImportFormatError naming
its line. Duplicate citation keys are not errors here: merged exports from several
tools often reuse keys, and duplicate detection deals with true duplicates later.
"""

from __future__ import annotations

from typing import Any

import bibtexparser
from bibtexparser import middlewares as mw
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    MiddlewareErrorBlock,
)

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

_TOLERATED = (DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, MiddlewareErrorBlock)


def _reason(block: Any) -> str:
    error = getattr(block, "error", None)
    text = str(getattr(error, "abort_reason", "") or error or "")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    detail = lines[-1] if lines else "syntax error"
    return detail


def blocks(text: str) -> list[Entry]:
    library = bibtexparser.parse_string(
        text, append_middleware=[mw.LatexDecodingMiddleware(), mw.SeparateCoAuthors()]
    )
    entries: list[Entry] = list(library.entries)
    for failed in library.failed_blocks:
        inner = failed.ignore_error_block
        if isinstance(failed, _TOLERATED) and isinstance(inner, Entry):
            entries.append(inner)
            continue
        raise ImportFormatError(
            line=(failed.start_line or 0) + 1,
            record=0,
            reason=gettext_noop(
                "BibTeX block cannot be parsed (%(detail)s); check for unbalanced braces"
            ),
            params={"detail": _reason(failed)},
        )
    entries.sort(key=lambda e: e.start_line or 0)
    if not entries:
        raise ImportFormatError(
            line=1, record=0, reason=gettext_noop("no BibTeX entry (no '@type{')")
        )
    return entries


def _value(entry: Entry, key: str) -> Any:
    field = entry.fields_dict.get(key)
    return field.value if field is not None else None


def _authors(value: Any) -> list[str]:
    names = value if isinstance(value, list) else [value] if value else []
    return [clean_text(n).replace("{", "").replace("}", "") for n in names if clean_text(n)]


def _text(value: Any) -> str:
    """LaTeX decoding leaves protective braces in some values ({W}orld); drop them."""
    return clean_text(value).replace("{", "").replace("}", "")


def to_record(entry: Entry) -> ParsedRecord:
    fields = {f.key.lower(): f.value for f in entry.fields}
    return ParsedRecord(
        title=_text(fields.get("title")),
        abstract=_text(fields.get("abstract")),
        authors=_authors(fields.get("author")),
        year=normalise_year(fields.get("year") or fields.get("date")),
        journal=_text(
            fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle")
        ),
        doi=normalise_doi(fields.get("doi")) or normalise_doi(fields.get("url")),
        pmid=normalise_pmid(fields.get("pmid")),
        keywords=split_keywords(
            [k for k in str(fields.get("keywords") or "").split(",")]
            if ";" not in str(fields.get("keywords") or "")
            else fields.get("keywords")
        ),
        source_format="bibtex",
        source_line=(entry.start_line or 0) + 1,
        raw={
            "entry_type": entry.entry_type,
            "key": entry.key,
            **{k: v if isinstance(v, (str, list)) else str(v) for k, v in fields.items()},
        },
    )
