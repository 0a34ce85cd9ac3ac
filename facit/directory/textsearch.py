"""Full-text search with Swedish stemming.

On SQLite each service keeps `search_text`: its words stemmed with the Snowball Swedish
stemmer, space-separated and padded, so that a stem matches with an indexed-free but cheap
`contains " stem "`. On PostgreSQL the database's own Swedish configuration is used.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[\wåäöÅÄÖ]+", re.UNICODE)
_STEMMER = snowballstemmer.stemmer("swedish")


@lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def stems(text: str) -> list[str]:
    """Lower-cased Swedish stems of the words of `text`, in order, without duplicates."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.casefold()):
        if len(word) > 1 or word.isdigit():
            seen.setdefault(_stem(word), None)
    return list(seen)


def index_text(*parts: str) -> str:
    """The padded stem string stored in `Service.search_text`."""
    return " " + " ".join(stems(" ".join(p for p in parts if p))) + " "


def is_postgres(vendor: str) -> bool:
    return vendor == "postgresql"
