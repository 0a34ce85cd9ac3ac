"""Finds facit's own English words on a page that should be Swedish.

Every msgid of facit's catalogues whose Swedish translation differs from it is a phrase that
must not appear on a Swedish page. Short ids (one word, or under 12 characters) are left out,
since they are often the same in both languages or part of names.
"""

from __future__ import annotations

import html as htmllib
import re
from functools import cache
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)
_ENGLISH_BLOCK = re.compile(r"<(\w+)[^>]*\blang=\"en\"[^>]*>.*?</\1>", re.S)
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}")


@cache
def english_phrases() -> tuple[str, ...]:
    phrases: set[str] = set()
    for path in ROOT.glob("facit/*/locale/sv/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(path)):
            if not entry.msgstr or entry.msgstr == entry.msgid or entry.obsolete:
                continue
            # The longest literal run of the id between placeholders.
            parts = [p.strip() for p in _PLACEHOLDER.split(entry.msgid)]
            longest = max(parts, key=len)
            if len(longest) >= 12 and " " in longest:
                phrases.add(" ".join(longest.split()))
    return tuple(sorted(phrases, key=len, reverse=True))


def visible_text(page_html: str) -> str:
    """The page's text without tags, and without passages marked as English (lang="en")."""
    text = _ENGLISH_BLOCK.sub(" ", page_html)
    text = _TAGS.sub(" ", text)
    return " ".join(htmllib.unescape(text).split())


def english_on_page(page_html: str) -> list[str]:
    text = visible_text(page_html)
    return [phrase for phrase in english_phrases() if phrase in text]
