"""How an evaluation's author and title fields are shown.

The author fields come verbatim from the data, and a few hold an extractor's note in English
instead of, or after, the list of authors: "(authors not shown)", "(full author list not
captured; corresponding author …)", "… (order as listed in SafetyLit record)". The field is
kept as it is (the API gives it verbatim, as data). Pages, study labels and exports show
the names it holds: none for a note that no author is known, the named ones for a partial
list (on pages followed by "and others" in the page's language), and no note on the order.

A few title fields hold no title but the extractor's description of the study, wholly in
brackets, some with a note on what the source did not show: "(systematic review of MST
among juvenile sexual offenders)", "(wide-scale implementation study of Safe Touches; title
and authors not shown in the stored abstract)". Such a description is shown as a devised
title is in a catalogue, in square brackets and without the note ("[systematic review of
MST among juvenile sexual offenders]"); pages also say, in their language, that it is a
description. The API keeps the field verbatim here too.
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


_DESCRIPTION = re.compile(r"\((?P<text>[^()]*(?:\([^()]*\)[^()]*)*)\)")
_NOT_SHOWN = re.compile(
    r";\s*(?:citation details|title/authors|title and authors|title) not shown(?: in [^;]*)?$",
    re.I,
)


def _title_parts(title: str) -> tuple[str, bool]:
    """(the text, whether it is a description rather than the study's title)."""
    text = title.strip()
    described = _DESCRIPTION.fullmatch(text)
    if not described:
        return text, False
    return _NOT_SHOWN.sub("", described.group("text")).strip(), True


def title_text(title: str) -> str:
    """The title, or a description in square brackets: for pages, labels and exports."""
    text, described = _title_parts(title)
    return f"[{text}]" if described and text else text


def title_is_description(title: str) -> bool:
    return _title_parts(title)[1]
