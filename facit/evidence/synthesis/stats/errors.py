"""The one exception the synthesis package raises for bad input."""

from __future__ import annotations


class SynthesisInputError(ValueError):
    """Input that cannot yield a finite, meaningful statistic.

    ``field`` names the offending input the way the caller spelled it (``"sd1i"``,
    ``"vi[3]"``, ``"studies[2].risk_of_bias"``) so a form or API can point at it;
    ``reason`` is a short English sentence the lead can show or translate.
    """

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")
