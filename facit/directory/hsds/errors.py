"""Errors that carry where a problem is (JSON path or CSV file/row/column) and why."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class HsdsError:
    """One problem in HSDS data, located precisely enough to fix it by hand.

    ``path`` is a JSON path (``$.services[3].phones[0].number``). Data read from CSV also
    has ``file``, ``row`` (1-based data row, the header is row 0) and ``column``.
    """

    path: str
    reason: str
    kind: str | None = None
    object_id: str | None = None
    file: str | None = None
    row: int | None = None
    column: str | None = None

    @property
    def location(self) -> str:
        if self.file is not None:
            where = self.file
            if self.row is not None:
                where += f", row {self.row}"
            if self.column is not None:
                where += f", column {self.column}"
            return where
        return self.path

    def __str__(self) -> str:
        subject = f" ({self.kind} {self.object_id})" if self.kind and self.object_id else ""
        return f"{self.location}{subject}: {self.reason}"


class HsdsValidationError(Exception):
    """Raised by importers with every problem found, so that nothing is imported."""

    def __init__(self, errors: Iterable[HsdsError]) -> None:
        self.errors: list[HsdsError] = list(errors)
        count = len(self.errors)
        head = "; ".join(str(e) for e in self.errors[:3])
        more = f" (and {count - 3} more)" if count > 3 else ""
        super().__init__(f"{count} problem(s) in HSDS data: {head}{more}")


def json_path(parts: Iterable[str | int]) -> str:
    """Render path parts as ``$.a[0].b``."""
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out
