"""Compile the terminology into one regular expression per language and scan text with it.

Why one regex: Python's ``re`` scans in C, so a single alternation over all terms of a
language checks a 20-page document in a few milliseconds; per-word Python work (e.g.
stemming every token) would be ten times slower. Stemming is used at compile time to
derive patterns, and at match time only to confirm the rare candidate hits.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

import snowballstemmer

from .data import DEFAULT_PATH, LANGS, Entry, Lang, Severity, Terminology, load_terminology
from .errors import TerminologyError
from .legal import LegalContext

_SV_STEMMER: Final = snowballstemmer.stemmer("swedish")
_STEMMER_LOCK: Final = threading.Lock()  # a snowball stemmer keeps state between calls


@lru_cache(maxsize=4096)
def _sv_stem(word: str) -> str:
    """Cached: the same few words recur on every hit, and stemming is pure Python."""
    with _STEMMER_LOCK:
        return str(_SV_STEMMER.stemWord(word))


# Between the words of a phrase: spaces/tabs, one line break (also inside a Markdown
# block quotation, "> "), or a hyphen -- never a blank line (a paragraph break) or
# punctuation, which would join words across sentences.
_SEP: Final = r"(?:[^\S\n]+|[^\S\n]*[\n\-\u2010\u2011][^\S\n]*(?:>[^\S\n]*)*)"
# English plural and possessive on the last word: -s, -es, -'s, -’s, and plural -s'.
_EN_TAIL: Final = r"(?:e?s)?(?:['’]s\b|(?<=s)['’](?=\s))?"


@dataclass(frozen=True, slots=True)
class Finding:
    """A term to avoid or review; ``start``/``end`` index the text given to ``check``."""

    term: str
    start: int
    end: int
    severity: Severity
    prefer: list[str]
    why: str
    entry_id: str


@dataclass(frozen=True, slots=True)
class _Variant:
    entry: Entry
    term: str
    stems: tuple[str, ...]  # Swedish phrase: stem of each word, confirmed on a hit
    compound: bool  # Swedish single word: matched anywhere inside a word


def _words(term: str) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", term) if w]


# Trie atoms: one literal character, or a marker for a pattern piece.
_SEP_ATOM: Final = "\x00sep"
_STEM_END: Final = "\x00stem"  # the rest of a Swedish word after its stem
_ATOM_PATTERN: Final = {_SEP_ATOM: _SEP, _STEM_END: r"\w*"}
Key = tuple[str, ...]


def _en_keys(term: str) -> list[Key]:
    # British "-our" also matches American "-or" (behaviour/behavior): spelling, not a term.
    spellings = {term, re.sub(r"our\b", "or", term)}
    return [_join([tuple(w) for w in _words(t)]) for t in sorted(spellings)]


def _sv_key(term: str) -> tuple[Key, tuple[str, ...]]:
    """A single word matches as a stem anywhere in a word, so compounds with the term as
    head (internetbarnporr) or modifier (barnporrbilder) and inflections all match; the hit
    is then widened to the whole word. Each word of a phrase is its stem plus any ending,
    confirmed on a hit by stemming the text's word (so "sex" never matches "sexuell")."""
    stems = tuple(_sv_stem(w) for w in _words(term))
    if len(stems) == 1:
        return tuple(stems[0]), stems
    return _join([(*tuple(s), _STEM_END) for s in stems]), stems


def _join(words: list[Key]) -> Key:
    out: list[str] = []
    for i, word in enumerate(words):
        if i:
            out.append(_SEP_ATOM)
        out.extend(word)
    return tuple(out)


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    group: str | None = None  # set where a term ends


class _Trie:
    """Terms merged by shared prefix, so the regex engine tries one branch per letter.

    A plain alternation of 40 terms costs ~40 attempts at every word start (~190 ms on
    20 pages); the trie costs about one, and still reports which term matched through
    an empty named group at each term's end (``Match.lastgroup``).
    """

    def __init__(self, tail: str) -> None:
        self.root = _Node()
        self._tail = tail

    def add(self, key: Key, group: str) -> None:
        node = self.root
        for atom in key:
            node = node.children.setdefault(atom, _Node())
        node.group = node.group or group  # the first variant with this key names it

    def pattern(self) -> str:
        return self._node(self.root)

    def _node(self, node: _Node) -> str:
        # Continuations before the end, so the longest term wins at one position.
        alts = [self._atom(a) + self._node(child) for a, child in node.children.items()]
        if node.group:
            alts.append(f"(?P<{node.group}>){self._tail}")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    @staticmethod
    def _atom(atom: str) -> str:
        return _ATOM_PATTERN.get(atom) or re.escape(atom)


class Checker:
    """All terms of one language, compiled; build it once (``checker_for``) and reuse."""

    def __init__(self, terminology: Terminology, lang: Lang) -> None:
        self.lang = lang
        self._statutory = tuple(n.lower() for n in terminology.statutory_names.get(lang, ()))
        self._groups: dict[str, list[_Variant]] = {}
        self._keys: dict[Key, str] = {}
        entries = terminology.for_lang(lang)
        self._regex = self._compile(entries)
        self._entry_regex = {e.id: self._compile((e,)) for e in entries}

    def _compile(self, entries: tuple[Entry, ...]) -> re.Pattern[str]:
        word = _Trie(tail=_EN_TAIL + r"(?!\w)" if self.lang == "en" else r"(?!\w)")
        compound = _Trie(tail="")
        for entry in entries:
            for term in entry.avoid:
                stems: tuple[str, ...]
                if self.lang == "en":
                    keys, stems, trie = _en_keys(term), (), word
                else:
                    key, stems = _sv_key(term)
                    keys, trie = [key], compound if len(stems) == 1 else word
                variant = _Variant(entry, term, stems, trie is compound)
                for key in keys:
                    group = self._group_for(key, variant)
                    trie.add(key, group)
        parts = []
        if word.root.children:
            parts.append(r"(?<!\w)" + word.pattern())
        if compound.root.children:
            parts.append(compound.pattern())
        return re.compile("|".join(parts), re.IGNORECASE)

    def _group_for(self, key: Key, variant: _Variant) -> str:
        """Variants that share a key (skadar/skada share a stem) share one group."""
        group = self._keys.setdefault(key, f"g{len(self._keys)}")
        self._groups.setdefault(group, [])
        if variant not in self._groups[group]:
            self._groups[group].append(variant)
        return group

    def check(self, text: str) -> list[Finding]:
        findings: list[Finding] = []
        legal: LegalContext | None = None
        pos = 0
        while (m := self._regex.search(text, pos)) is not None:
            hit = self._confirm(text, m)
            if hit is None:  # e.g. "sex" + "ualundervisning": retry just after this start
                pos = m.start() + 1
                continue
            variant, start, end = hit
            pos = max(m.end(), end)  # a widened compound is consumed whole
            legal = legal or LegalContext(text)
            if legal.exempt(start, end):
                continue
            findings.append(self._finding(variant, start, end))
            findings.extend(self._nested(text, variant.entry.id, start, end, legal))
        findings.sort(key=lambda f: (f.start, f.end, f.entry_id))
        return findings

    def _nested(
        self, text: str, entry_id: str, start: int, end: int, legal: LegalContext
    ) -> list[Finding]:
        """Terms of other entries inside a longer hit ("sugardejting" in a self-harm phrase)."""
        found: list[Finding] = []
        for other_id, regex in self._entry_regex.items():
            if other_id == entry_id:
                continue
            for m in regex.finditer(text, start, end):
                hit = self._confirm(text, m)
                if hit and not legal.exempt(hit[1], hit[2]):
                    found.append(self._finding(*hit))
        return found

    def _confirm(self, text: str, m: re.Match[str]) -> tuple[_Variant, int, int] | None:
        group = m.lastgroup
        if group is None:  # pragma: no cover - every alternative is a named group
            return None
        variant = self._pick(self._groups[group], m.group())
        start, end = m.span()
        if variant.compound:
            start, end = _widen_to_word(text, start, end)
            if any(name in text[start:end].lower() for name in self._statutory):
                return None
        elif variant.stems and not self._stems_agree(m.group(), variant.stems):
            return None
        return variant, start, end

    @staticmethod
    def _pick(variants: list[_Variant], matched: str) -> _Variant:
        """Among variants sharing a pattern, prefer the one spelled as in the text."""
        words = _words(matched.lower())
        return next((v for v in variants if _words(v.term) == words), variants[0])

    @staticmethod
    def _stems_agree(matched: str, stems: tuple[str, ...]) -> bool:
        words = _words(matched.lower())
        return len(words) == len(stems) and all(
            _sv_stem(w) == s for w, s in zip(words, stems, strict=True)
        )

    @staticmethod
    def _finding(variant: _Variant, start: int, end: int) -> Finding:
        entry = variant.entry
        return Finding(
            term=variant.term,
            start=start,
            end=end,
            severity=entry.severities[variant.term],
            prefer=list(entry.prefer),
            why=entry.why,
            entry_id=entry.id,
        )


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _widen_to_word(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a match to its whole word, across hyphens inside a compound (barnporr-bilder)."""
    while start > 0 and (
        _is_word_char(text[start - 1])
        or (text[start - 1] == "-" and start > 1 and _is_word_char(text[start - 2]))
    ):
        start -= 1
    n = len(text)
    while end < n and (
        _is_word_char(text[end])
        or (text[end] == "-" and end + 1 < n and _is_word_char(text[end + 1]))
    ):
        end += 1
    return start, end


@lru_cache(maxsize=16)
def checker_for(lang: Lang, terminology: Terminology | None = None) -> Checker:
    """One compiled checker per language (and per data set, for tests with custom data)."""
    return Checker(terminology or load_terminology(DEFAULT_PATH), lang)


def check(text: str, *, lang: Lang, terminology: Terminology | None = None) -> list[Finding]:
    """Report terms to avoid or review in ``text``, with offsets into ``text``."""
    if lang not in LANGS:
        raise TerminologyError("lang", f"must be one of {LANGS}, got {lang!r}")
    if not isinstance(text, str):
        raise TerminologyError("text", f"must be str, got {type(text).__name__}")
    return checker_for(lang, terminology).check(text)
