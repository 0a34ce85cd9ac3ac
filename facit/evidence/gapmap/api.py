"""The evidence & gap map's endpoint of /api/v1/: the cells of two axes and the computed gaps."""

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from facit.core.api_errors import responses
from facit.evidence.gapmap.axes import AXES, ROWS_PER_PAGE
from facit.evidence.gapmap.queries import evidence_map, gap_statements, reusable_cell_count
from facit.evidence.gapmap.selectors import filters_from_query
from facit.evidence.registry.api import InterventionFilters, QueryLike

router = Router(tags=["evidence"])

Axis = Literal[
    "focus",
    "target_group",
    "setting",
    "prevention_level",
    "country",
    "design",
    "intervention",
    "outcome_domain",
]
assert set(Axis.__args__) == set(AXES)  # type: ignore[attr-defined]


class CellOut(Schema):
    row: str
    col: str
    interventions: int
    evaluations: int
    studies: int = Field(description="the evaluations (studies) in the cell")
    best_level: int
    provisional: int = Field(description="interventions in the cell with a provisional level")


class GapOut(Schema):
    code: str
    statement: str
    value: float


class MapOut(Schema):
    rows: str
    cols: str
    cells: list[CellOut]
    gaps: list[GapOut]
    page: int = Field(
        description="the page returned (the intervention axis is paged, as rows or as columns)"
    )
    pages: int = Field(description="number of pages")
    row_count: int = Field(description="rows of the whole map, over all pages")
    col_count: int = Field(description="columns of the whole map, over all pages")
    per_page: int = Field(description="rows (or columns) of a paged axis per page")
    row_values: list[str] = Field(description="the row values on this page, in order")
    col_values: list[str] = Field(description="the column values on this page, in order")


class MapQuery(InterventionFilters):
    rows: Axis = "focus"
    cols: Axis = "target_group"
    page: int = Field(
        default=1,
        ge=1,
        description=(
            f"page of interventions when rows=intervention or cols=intervention ({ROWS_PER_PAGE} a page; "
            "a page past the last returns the last); other axes are never paged"
        ),
    )


@router.get(
    "/evidence-map",
    response=responses(MapOut),
    summary="Evidence and gap map with computed gap statements",
)
def evidence_map_api(request: HttpRequest, params: Query[MapQuery]) -> dict:
    data = params.dict()
    rows, cols, page = data.pop("rows"), data.pop("cols"), data.pop("page")
    data.pop("q")
    filters = filters_from_query(QueryLike({k: v for k, v in data.items() if v}))
    emap = evidence_map(rows, cols, filters, page=page)
    return {
        "rows": rows,
        "cols": cols,
        "page": emap.page,
        "pages": emap.pages,
        "row_count": emap.row_count,
        "per_page": emap.per_page,
        "col_count": emap.col_count,
        "row_values": [r.code for r in emap.rows],
        "col_values": [c.code for c in emap.cols],
        "cells": [{**vars(c), "studies": c.evaluations} for c in emap.cells.values()],
        "gaps": gap_statements(focus_target_cells=reusable_cell_count(emap, filters)),
    }
