"""Duplicate detection across imports from several databases.

Two stages, cheapest and surest first:

1. identifiers: the same DOI or PMID is the same work ("certain", auto-merge), unless the
   other identifier contradicts it;
2. fuzzy: normalised titles compared with rapidfuzz, only within blocks (same title
   opening or ending tokens, year within one), then checked against year and first-author
   surname. Exact normalised titles with the same year and author are "certain"; the rest
   are "candidate" pairs a reviewer confirms.

Blocking keeps 100,000 records to a few seconds: each record is compared with the few
records sharing a key and a year window, never with all others. A block too large to
compare all its pairs (95,000 look-alike records sharing a year and their first title
words once made a 9 GB score matrix) is compared by sorted neighbourhood instead: its
titles sorted, each against the next ``WINDOW`` ones, so time and memory stay linear.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, is_dataclass
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from .formats.records import ParsedRecord, normalise_doi, normalise_pmid

REASON_DOI = "doi"
REASON_PMID = "pmid"
REASON_TITLE = "title+year+author"
REASON_SUBTITLE = "main title+year+author"
CERTAIN = "certain"
CANDIDATE = "candidate"
# A block whose all-pairs comparison would exceed this many pairs is compared by sorted
# neighbourhood; matrices stay at most this many bytes (uint8 scores), in chunks.
MAX_BLOCK_PAIRS = 4_000_000
WINDOW = 20


@dataclass(frozen=True, slots=True)
class DedupRecord:
    """What duplicate detection needs of a reference; ``id`` is the caller's key."""

    id: Hashable
    title: str
    year: int | None = None
    first_author: str = ""
    doi: str | None = None
    pmid: str | None = None


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    """Two records judged the same work; ``score`` is 0-100, ``status`` certain/candidate."""

    a: Hashable
    b: Hashable
    score: float
    reason: str
    status: str

    @property
    def certain(self) -> bool:
        return self.status == CERTAIN


_TAG = re.compile(r"<[^>]{0,200}>")
_NON_WORD = re.compile(r"[^\w]+")
_UNDERSCORE = re.compile(r"_+")
_SUBTITLE = re.compile(r"[:?]\s|\s[-\u2013\u2014]\s")


def normalise_title(title: str) -> str:
    """Casefold, drop HTML and diacritics, punctuation to spaces, collapse whitespace."""
    text = html.unescape(_TAG.sub(" ", title or ""))
    text = text.casefold()
    if not text.isascii():  # the per-character pass is the slow part; skip it for ASCII
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _UNDERSCORE.sub(" ", _NON_WORD.sub(" ", text))
    return " ".join(text.split())


def main_title(title: str) -> str:
    """Normalised title before its subtitle; some databases drop 'Title: subtitle' parts."""
    head = _SUBTITLE.split(title or "", maxsplit=1)[0]
    return normalise_title(head)


def surname(name: str) -> str:
    """Family name from 'Doe, John', 'John Doe' or PubMed's 'Doe J', normalised."""
    name = (name or "").strip()
    if not name:
        return ""
    if "," in name:
        family = name.split(",", 1)[0]
    else:
        parts = name.split()
        last = parts[-1].replace(".", "")
        initials = len(parts) > 1 and last.isupper() and len(last) <= 3
        family = parts[0] if initials else parts[-1]
    return normalise_title(family).replace(" ", "")


def from_parsed(record_id: Hashable, record: ParsedRecord) -> DedupRecord:
    """Adapter from an imported record."""
    return DedupRecord(
        id=record_id,
        title=record.title,
        year=record.year,
        first_author=record.authors[0] if record.authors else "",
        doi=record.doi,
        pmid=record.pmid,
    )


@dataclass(slots=True)
class _Prepared:
    title: list[str]
    main: list[str]
    year: list[int | None]
    author: list[str]
    doi: list[str | None]
    pmid: list[str | None]


def _prepare(records: Sequence[DedupRecord]) -> _Prepared:
    titles = [normalise_title(r.title) for r in records]
    return _Prepared(
        title=titles,
        main=[
            main_title(r.title) if _SUBTITLE.search(r.title or "") else t
            for r, t in zip(records, titles, strict=True)
        ],
        year=[r.year for r in records],
        author=[surname(r.first_author) for r in records],
        doi=[normalise_doi(r.doi) for r in records],
        pmid=[normalise_pmid(r.pmid) for r in records],
    )


def _conflict(values: list[str | None], i: int, j: int) -> bool:
    return bool(values[i] and values[j] and values[i] != values[j])


def _identifier_pairs(
    p: _Prepared, found: dict[tuple[int, int], DuplicatePair], ids: Sequence[Hashable]
) -> None:
    for reason, values, other in (
        (REASON_DOI, p.doi, p.pmid),
        (REASON_PMID, p.pmid, p.doi),
    ):
        groups: dict[str, list[int]] = defaultdict(list)
        for i, value in enumerate(values):
            if value:
                groups[value].append(i)
        for members in groups.values():
            first = members[0]
            for j in members[1:]:
                key = (first, j)
                if key in found:
                    continue
                status = CANDIDATE if _conflict(other, first, j) else CERTAIN
                found[key] = DuplicatePair(ids[first], ids[j], 100.0, reason, status)


def _block_keys(title: str) -> list[str]:
    """Opening and closing tokens: a variant rarely changes both ends of a title."""
    tokens = title.split()
    if not tokens:
        return []
    keys = ["^" + " ".join(tokens[:2])]
    if len(tokens) > 2:
        keys.append("$" + " ".join(tokens[-2:]))
    return keys


def _blocks(p: _Prepared) -> dict[tuple[str, int | None], list[int]]:
    blocks: dict[tuple[str, int | None], list[int]] = defaultdict(list)
    for i, title in enumerate(p.title):
        for key in _block_keys(title):
            blocks[(key, p.year[i])].append(i)
    return blocks


def _neighbours(
    blocks: Mapping[tuple[str, int | None], list[int]],
    by_name: Mapping[str, list[int]],
    key: tuple[str, int | None],
) -> list[int]:
    """The block itself, the next year's, and for undated records every year's."""
    name, year = key
    if year is None:
        return list(by_name[name])
    return blocks.get((name, year), []) + blocks.get((name, year + 1), [])


def _authors_agree(p: _Prepared, i: int, j: int) -> bool | None:
    """True/False when both surnames are known, None when one is missing."""
    a, b = p.author[i], p.author[j]
    if not a or not b:
        return None
    return a == b or fuzz.ratio(a, b) >= 80


def _judge(p: _Prepared, i: int, j: int, score: float) -> str | None:
    """Status of a title match, or None when year/author/identifiers rule it out."""
    yi, yj = p.year[i], p.year[j]
    if yi is not None and yj is not None and abs(yi - yj) > 1:
        return None
    authors = _authors_agree(p, i, j)
    if authors is False:
        return None
    if _conflict(p.doi, i, j) or _conflict(p.pmid, i, j):
        return CANDIDATE if score >= 97 else None
    exact = score >= 100 and yi == yj and yi is not None and authors is True
    return CERTAIN if exact and len(p.title[i]) >= 30 else CANDIDATE


def _fuzzy_pairs(
    p: _Prepared,
    found: dict[tuple[int, int], DuplicatePair],
    ids: Sequence[Hashable],
    threshold: float,
) -> None:
    blocks = _blocks(p)
    by_name: dict[str, list[int]] = defaultdict(list)
    for (name, _), members in blocks.items():
        by_name[name].extend(members)
    for key, members in blocks.items():
        others = _neighbours(blocks, by_name, key)
        if len(others) < 2:
            continue
        if len(members) * len(others) > MAX_BLOCK_PAIRS:
            scored = _windowed(members, others, p, threshold)
        else:
            scored = _scores([p.title[i] for i in members], members, others, p, threshold)
        for i, j, score in scored:
            pair = (i, j) if i < j else (j, i)
            if i == j or pair in found:
                continue
            status = _judge(p, pair[0], pair[1], score)
            if status is not None:
                found[pair] = DuplicatePair(ids[pair[0]], ids[pair[1]], score, REASON_TITLE, status)


def _scores(
    queries: list[str],
    members: list[int],
    others: list[int],
    p: _Prepared,
    threshold: float,
) -> Iterator[tuple[int, int, float]]:
    """(i, j, ratio) above threshold; most blocks are tiny, where threads cost more than
    they save, so only large blocks go to the multi-threaded cdist."""
    if len(members) * len(others) <= 4096:
        for row, i in enumerate(members):
            for j in others:
                if j == i:
                    continue
                score = fuzz.ratio(queries[row], p.title[j], score_cutoff=threshold)
                if score:
                    yield i, j, float(score)
        return
    matrix = process.cdist(
        queries,
        [p.title[j] for j in others],
        scorer=fuzz.ratio,
        score_cutoff=threshold,
        dtype=np.uint8,
        workers=-1,
    )
    for row, col in zip(*np.nonzero(matrix), strict=True):
        yield members[row], others[col], float(matrix[row, col])


def _windowed(
    members: list[int], others: list[int], p: _Prepared, threshold: float
) -> Iterator[tuple[int, int, float]]:
    """Sorted neighbourhood over an oversized block: near-identical titles sort next to
    each other, so each is compared with the next WINDOW titles only (linear in size)."""
    inside = set(members)
    pool = sorted(set(others) | inside, key=lambda i: p.title[i])
    titles = [p.title[i] for i in pool]
    is_member = np.fromiter((i in inside for i in pool), dtype=bool, count=len(pool))
    for offset in range(1, WINDOW + 1):  # each title against the one `offset` places on
        if offset >= len(pool):
            break
        scores = process.cpdist(
            titles[:-offset],
            titles[offset:],
            scorer=fuzz.ratio,
            score_cutoff=threshold,
            dtype=np.uint8,
            workers=-1,
        )
        hits = np.nonzero((scores > 0) & (is_member[:-offset] | is_member[offset:]))[0]
        for x in hits:
            yield pool[x], pool[x + offset], float(scores[x])


def _subtitle_pairs(
    p: _Prepared, found: dict[tuple[int, int], DuplicatePair], ids: Sequence[Hashable]
) -> None:
    """Same main title, one record without the subtitle: a candidate if the author agrees.

    A dropped subtitle lowers the whole-title ratio far below any safe threshold, so
    these pairs are found by grouping on the main title instead; the author must match
    because short main titles ("Introduction") are shared by unrelated works.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for i, main in enumerate(p.main):
        if len(main.split()) >= 4:
            groups[main].append(i)
    for members in groups.values():
        if len(members) < 2 or len(members) > 50:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if (i, j) in found or p.title[i] == p.title[j]:
                    continue
                if p.title[i] != p.main[i] and p.title[j] != p.main[j]:
                    continue  # both keep a subtitle and the subtitles differ
                year_i, year_j = p.year[i], p.year[j]
                close = year_i is None or year_j is None or abs(year_i - year_j) <= 1
                if close and _authors_agree(p, i, j) and not _conflict(p.doi, i, j):
                    score = float(fuzz.token_set_ratio(p.title[i], p.title[j]))
                    found[(i, j)] = DuplicatePair(ids[i], ids[j], score, REASON_SUBTITLE, CANDIDATE)


def find_duplicates(
    records: Sequence[DedupRecord], *, threshold: float = 90.0
) -> list[DuplicatePair]:
    """Pairs of records that are the same work, identifiers first, then fuzzy titles.

    ``threshold`` is the minimum rapidfuzz ratio (0-100) of normalised titles for a
    candidate pair. Pairs are reported once, in input order (a before b).
    """
    ids = [r.id for r in records]
    prepared = _prepare(records)
    found: dict[tuple[int, int], DuplicatePair] = {}
    _identifier_pairs(prepared, found, ids)
    _fuzzy_pairs(prepared, found, ids, threshold)
    _subtitle_pairs(prepared, found, ids)
    return [found[key] for key in sorted(found)]


def clusters(pairs: Iterable[DuplicatePair]) -> list[set[Hashable]]:
    """Connected groups of duplicates (A=B and B=C make one work), for merging."""
    parent: dict[Hashable, Hashable] = {}

    def root(x: Hashable) -> Hashable:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in pairs:
        parent[root(pair.a)] = root(pair.b)
    groups: dict[Hashable, set[Hashable]] = defaultdict(set)
    for x in list(parent):
        groups[root(x)].add(x)
    return [g for g in groups.values() if len(g) > 1]


# --- merging --------------------------------------------------------------------

_TEXT_FIELDS = ("title", "abstract", "journal")
_ID_FIELDS = ("doi", "pmid", "year")


def _as_dict(record: ParsedRecord | Mapping[str, Any]) -> dict[str, Any]:
    if is_dataclass(record) and not isinstance(record, type):
        return asdict(record)
    return dict(record)


def _completeness(record: Mapping[str, Any]) -> int:
    return sum(1 for key in (*_TEXT_FIELDS, *_ID_FIELDS, "authors", "keywords") if record.get(key))


@dataclass(slots=True)
class _Merge:
    merged: dict[str, Any] = field(default_factory=dict)
    conflicts: dict[str, list[Any]] = field(default_factory=dict)


def merge_records(
    records: Sequence[ParsedRecord | Mapping[str, Any]],
) -> dict[str, Any]:
    """One reference from duplicates, losing nothing.

    Texts take the longest value (an abstract cut short by one database loses to the
    full one); identifiers and year come from the most complete record; authors from
    the longest list; keywords are the union. Disagreeing values are listed under
    ``conflicts`` and every source record is kept under ``sources``.
    """
    rows = sorted((_as_dict(r) for r in records), key=_completeness, reverse=True)
    state = _Merge()
    for key in _TEXT_FIELDS:
        values = [r.get(key) for r in rows if r.get(key)]
        state.merged[key] = max(values, key=lambda v: len(str(v))) if values else ""
    for key in _ID_FIELDS:
        values = [r.get(key) for r in rows if r.get(key) not in (None, "")]
        state.merged[key] = values[0] if values else None
        distinct = list(dict.fromkeys(values))
        if len(distinct) > 1:
            state.conflicts[key] = distinct
    author_lists = [list(r.get("authors") or []) for r in rows]
    state.merged["authors"] = max(author_lists, key=len) if author_lists else []
    keywords: dict[str, str] = {}
    for r in rows:
        for k in r.get("keywords") or []:
            keywords.setdefault(k.casefold(), k)
    state.merged["keywords"] = list(keywords.values())
    state.merged["conflicts"] = state.conflicts
    state.merged["sources"] = rows
    return state.merged
