"""The one exception type the screening engine raises."""

from __future__ import annotations


class RankingError(Exception):
    """A problem with screening input, with where it is and why it is wrong.

    ``location`` is machine-readable (``"record 12"``, ``"row 3, column title"``,
    ``"labels"``) so the web layer can point the user at the offending input.
    """

    def __init__(self, location: str, reason: str) -> None:
        super().__init__(f"{location}: {reason}")
        self.location = location
        self.reason = reason
