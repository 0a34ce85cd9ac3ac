"""Load and validate ``data/terminology.json`` once per process."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, Literal

from .errors import TerminologyError
from .rules import REVIEW_ENTRIES, REVIEW_TERMS, STATUTORY_NAMES

Lang = Literal["sv", "en"]
Severity = Literal["avoid", "review"]
LANGS: Final[tuple[Lang, ...]] = ("sv", "en")

DEFAULT_PATH: Final = Path(__file__).resolve().parents[3] / "data" / "terminology.json"


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of the data file; ``severities`` maps each avoid term to its severity."""

    id: str
    lang: Lang
    avoid: tuple[str, ...]
    prefer: tuple[str, ...]
    why: str
    sources: tuple[str, ...]
    severities: dict[str, Severity]


@dataclass(frozen=True, slots=True, eq=False)
class Terminology:
    """Hashed by identity, so a loaded data set can key the compiled-checker cache."""

    entries: tuple[Entry, ...]
    statutory_names: dict[str, tuple[str, ...]]

    def for_lang(self, lang: Lang) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.lang == lang)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _str_list(raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key)
    if not isinstance(value, list) or not value:
        raise TerminologyError(f"{where}.{key}", "must be a non-empty list of strings")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise TerminologyError(f"{where}.{key}[{i}]", "must be a non-empty string")
    return tuple(value)


def _entry(raw: Any, index: int) -> Entry:
    where = f"$[{index}]"
    if not isinstance(raw, dict):
        raise TerminologyError(where, "entry must be an object")
    lang = raw.get("lang")
    if lang not in LANGS:
        raise TerminologyError(f"{where}.lang", f"must be one of {LANGS}, got {lang!r}")
    why = raw.get("why")
    if not isinstance(why, str) or not why.strip():
        raise TerminologyError(f"{where}.why", "must be a non-empty string")
    avoid = tuple(t.strip().lower() for t in _str_list(raw, "avoid", where))
    whole_entry_review = (lang, avoid[0]) in REVIEW_ENTRIES
    severities: dict[str, Severity] = {
        t: "review" if whole_entry_review or (lang, t) in REVIEW_TERMS else "avoid" for t in avoid
    }
    return Entry(
        id=f"{lang}-{_slug(avoid[0])}",
        lang=lang,
        avoid=avoid,
        prefer=_str_list(raw, "prefer", where),
        why=why.strip(),
        sources=_str_list(raw, "sources", where),
        severities=severities,
    )


def _check_rules_against(entries: tuple[Entry, ...]) -> None:
    """Refuse rules that name a term the data does not have (no terms from memory)."""
    known = {(e.lang, t) for e in entries for t in e.avoid}
    for lang, term in sorted(REVIEW_TERMS | REVIEW_ENTRIES):
        if (lang, term) not in known:
            raise TerminologyError("rules.REVIEW_TERMS", f"{lang}:{term!r} is not in the data")
    for lang, names in STATUTORY_NAMES.items():
        for name in names:
            if not any(lang == la and t in name for la, t in known):
                raise TerminologyError(
                    "rules.STATUTORY_NAMES", f"{lang}:{name!r} contains no avoid term"
                )


def parse_terminology(raw: Any) -> Terminology:
    """Validate already-decoded JSON; separate from I/O so tests can feed bad data."""
    if not isinstance(raw, list):
        raise TerminologyError("$", "top level must be a list of entries")
    entries = tuple(_entry(item, i) for i, item in enumerate(raw))
    ids = [e.id for e in entries]
    for i, entry_id in enumerate(ids):
        if entry_id in ids[:i]:
            raise TerminologyError(f"$[{i}].avoid[0]", f"duplicate entry id {entry_id!r}")
    _check_rules_against(entries)
    return Terminology(entries=entries, statutory_names=dict(STATUTORY_NAMES))


@lru_cache(maxsize=8)
def load_terminology(path: Path = DEFAULT_PATH) -> Terminology:
    """Read the data file once per path; callers share the cached, immutable result."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise TerminologyError(str(path), f"cannot read: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise TerminologyError(f"{path}:{exc.lineno}:{exc.colno}", exc.msg) from exc
    return parse_terminology(raw)
