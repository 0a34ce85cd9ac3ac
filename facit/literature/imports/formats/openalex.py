"""OpenAlex works JSON: a list of work objects, or an API page ``{"results": [...]}``.

OpenAlex ships abstracts only as an inverted index (word -> positions) for licensing
reasons; we rebuild the text by placing every word at its positions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .records import (
    ImportFormatError,
    ParsedRecord,
    clean_text,
    gettext_noop,
    normalise_doi,
    normalise_pmid,
    normalise_year,
)


@dataclass(slots=True)
class Work:
    index: int
    line: int
    data: dict[str, Any]


def _load(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            line=exc.lineno,
            record=0,
            reason=gettext_noop("invalid JSON: %(detail)s"),
            params={"detail": exc.msg},
        ) from exc
    except RecursionError as exc:
        raise ImportFormatError(
            line=1, record=0, reason=gettext_noop("JSON nested too deeply")
        ) from exc


def _work_lines(text: str, count: int) -> list[int]:
    """Approximate start line of each work: JSON keeps no positions, so fall back to
    lines holding an '"id": "https://openalex.org/' key when there is one per work."""
    lines = [
        i for i, line in enumerate(text.split("\n"), 1) if '"id": "https://openalex.org/W' in line
    ]
    return lines if len(lines) == count else [1] * count


def blocks(text: str) -> list[Work]:
    data = _load(text)
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    elif (isinstance(data, dict) and "title" in data) or (
        isinstance(data, dict) and "display_name" in data
    ):
        data = [data]
    if not isinstance(data, list) or not data:
        raise ImportFormatError(
            line=1,
            record=0,
            reason=gettext_noop('expected a list of OpenAlex works or {"results": [...]}'),
        )
    lines = _work_lines(text, len(data))
    works: list[Work] = []
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            raise ImportFormatError(
                line=lines[i], record=i + 1, reason=gettext_noop("work is not a JSON object")
            )
        works.append(Work(i + 1, lines[i], item))
    return works


def abstract_from_inverted_index(index: object) -> str:
    if not isinstance(index, dict):
        return ""
    placed: dict[int, str] = {}
    for word, positions in index.items():
        if isinstance(positions, list):
            for pos in positions:
                if isinstance(pos, int) and not isinstance(pos, bool) and 0 <= pos < 1_000_000:
                    placed[pos] = str(word)
    return " ".join(placed[p] for p in sorted(placed))


def _authors(work: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for authorship in work.get("authorships") or []:
        if not isinstance(authorship, dict):
            continue
        author = authorship.get("author")
        name = author.get("display_name") if isinstance(author, dict) else None
        name = name or authorship.get("raw_author_name")
        if isinstance(name, str) and name.strip():
            names.append(clean_text(name))
    return names


def _journal(work: dict[str, Any]) -> str:
    location = work.get("primary_location")
    source = location.get("source") if isinstance(location, dict) else None
    name = source.get("display_name") if isinstance(source, dict) else None
    return clean_text(name) if isinstance(name, str) else ""


def _pmid(work: dict[str, Any]) -> str | None:
    ids = work.get("ids")
    value = ids.get("pmid") if isinstance(ids, dict) else None
    if isinstance(value, str):
        value = value.rstrip("/").rsplit("/", 1)[-1]
    return normalise_pmid(value)


def _keywords(work: dict[str, Any]) -> list[str]:
    result: list[str] = []
    for item in work.get("keywords") or []:
        name = item.get("display_name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            result.append(clean_text(name))
    return result


def to_record(work: Work) -> ParsedRecord:
    data = work.data
    ids = data.get("ids") if isinstance(data.get("ids"), dict) else {}
    return ParsedRecord(
        title=clean_text(data.get("title") or data.get("display_name")),
        abstract=abstract_from_inverted_index(data.get("abstract_inverted_index")),
        authors=_authors(data),
        year=normalise_year(data.get("publication_year") or data.get("publication_date")),
        journal=_journal(data),
        doi=normalise_doi(data.get("doi")) or normalise_doi((ids or {}).get("doi")),
        pmid=_pmid(data),
        keywords=_keywords(data),
        source_format="openalex",
        source_line=work.line,
        raw=data,
    )
