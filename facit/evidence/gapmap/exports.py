"""Evidence map exports: CSV, JSON and EPPI-Mapper JSON."""

from __future__ import annotations

import csv
import io
from typing import Any

from facit.core.csv_safe import escape_row
from facit.evidence.gapmap.queries import EvidenceMap, gap_statements
from facit.evidence.levels_text import level_label


def map_rows(emap: EvidenceMap) -> list[dict[str, Any]]:
    rows = []
    for row in emap.rows:
        for col in emap.cols:
            cell = emap.cell(row, col)
            rows.append(
                {
                    "row": row.code,
                    "row_label": row.label,
                    "col": col.code,
                    "col_label": col.label,
                    "interventions": cell.interventions if cell else 0,
                    "evaluations": cell.evaluations if cell else 0,
                    "best_level": cell.best_level if cell else None,
                    "best_level_label": level_label(cell.best_level) if cell else "",
                    "provisional": cell.provisional if cell else 0,
                }
            )
    return rows


def map_csv(emap: EvidenceMap) -> str:
    buffer = io.StringIO()
    rows = map_rows(emap)
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["row", "col"])
    writer.writeheader()
    writer.writerows(escape_row(row) for row in rows)  # no formula injection (OWASP)
    return buffer.getvalue()


def map_json(emap: EvidenceMap) -> dict[str, Any]:
    return {
        "rows": emap.row_axis,
        "cols": emap.col_axis,
        "cells": [
            {
                "row": c.row,
                "col": c.col,
                "interventions": c.interventions,
                "evaluations": c.evaluations,
                "best_level": c.best_level,
                "provisional": c.provisional,
            }
            for c in emap.cells.values()
        ],
        "gaps": [
            {"code": g.code, "statement": g.statement, "value": g.value} for g in gap_statements()
        ],
    }
