"""What changed between two versions of a document, and which change answers a comment.

Paragraphs are aligned first, then sentences inside the paragraphs that differ (a unit
never spans two paragraphs). Both are compared as the plain text a reader sees plus link
targets, so a changed URL counts as a change but re-wrapping a paragraph does not.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, Literal

from .errors import GuidanceTextError
from .render import Block, blocks, sanitize

ChangeKind = Literal["added", "removed", "changed"]

# A sentence ends at . ! ? or … (plus closing quotes/brackets) before a capital letter,
# an opening quote or bracket. "16 kap. 10 a §" and "t.ex. att" are not split.
_SENTENCE_END: Final = re.compile(r"(?<=[.!?…])[\"”’»)\]]*\s+(?=[A-ZÅÄÖÉÜ\"“”«»(\[])")
_WORDS: Final = re.compile(r"\s+|\w+|[^\w\s]")
_PAIR_RATIO: Final = 0.5  # below this, a replaced sentence is a removal plus an addition
_MIN_SHARED: Final = 15  # characters a partial quote must share with a change


@dataclass(frozen=True, slots=True)
class Change:
    """One added, removed or changed passage.

    ``section_anchor`` is where the passage lives now (for a removal: where it lived);
    ``old_section_anchor`` is where it lived in the old version ("" for an addition), so
    a comment anchored in the old version can find it even if its heading was renamed.
    """

    kind: ChangeKind
    section_anchor: str
    old_text: str
    new_text: str
    old_section_anchor: str = ""


@dataclass(frozen=True, slots=True)
class _Unit:
    anchor: str
    text: str
    key: str
    block: int
    hrefs: tuple[str, ...] = ()


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _sentences(block: Block) -> Iterator[tuple[str, list[str]]]:
    if block.kind != "paragraph":
        yield block.text, [href for _, href in block.links]
        return
    start = 0
    ends = [m.start() for m in _SENTENCE_END.finditer(block.text)] + [len(block.text)]
    for end in ends:
        sentence = block.text[start:end].strip()
        hrefs = [href for pos, href in block.links if start <= pos < end]
        if sentence:
            yield sentence, hrefs
        start = end


def _units(markdown: str) -> list[tuple[tuple[str, ...], list[_Unit]]]:
    """Per block: a key for the whole block, and its sentence units."""
    out = []
    for index, block in enumerate(blocks(markdown)):
        units = []
        for sentence, hrefs in _sentences(block):
            key = " ".join([_norm(sentence), *hrefs])
            units.append(_Unit(block.anchor, sentence, key, index, tuple(hrefs)))
        out.append(((block.kind, *(u.key for u in units)), units))
    return out


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _pair(old: list[_Unit], new: list[_Unit]) -> Iterator[tuple[_Unit | None, _Unit | None]]:
    """Pair replaced units in order by similarity; the unpaired are removals/additions."""
    j = 0
    for o in old:
        scores = [(_ratio(o.key, n.key), k) for k, n in enumerate(new[j:], start=j)]
        best = max(scores, default=(0.0, -1))
        if best[0] < _PAIR_RATIO:
            yield o, None
            continue
        for n in new[j : best[1]]:
            yield None, n
        yield o, new[best[1]]
        j = best[1] + 1
    for n in new[j:]:
        yield None, n


def _with_links(old: _Unit, new: _Unit) -> tuple[str, str]:
    """When only a link target changed, show the targets, or the change looks empty."""
    if _norm(old.text) != _norm(new.text):
        return old.text, new.text

    def show(unit: _Unit) -> str:
        return f"{unit.text} [{' '.join(unit.hrefs)}]" if unit.hrefs else unit.text

    return show(old), show(new)


def _raw_changes(
    old: list[tuple[tuple[str, ...], list[_Unit]]], new: list[tuple[tuple[str, ...], list[_Unit]]]
) -> Iterator[tuple[Change, int]]:
    """Paragraphs first, then sentences inside the differing stretch only.

    Two levels keep a sentence change inside its paragraph and keep difflib's work small:
    one pass over whole documents' sentences costs ~10x more on a 20-page document.
    """
    blocks_matcher = difflib.SequenceMatcher(
        None, [k for k, _ in old], [k for k, _ in new], autojunk=False
    )
    for tag, i1, i2, j1, j2 in blocks_matcher.get_opcodes():
        if tag != "equal":
            old_units = [u for _, units in old[i1:i2] for u in units]
            new_units = [u for _, units in new[j1:j2] for u in units]
            yield from _unit_changes(old_units, new_units)


def _unit_changes(old: list[_Unit], new: list[_Unit]) -> Iterator[tuple[Change, int]]:
    matcher = difflib.SequenceMatcher(
        None, [u.key for u in old], [u.key for u in new], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for o, n in _pair(old[i1:i2], new[j1:j2]):
            if o and n:
                old_text, new_text = _with_links(o, n)
                yield Change("changed", n.anchor, old_text, new_text, o.anchor), -1
            elif o:
                yield Change("removed", o.anchor, o.text, "", o.anchor), o.block
            elif n:
                yield Change("added", n.anchor, "", n.text, ""), n.block


def diff_versions(old_md: str, new_md: str) -> list[Change]:
    """Changes at sentence level; a wholly added or removed paragraph is one change."""
    merged: list[Change] = []
    last_block = -1
    for change, block in _raw_changes(_units(old_md), _units(new_md)):
        prev = merged[-1] if merged else None
        if prev and block >= 0 and block == last_block and prev.kind == change.kind:
            merged[-1] = Change(
                prev.kind,
                prev.section_anchor,
                f"{prev.old_text} {change.old_text}".strip(),
                f"{prev.new_text} {change.new_text}".strip(),
                prev.old_section_anchor,
            )
        else:
            merged.append(change)
        last_block = block
    return merged


def _word_diff(old: str, new: str) -> str:
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(html.escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{html.escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{html.escape(''.join(b[j1:j2]))}</ins>")
    return "".join(out)


def _link_diff(old: Block, new: Block) -> str:
    old_hrefs = [href for _, href in old.links]
    new_hrefs = [href for _, href in new.links]
    if old_hrefs == new_hrefs:
        return ""
    gone = " ".join(html.escape(h) for h in old_hrefs if h not in new_hrefs)
    came = " ".join(html.escape(h) for h in new_hrefs if h not in old_hrefs)
    return f" [links: <del>{gone}</del> <ins>{came}</ins>]"


def _element(block: Block, inner: str, *, with_id: bool = True) -> str:
    if block.kind == "heading":
        anchor = f' id="{html.escape(block.anchor)}"' if with_id else ""
        return f"<h{block.level}{anchor}>{inner}</h{block.level}>"
    if block.kind == "code":
        return f"<pre><code>{inner}</code></pre>"
    return f"<p>{inner}</p>"


def _block_key(block: Block) -> str:
    return " ".join([block.kind, _norm(block.text), *(href for _, href in block.links)])


def diff_html(old_md: str, new_md: str) -> str:
    """The new version as blocks, with removed text in <del> and added text in <ins>.

    Lists and tables are flattened to paragraphs/rows: the page is about what changed,
    the rendered version is one click away. Output passes the same sanitiser as render().
    """
    old, new = blocks(old_md), blocks(new_md)
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(
        None, [_block_key(b) for b in old], [_block_key(b) for b in new], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.extend(_element(b, html.escape(b.text)) for b in new[j1:j2])
            continue
        for o, n in _pair_blocks(old[i1:i2], new[j1:j2]):
            if o and n:
                parts.append(_element(n, _word_diff(o.text, n.text) + _link_diff(o, n)))
            elif o:
                parts.append(_element(o, f"<del>{html.escape(o.text)}</del>", with_id=False))
            elif n:
                parts.append(_element(n, f"<ins>{html.escape(n.text)}</ins>"))
    return sanitize("\n".join(parts))


def _pair_blocks(old: list[Block], new: list[Block]) -> Iterator[tuple[Block | None, Block | None]]:
    as_units = [_Unit(b.anchor, b.text, _block_key(b), i) for i, b in enumerate(old)]
    new_units = [_Unit(b.anchor, b.text, _block_key(b), i) for i, b in enumerate(new)]
    for o, n in _pair(as_units, new_units):
        yield (old[o.block] if o else None), (new[n.block] if n else None)


def _shared(quote: str, text: str) -> float:
    """How much of the shorter string the longest common run covers (0..1), 0 if tiny."""
    if not quote or not text:
        return 0.0
    shorter = min(len(quote), len(text))
    match = difflib.SequenceMatcher(None, quote, text, autojunk=False).find_longest_match()
    if match.size == shorter:
        return 1.0
    return match.size / shorter if match.size >= _MIN_SHARED else 0.0


def changes_touching(changes: list[Change], anchor: str, quote: str) -> list[Change]:
    """Changes that touch a commented passage, best first, so an answer can link to one.

    A removed or changed passage touches the comment when it shares text with the quote
    (the quote inside the passage, the passage inside the quote, or a run of at least
    15 characters covering 30 % of the shorter). Additions have no old text; those in
    the commented section are offered after the direct hits. An empty quote means the
    comment is on the whole section: every change in it touches.
    """
    if not isinstance(quote, str) or not isinstance(anchor, str):
        raise GuidanceTextError("quote", "anchor and quote must be str")
    q = _norm(quote)
    ranked: list[tuple[int, float, int, Change]] = []
    for index, change in enumerate(changes):
        in_section = anchor in (change.old_section_anchor, change.section_anchor)
        if not q:
            if in_section:
                ranked.append((0, 0.0, index, change))
            continue
        score = _shared(q, _norm(change.old_text)) if change.old_text else 0.0
        if score >= 0.3:
            ranked.append((0 if in_section else 1, -score, index, change))
        elif change.kind == "added" and in_section:
            ranked.append((2, 0.0, index, change))
    return [change for *_, change in sorted(ranked)]
