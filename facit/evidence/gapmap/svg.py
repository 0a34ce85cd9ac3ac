"""The evidence and gap map as one standalone SVG file, rendered on the server.

The same grid as the page (selectors.map_grid): a bubble per non-empty cell, its area the
number of evaluations, its colour the best evidence level (palette.LEVEL_COLOURS), dashed
when every level in it is provisional; an empty cell shows a dash. Every bubble carries its
text as a <title>, and the legend writes each level out, so colour is never the only cue.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from facit.evidence.gapmap.palette import LEVEL_COLOURS
from facit.evidence.gapmap.queries import EvidenceMap
from facit.evidence.gapmap.selectors import GridCell, map_grid
from facit.evidence.levels_text import LEVEL_LABELS

LABEL_W, CELL_W, CELL_H, HEADER_H, MARGIN = 250, 96, 60, 150, 16
LABEL_CHARS = 36


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class _Cell:
    x: float
    y: float
    grid: GridCell | None
    colour: str
    count: str


def map_svg(emap: EvidenceMap, query: QueryDict, row_label: str, col_label: str) -> str:
    grid = map_grid(emap, "", query)
    top = MARGIN + 40 + HEADER_H
    cols = [
        {"x": LABEL_W + MARGIN + (n + 0.5) * CELL_W, "label": _short(c.label, 28), "full": c.label}
        for n, c in enumerate(emap.cols)
    ]
    rows = []
    for n, (row, cells) in enumerate(grid):
        y = top + n * CELL_H
        row_cells = []
        for m, cell in enumerate(cells):
            x = LABEL_W + MARGIN + m * CELL_W
            count = ""
            if cell is not None:
                found = emap.cell(row, emap.cols[m])
                count = f"{found.interventions} / {found.evaluations}" if found else ""
            row_cells.append(
                _Cell(
                    x + CELL_W / 2,
                    y + CELL_H / 2,
                    cell,
                    LEVEL_COLOURS.get(cell.level if cell else 7, "#767676"),
                    count,
                )
            )
        rows.append({"y": y, "label": _short(row.label), "full": row.label, "cells": row_cells})
    grid_bottom = top + len(rows) * CELL_H
    # Room on the right for the last column's label, drawn at 45 degrees.
    width = LABEL_W + MARGIN * 2 + max(len(cols), 1) * CELL_W + 150
    legend = [
        {
            "y": grid_bottom + 40 + n * 22,
            "colour": LEVEL_COLOURS[code],
            "text": f"{code} {LEVEL_LABELS[code]}",
        }
        for n, code in enumerate(range(1, 8))
    ]
    height = grid_bottom + 40 + len(legend) * 22 + 90
    return render_to_string(
        "evidence/map.svg",
        {
            "width": max(width, 520),
            "height": height,
            "title": _("%(r)s by %(c)s: interventions, evaluations and best evidence level")
            % {"r": row_label, "c": str(col_label).lower()},
            "corner": f"{row_label} \\ {col_label}",
            "cols": cols,
            "rows": rows,
            "legend": legend,
            "header_y": top - 8,
            "label_x": MARGIN,
            "grid_left": LABEL_W + MARGIN,
            "grid_right": LABEL_W + MARGIN + len(cols) * CELL_W,
            "grid_top": top,
            "grid_bottom": grid_bottom,
            "key_note": _("Bubble area: number of evaluations. A dash: no interventions."),
            "notes_y": grid_bottom + 40 + len(legend) * 22 + 14,
        },
    )
