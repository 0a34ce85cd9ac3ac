"""The evidence & gap map: its axes (axes), the cell aggregate and gap statements (queries),
the filters, their checkboxes and the grid (selectors), the standalone SVG (svg), the level
colours (palette), its downloads (exports, eppi), and its page and API pieces.

`facit.evidence` stays the Django app; this sub-package holds only the map's code. The query
API is re-exported here so `from facit.evidence.gapmap import evidence_map` keeps working.
"""

from facit.evidence.gapmap.queries import (
    AXES,
    STUDY_AXES,
    AxisValue,
    Cell,
    EvidenceMap,
    Filters,
    Gap,
    UnknownAxis,
    cell_rows,
    cell_studies,
    evidence_map,
    gap_statements,
    outcome_domains_without_controlled,
    reusable_cell_count,
)

__all__ = [
    "AXES",
    "STUDY_AXES",
    "AxisValue",
    "Cell",
    "EvidenceMap",
    "Filters",
    "Gap",
    "UnknownAxis",
    "cell_rows",
    "cell_studies",
    "evidence_map",
    "gap_statements",
    "outcome_domains_without_controlled",
    "reusable_cell_count",
]
