"""PubMed/MEDLINE tagged format (.nbib, PubMed 'Save > PubMed format' .txt).

Hand-parsed on purpose: the ``nbib`` package on PyPI was last released in 2021 and
reports no line numbers; Biopython's ``Bio.Medline`` is maintained but pulls in all of
Biopython for ~40 lines of logic and also loses line numbers, which our
all-or-nothing import needs for its error messages. The format is simple: a tag of up
to four characters padded to four, '- ', a value; continuation lines are indented by
six spaces; records are separated by blank lines and start with PMID.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .records import (
    ImportFormatError,
    ParsedRecord,
    clean_text,
    gettext_noop,
    normalise_doi,
    normalise_pmid,
    normalise_year,
)

_TAG = re.compile(r"^[A-Z][A-Z0-9]{1,3} *$")


@dataclass(slots=True)
class MedlineBlock:
    start_line: int
    number: int
    # (tag, parts): a value's continuation lines are collected and joined once, in
    # to_record; joining line by line is quadratic in the value's length.
    fields: list[tuple[str, list[str]]] = field(default_factory=list)


def _close(current: MedlineBlock | None, result: list[MedlineBlock]) -> None:
    if current is not None and current.fields:
        result.append(current)


def blocks(text: str) -> list[MedlineBlock]:
    result: list[MedlineBlock] = []
    current: MedlineBlock | None = None
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            _close(current, result)
            current = None
            continue
        if line.startswith("      ") or (line[:1] == " " and current is not None):
            if current is None or not current.fields:
                raise ImportFormatError(
                    line=lineno,
                    record=len(result) + 1,
                    reason=gettext_noop("continuation line outside a MEDLINE record"),
                )
            current.fields[-1][1].append(line.strip())
            continue
        if line[4:5] != "-" or not _TAG.match(line[:4]):
            raise ImportFormatError(
                line=lineno,
                record=len(result) + 1,
                reason=gettext_noop("not a MEDLINE line (expected 'TAG - value')"),
            )
        if current is None:
            current = MedlineBlock(lineno, len(result) + 1)
        current.fields.append((line[:4].strip(), [line[6:].strip()]))
    _close(current, result)
    if not result:
        raise ImportFormatError(line=1, record=0, reason=gettext_noop("no MEDLINE record"))
    return result


def _ids(values: list[str]) -> str | None:
    """LID/AID values look like '10.1000/xyz [doi]' or 'S0140-6736(19)3 [pii]'."""
    for value in values:
        if value.rstrip().endswith("[doi]"):
            doi = normalise_doi(value.rsplit("[", 1)[0])
            if doi:
                return doi
    return None


def to_record(block: MedlineBlock) -> ParsedRecord:
    raw: dict[str, list[str]] = {}
    for tag, parts in block.fields:
        raw.setdefault(tag, []).append(" ".join(parts))

    def first(*tags: str) -> str:
        for tag in tags:
            if raw.get(tag):
                return raw[tag][0]
        return ""

    return ParsedRecord(
        title=clean_text(first("TI", "BTI")),
        abstract=clean_text(first("AB")),
        authors=[clean_text(a) for a in raw.get("FAU") or raw.get("AU") or []],
        year=normalise_year(first("DP", "DEP", "EDAT")),
        journal=clean_text(first("JT", "TA")),
        doi=_ids(raw.get("LID", []) + raw.get("AID", [])),
        pmid=normalise_pmid(first("PMID")),
        keywords=[clean_text(k) for k in raw.get("OT", []) + raw.get("MH", [])],
        source_format="pubmed",
        source_line=block.start_line,
        raw=raw,
    )
