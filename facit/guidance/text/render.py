"""Markdown to safe HTML, with heading anchors that survive new versions of a document.

Comments are anchored to a section's id, so the id must depend only on the heading text:
the same heading in version 2 gets the same id as in version 1, wherever it moved.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Final

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .errors import GuidanceTextError

# CommonMark + tables. Raw HTML is off, so any tag an author types is shown as text;
# markdown-it also refuses javascript:, vbscript:, file: and data: link targets.
_MD: Final = MarkdownIt("commonmark", {"html": False}).enable("table")

_HEADINGS: Final = {f"h{n}" for n in range(1, 7)}
# What guidance text may contain. No images: a remote image would tell its server the
# IP address of every panel member who opens the draft. No classes, no ids except the
# heading anchors we generate, no style except table alignment.
ALLOWED_TAGS: Final = frozenset(
    {"p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "a"}
    | {"ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "ins", "del"}
    | _HEADINGS
)
ALLOWED_ATTRIBUTES: Final[dict[str, set[str]]] = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
    **{h: {"id"} for h in _HEADINGS},
}
ALLOWED_URL_SCHEMES: Final = frozenset({"http", "https", "mailto"})
ALLOWED_STYLES: Final = frozenset({"text-align"})

_TRANSLITERATE: Final = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "a", "Ä": "a", "Ö": "o"})


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the plain text under it, up to the next heading of any level.

    The part before the first heading, if any, is a section with anchor "" and level 0.
    """

    anchor: str
    title: str
    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    sections: list[Section]


@dataclass(slots=True)
class Block:
    """One paragraph, heading, table row or code block as plain text (for diffs, sections)."""

    kind: str  # "heading" | "paragraph" | "row" | "code"
    anchor: str  # the section it belongs to (its own anchor for a heading)
    text: str
    level: int = 0
    links: list[tuple[int, str]] = field(default_factory=list)  # (offset in text, href)


def sanitize(html: str) -> str:
    """The single sanitising step for all guidance HTML, with the allow-list above."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        filter_style_properties=set(ALLOWED_STYLES),
        link_rel="noopener noreferrer nofollow",
    )


def slugify(text: str) -> str:
    """Stable, readable anchor: å/ä -> a, ö -> o, other accents dropped, '-' between words."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "section"


def inline_text(token: Token) -> tuple[str, list[tuple[int, str]]]:
    """Plain text of an inline token as a reader sees it, plus where each link starts."""
    parts: list[str] = []
    links: list[tuple[int, str]] = []
    length = 0
    for child in token.children or []:
        if child.type in ("text", "code_inline", "image"):
            piece = child.content
        elif child.type == "softbreak":
            piece = " "
        elif child.type == "hardbreak":
            piece = "\n"
        else:
            if child.type == "link_open":
                links.append((length, str(child.attrGet("href") or "")))
            continue
        parts.append(piece)
        length += len(piece)
    return "".join(parts), links


def _parse(markdown: str) -> list[Token]:
    if not isinstance(markdown, str):
        raise GuidanceTextError("markdown", f"must be str, got {type(markdown).__name__}")
    tokens = _MD.parse(markdown)
    used: set[str] = set()
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            base = slugify(inline_text(tokens[i + 1])[0])
            anchor, n = base, 1
            while anchor in used:  # a repeated heading gets -2, -3, ...
                n += 1
                anchor = f"{base}-{n}"
            used.add(anchor)
            token.attrSet("id", anchor)
    return tokens


def blocks(markdown: str) -> list[Block]:
    """The document as a flat list of text blocks, each tagged with its section anchor."""
    return _blocks(_parse(markdown))


def _blocks(tokens: list[Token]) -> list[Block]:
    out: list[Block] = []
    anchor = ""
    row: list[str] | None = None
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            anchor = str(token.attrGet("id"))
            text, links = inline_text(tokens[i + 1])
            out.append(Block("heading", anchor, text, int(token.tag[1:]), links))
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            out.append(Block("row", anchor, " | ".join(row)))
            row = None
        elif token.type == "inline" and row is not None:
            row.append(inline_text(token)[0])
        elif token.type == "inline" and tokens[i - 1].type == "paragraph_open":
            text, links = inline_text(token)
            out.append(Block("paragraph", anchor, text, 0, links))
        elif token.type in ("fence", "code_block"):
            out.append(Block("code", anchor, token.content.rstrip("\n")))
    return out


def _sections(doc_blocks: list[Block]) -> list[Section]:
    sections: list[Section] = []
    title, level, anchor, body = "", 0, "", []
    for block in [*doc_blocks, Block("heading", "\x00end", "")]:
        if block.kind != "heading":
            body.append(block.text)
            continue
        if anchor or body:
            sections.append(Section(anchor, title, level, "\n\n".join(body)))
        title, level, anchor, body = block.text, block.level, block.anchor, []
    return sections


def render(markdown: str) -> Rendered:
    """Safe HTML for a version of a document, and its sections for comments and diffs."""
    tokens = _parse(markdown)
    html = sanitize(_MD.renderer.render(tokens, _MD.options, {}))
    return Rendered(html=html, sections=_sections(_blocks(tokens)))
