"""CSV cells that a spreadsheet will not run as formulas (OWASP "CSV Injection").

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken as
a formula by Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)`` from an imported
title would become a live link). OWASP's advice: prefix such a cell with a single quote,
which spreadsheets show as text. facit's own CSV readers strip that prefix again, so an
export re-imports to the same values (a phone number ``+46 ...`` stays ``+46 ...``).
"""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """The value, with a leading single quote when a spreadsheet would read a formula."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_START):
        return "'" + value  # also "'=..." itself, so that reading back is lossless
    return value


def unescape_cell(value: str) -> str:
    """Undo :func:`escape_cell` when reading a CSV facit (or a careful tool) wrote."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_START):
        return value[1:]
    return value


def escape_row(row: dict[str, Any]) -> dict[str, Any]:
    return {key: escape_cell(value) for key, value in row.items()}
