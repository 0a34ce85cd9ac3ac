"""The one exception the terminology checker lets out."""

from __future__ import annotations


class TerminologyError(Exception):
    """Bad terminology data or a bad call, with a machine-readable location.

    ``location`` is a JSON path into the data file (``$[3].avoid[1]``) or the name of
    the offending argument (``lang``), so an editor screen can point at the culprit.
    """

    def __init__(self, location: str, reason: str) -> None:
        super().__init__(f"{location}: {reason}")
        self.location = location
        self.reason = reason
