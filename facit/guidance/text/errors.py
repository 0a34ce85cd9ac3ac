"""The one exception the text package lets out."""

from __future__ import annotations


class GuidanceTextError(Exception):
    """A bad argument, with the argument's name as ``location`` and a human ``reason``."""

    def __init__(self, location: str, reason: str) -> None:
        super().__init__(f"{location}: {reason}")
        self.location = location
        self.reason = reason
