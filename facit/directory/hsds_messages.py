"""The problems an HSDS import reports, in the page's language.

The pure HSDS package (facit.directory.hsds) words each problem in English for the command
line; here each known wording becomes a translatable sentence with the same values. A
wording not known here (the schema validator's) is shown as it is, marked as English."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

KIND_LABELS = {
    "organization": gettext_lazy("organisations"),
    "service": gettext_lazy("services"),
    "location": gettext_lazy("locations"),
    "service_at_location": gettext_lazy("services at locations"),
    "address": gettext_lazy("addresses"),
    "contact": gettext_lazy("contacts"),
    "phone": gettext_lazy("phone numbers"),
    "schedule": gettext_lazy("opening hours"),
    "service_area": gettext_lazy("service areas"),
    "language": gettext_lazy("languages"),
    "cost_option": gettext_lazy("cost options"),
    "attribute": gettext_lazy("attributes"),
    "taxonomy": gettext_lazy("taxonomies"),
    "taxonomy_term": gettext_lazy("taxonomy terms"),
    "program": gettext_lazy("programmes"),
    "funding": gettext_lazy("funding"),
    "required_document": gettext_lazy("required documents"),
    "accessibility": gettext_lazy("accessibility details"),
    "metadata": gettext_lazy("change records (metadata)"),
    "meta_table_description": gettext_lazy("table descriptions"),
    "organization_identifier": gettext_lazy("organisation identifiers"),
}

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^says (?P<said>.+) but the object is nested under (?P<under>.+)$"),
        "says {said}, but the object is nested under {under}",
    ),
    (
        re.compile(r"^refers to taxonomy term (?P<value>.+), which is not a known term$"),
        "refers to the taxonomy term {value}, which is not a known term",
    ),
    (
        re.compile(r"^refers to (?P<target>\w+) (?P<value>.+), which is not in the data$"),
        "refers to {target} {value}, which is not in the data",
    ),
    (
        re.compile(r"^has (?P<present>\w+) but no (?P<missing>\w+); give both or neither$"),
        "has {present} but no {missing}; give both or neither",
    ),
    (
        re.compile(r"^(?P<value>\S+) is outside the valid range (?P<range>\S+)$"),
        "{value} is outside the valid range {range}",
    ),
]


def _sentence(key: str, values: dict[str, str]) -> str:
    # Each English key is a msgid of its own, so that the catalogue can word it in Swedish.
    texts = {
        "says {said}, but the object is nested under {under}": _(
            "says %(said)s, but the object is nested under %(under)s"
        ),
        "refers to the taxonomy term {value}, which is not a known term": _(
            "refers to the taxonomy term %(value)s, which is not a known term"
        ),
        "refers to {target} {value}, which is not in the data": _(
            "refers to %(target)s %(value)s, which is not in the data"
        ),
        "has {present} but no {missing}; give both or neither": _(
            "has %(present)s but no %(missing)s; give both or neither"
        ),
        "{value} is outside the valid range {range}": _(
            "%(value)s is outside the valid range %(range)s"
        ),
    }
    return texts[key] % values


@dataclass(frozen=True)
class Problem:
    """One problem for the page: where (JSON path, or file, row and column) and why."""

    location: str
    subject: str
    reason: str
    translated: bool


def _location(error: Any) -> str:
    if error.file is None:
        return str(error.path)
    parts = [str(error.file)]
    if error.row is not None:
        parts.append(_("row %(n)s") % {"n": error.row})
    if error.column is not None:
        parts.append(_("column %(name)s") % {"name": error.column})
    return ", ".join(parts)


def problem_of(error: Any) -> Problem:
    subject = f"{error.kind} {error.object_id}" if error.kind and error.object_id else ""
    where = _location(error)
    for pattern, key in _PATTERNS:
        match = pattern.match(error.reason)
        if match:
            return Problem(where, subject, _sentence(key, match.groupdict()), True)
    return Problem(where, subject, error.reason, False)


def counts_of(counts: dict[str, int]) -> list[tuple[str, int]]:
    """The imported counts, each with its kind's name in the page's language."""
    return [(str(KIND_LABELS.get(k, k)).capitalize(), n) for k, n in counts.items() if n]
