"""Countries of origin as ISO 3166-1 alpha-2 codes, from the seed's free text.

`normalise("USA (Boston)")` -> (["us"], []); `normalise("multiple")` -> ([], ["multiple"]).
Only names babel knows (English or Swedish territory names) and a few stated aliases are
matched; everything else is returned as unmatched, never guessed.
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale

ALIASES = {"usa": "US", "us": "US", "uk": "GB"}
_SEPARATORS = re.compile(r"[,;/]| and | och ")


@cache
def _names() -> dict[str, str]:
    found: dict[str, str] = {}
    for lang in ("en", "sv"):
        for code, name in Locale(lang).territories.items():
            if len(code) == 2 and code.isalpha():
                found[name.casefold()] = code
    return found


def normalise(text: str) -> tuple[list[str], list[str]]:
    """(ISO codes in lower case, parts of the text that name no known country)."""
    bare = re.sub(r"\(.*?\)", "", text)
    codes: list[str] = []
    unmatched: list[str] = []
    for part in (p.strip() for p in _SEPARATORS.split(bare)):
        if not part:
            continue
        code = ALIASES.get(part.casefold()) or _names().get(part.casefold())
        if code:
            if code.lower() not in codes:
                codes.append(code.lower())
        else:
            unmatched.append(part)
    return codes, unmatched


def names(code: str) -> tuple[str, str]:
    """(English, Swedish) name of an ISO code."""
    upper = code.upper()
    return Locale("en").territories.get(upper, code), Locale("sv").territories.get(upper, code)
