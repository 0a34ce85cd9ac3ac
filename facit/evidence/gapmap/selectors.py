"""The map's and the list's filters read from the query, their checkboxes, and the map's
grid of bubbles ready to render."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from facit.evidence import vocabularies as vocab
from facit.evidence.gapmap import axes as map_axes
from facit.evidence.gapmap.queries import AXES, STUDY_AXES, AxisValue, EvidenceMap, Filters
from facit.evidence.models import Intervention, Term


def filters_from_query(params: Mapping[str, Any]) -> Filters:
    """Build map/list filters from query parameters (`focus=a&focus=b&level=3`)."""
    getlist = (
        params.getlist
        if hasattr(params, "getlist")
        else lambda k: [params[k]] if k in params else []
    )
    terms = {axis: [c for c in getlist(axis) if c] for axis in AXES if getlist(axis)}
    level = params.get("level") or None
    status = params.get("status") or ""
    return Filters(
        terms=terms,
        max_level=int(level) if level and str(level).isdigit() else None,
        provisional={"provisional": True, "confirmed": False}.get(str(status)),
        age_bands=[c for c in getlist("age_band") if c],
    )


def axis_choices() -> dict[str, list[Term]]:
    grouped: dict[str, list[Term]] = {axis: [] for axis in AXES}
    vocab_to_axis = map_axes.vocabulary_axes()
    for term in Term.objects.all():
        if term.vocabulary in vocab_to_axis:
            grouped[vocab_to_axis[term.vocabulary]].append(term)
    return grouped


@dataclass
class FilterOption:
    code: str
    label: str
    checked: bool


@dataclass
class FilterGroup:
    axis: str
    label: str
    options: list[FilterOption]


def age_band_label(band: vocab.AgeBand) -> str:
    return band.sv if (get_language() or "sv").startswith("sv") else band.en


def filter_groups(filters: Filters, labels: dict[str, str]) -> list[FilterGroup]:
    """The filter checkboxes of the map and list pages, with their checked state. Countries
    the seed text named but no known country matched are one option, with their count."""
    groups = []
    for axis, terms in axis_choices().items():
        chosen = set(filters.terms.get(axis, []))
        ordered = sorted(terms, key=lambda t: (t.position, t.label))
        options = [FilterOption(t.code, t.label, t.code in chosen) for t in ordered]
        if axis == "country":
            unmatched = (
                Intervention.objects.published()
                .filter(countries__code=vocab.COUNTRY_UNMATCHED.code)
                .count()
            )
            for option in options:
                if option.code == vocab.COUNTRY_UNMATCHED.code:
                    option.label = f"{option.label} ({unmatched})"
        if options:
            groups.append(FilterGroup(axis, labels[axis], options))
    chosen_bands = set(filters.age_bands)
    groups.append(
        FilterGroup(
            "age_band",
            _("Age"),
            [
                FilterOption(b.code, age_band_label(b), b.code in chosen_bands)
                for b in [*vocab.AGE_BANDS, vocab.AGE_NOT_STATED]
            ],
        )
    )
    return groups


@dataclass
class GridCell:
    href: str
    radius: str
    level: int
    text: str
    provisional: bool = False


def map_grid(
    emap: EvidenceMap, list_url: str, query: QueryDict, studies_url: str = ""
) -> list[tuple[AxisValue, list[GridCell | None]]]:
    """Rows of the map with each cell's link, bubble radius and text, ready to render."""
    biggest = emap.max_evaluations() or 1
    base = query.copy()
    for key in ("rows", "cols", "page"):
        base.pop(key, None)
    by_study = bool(studies_url) and bool(
        {emap.row_axis, emap.col_axis} & (STUDY_AXES | {"intervention"})
    )
    url = studies_url if by_study else list_url
    # A cell's link is the query plus its own keys. When none of those keys is in the query
    # already, the query is encoded once and each cell appends its keys (the same text as
    # copying the query per cell, which costs most of a 50-row page).
    own = ("rows", "cols", "row", "col") if by_study else (emap.row_axis, emap.col_axis)
    prefix = base.urlencode() if not any(k in base for k in own) else None

    def href(row: AxisValue, col: AxisValue) -> str:
        if by_study:
            pairs = [("rows", emap.row_axis), ("cols", emap.col_axis)]
            pairs += [("row", row.code), ("col", col.code)]
        else:
            pairs = [(emap.row_axis, row.code)]
            if emap.col_axis != emap.row_axis:
                pairs.append((emap.col_axis, col.code))
        if prefix is not None:
            return f"{url}?{prefix}{'&' if prefix else ''}{urlencode(pairs)}"
        params = base.copy()
        for key, value in pairs:
            params.setlist(key, [value])
        return f"{url}?{params.urlencode()}"

    grid = []
    for row in emap.rows:
        cells: list[GridCell | None] = []
        for col in emap.cols:
            cell = emap.cell(row, col)
            if cell is None:
                cells.append(None)
                continue
            radius = max(4.0, 22 * math.sqrt(cell.evaluations / biggest))
            text = ", ".join(
                [
                    ngettext("%(n)d intervention", "%(n)d interventions", cell.interventions)
                    % {"n": cell.interventions},
                    ngettext("%(n)d evaluation", "%(n)d evaluations", cell.evaluations)
                    % {"n": cell.evaluations},
                    _("best level %(level)d") % {"level": cell.best_level},
                ]
                + (
                    [
                        ngettext("%(n)d provisional", "%(n)d provisional", cell.provisional)
                        % {"n": cell.provisional}
                    ]
                    if cell.provisional
                    else []
                )
            )
            cells.append(
                GridCell(
                    href(row, col),
                    f"{radius:.1f}",
                    cell.best_level,
                    text,
                    cell.provisional == cell.interventions,
                )
            )
        grid.append((row, cells))
    return grid
