"""The statute exception: a quoted passage that cites a law is left alone.

Rule (documented in README.md of this package):

1. A *quotation* is text between a pair of double quotation marks on the same
   paragraph: "...", “...”, ”...” (Swedish), „...“, «...», »...« or »...».
   Single quotes are not quotations (they collide with apostrophes).
2. A quotation *cites a law* when a legal citation (``rules.LEGAL_CITATION``: SFS number,
   "6 kap. 9 §", "brottsbalken"/"BrB", bill or EU act number, article/section number,
   Optional Protocol, Lanzarote Convention) occurs in the same paragraph inside the
   quotation or within ``WINDOW`` characters after the closing or before the opening mark.
3. A Markdown block quotation (lines starting with ``>``) whose text contains a legal
   citation is a legal quotation as a whole -- that is how an editor marks a longer
   statute extract.

A term found inside such a quotation is not reported. Elsewhere the term is reported
as usual, even in the same sentence.
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import Final

from .rules import LEGAL_CITATION

WINDOW: Final = 120
_BLANK_LINE: Final = re.compile(r"\n[^\S\n]*\n")
_QUOTE: Final = re.compile(
    r'"[^"]{1,400}?"|[“„][^“”„]{1,400}?[”“]|”[^“”]{1,400}?”'
    r"|«[^«»]{1,400}?»|»[^«»]{1,400}?[«»]"
)
_BLOCKQUOTE_LINE: Final = re.compile(r"^[^\S\n]{0,3}>.*$", re.MULTILINE)


class LegalContext:
    """Per-text lazy index: only built when a term was found, so clean text costs nothing."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._breaks: list[int] | None = None
        self._legal_spans: list[tuple[int, int]] | None = None
        self._quotes: list[tuple[int, int, bool]] | None = None
        self._quote_starts: list[int] = []

    def paragraph(self, pos: int) -> tuple[int, int]:
        if self._breaks is None:
            self._breaks = [m.end() for m in _BLANK_LINE.finditer(self._text)]
        i = bisect.bisect_right(self._breaks, pos)
        start = self._breaks[i - 1] if i else 0
        end = self._breaks[i] if i < len(self._breaks) else len(self._text)
        return start, end

    def exempt(self, start: int, end: int) -> bool:
        return self._in_cited_quotation(start, end) or self._in_legal_blockquote(start, end)

    def _in_cited_quotation(self, start: int, end: int) -> bool:
        """Quotations are found once per text (linear); each hit then bisects into them.
        Scanning the paragraph's quotations per hit was quadratic on a text of one long
        paragraph full of hits (11,000 hits: 50 s)."""
        if self._quotes is None:
            self._quotes = self._all_quotes()
            self._quote_starts = [q[0] for q in self._quotes]
        i = bisect.bisect_left(self._quote_starts, start) - 1
        if i < 0:
            return False
        q_start, q_end, cited = self._quotes[i]
        return q_start < start and end < q_end and cited

    def _all_quotes(self) -> list[tuple[int, int, bool]]:
        """(start, end, cites a law) of every quotation, paragraph by paragraph."""
        text = self._text
        self.paragraph(0)
        bounds = [0, *(self._breaks or []), len(text)]
        quotes: list[tuple[int, int, bool]] = []
        for p_start, p_end in itertools.pairwise(bounds):
            for q in _QUOTE.finditer(text, p_start, p_end):
                window = text[max(p_start, q.start() - WINDOW) : min(p_end, q.end() + WINDOW)]
                quotes.append((q.start(), q.end(), bool(LEGAL_CITATION.search(window))))
        return quotes

    def _in_legal_blockquote(self, start: int, end: int) -> bool:
        if self._legal_spans is None:
            self._legal_spans = self._legal_blockquotes()
        return any(s <= start and end <= e for s, e in self._legal_spans)

    def _legal_blockquotes(self) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for m in _BLOCKQUOTE_LINE.finditer(self._text):
            if spans and self._text[spans[-1][1] : m.start()] == "\n":
                spans[-1] = (spans[-1][0], m.end())
            else:
                spans.append((m.start(), m.end()))
        return [(s, e) for s, e in spans if LEGAL_CITATION.search(self._text, s, e)]
