"""How an evaluation's author field is shown.

The author fields come verbatim from the data, and a few hold an extractor's note in English
instead of, or after, the list of authors: "(authors not shown)", "(full author list not
captured; corresponding author …)", "… (order as listed in SafetyLit record)". The field is
kept as it is (the API gives it verbatim, as data). Pages, study labels and exports show
the names it holds: none for a note that no author is known, the named ones for a partial
list (on pages followed by "and others" in the page's language), and no note on the order.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

_UNKNOWN = re.compile(r"\((?:report )?authors? not (?:shown|captured)(?: in excerpt)?\)", re.I)
_PARTIAL = re.compile(
    r"\(full author list not captured; (?:contributors include|corresponding author) "
    r"(?P<names>[^()]+)\)",
    re.I,
)
_ORDER_NOTE = re.compile(r"\s*\(order as listed in [^()]*\)\s*$", re.I)


def _parts(authors: str) -> tuple[str, bool]:
    """(the names the field holds, whether the list is known to be incomplete)."""
    text = authors.strip()
    if _UNKNOWN.fullmatch(text):
        return "", False
    partial = _PARTIAL.fullmatch(text)
    if partial:
        return partial.group("names").strip(), True
    return _ORDER_NOTE.sub("", text), False


def author_names(authors: str) -> str:
    """The names only, in no language: for study labels and exports."""
    return _parts(authors)[0]


def authors_shown(authors: str) -> str:
    """The names for a page, in its language; "" when no author is known."""
    names, incomplete = _parts(authors)
    if names and incomplete:
        return _("%(names)s and others") % {"names": names}
    return names
