"""Context rules that ``data/terminology.md`` states in prose but the JSON does not encode.

Every term named here must also appear in ``data/terminology.json``; ``load_terminology``
refuses data where it does not, so this module can never smuggle in a term from memory.
Bump ``RULES_VERSION`` when a rule changes, so stored check results can say which rules
produced them.
"""

from __future__ import annotations

import re
from typing import Final

RULES_VERSION: Final = "2026-11-27.1"

# terminology.md, "Phrases that need context": ordinary words that describe abuse only
# in some sentences, so a human must judge them ("don't reject them automatically").
# "sexually active" shares its entry with "sexual activity with", whose `why` says to
# flag it only "when used of children" -- a fact the checker cannot see, hence review.
REVIEW_TERMS: Final[frozenset[tuple[str, str]]] = frozenset(
    {
        ("en", "sexual activity with"),
        ("en", "sexually active"),
        ("en", "associating with"),
        ("en", "spending time with"),
        ("en", "in a relationship with"),
        ("en", "monster"),
        ("en", "beast"),
        ("en", "sexting"),
    }
)

# Entries whose every term only warrants review. terminology.md, "Clinical uses": the
# Swedish self-harm framings are also used in clinical research, and the entry's own
# `why` ends "(flag for review; ...)". Keyed by the entry's first avoid term.
REVIEW_ENTRIES: Final[frozenset[tuple[str, str]]] = frozenset(
    {("sv", "sugardejting som självskadebeteende")},
)

# Statutory offence names that contain an avoid term but are themselves correct when
# naming the offence (terminology.md, "Statutory names"; entry sv/barnpornografi `why`).
# A Swedish word containing one of these (any inflection: -et, -en, -s ...) is not flagged.
# The avoid term each contains is checked against the data at load time.
STATUTORY_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "sv": ("barnpornografibrott",),
    "en": (),
}

# Legal citation shapes, not facts: an SFS number, "6 kap. 9 §", a bill or EU act
# number, an article or section number, or an instrument named in terminology.md.
LEGAL_CITATION: Final = re.compile(
    r"""
      \bSFS\s*\d{4}\s*:\s*\d+
    | \(\s*\d{4}\s*:\s*\d+\s*\)                      # lag (2018:1197)
    | \d+\s*kap\.?\s*\d+\s*(?:[a-z]\s*)?§            # 16 kap. 10 a §
    | \d+\s*(?:[a-z]\s*)?§ | §§?\s*\d+               # 9 §, § 9
    | \b(?:brottsbalken|BrB)\b
    | \bprop(?:osition)?\.?\s*\d{4}/\d{2}\s*:\s*\d+  # prop. 2018/19:157
    | \b\d{4}/\d+/EU\b                               # Directive 2011/93/EU
    | \b(?:Article|Art\.|artikel)\s*\d+
    | \bsection\s+\d+[A-Za-z]?\s+of\b
    | \bOptional\s+Protocol\b
    | \bLanzarote\s+Convention\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
