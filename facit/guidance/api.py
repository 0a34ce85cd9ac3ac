from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from facit.guidance.services import terminology_findings

router = Router(tags=["guidance"])


class TermCheckIn(Schema):
    text: str = Field(..., max_length=200_000)
    lang: Literal["sv", "en"] = "sv"


class FindingOut(Schema):
    term: str
    start: int
    end: int
    severity: str
    prefer: list[str]
    why: str


class TermCheckOut(Schema):
    findings: list[FindingOut]


@router.post("/terminology/check", response=TermCheckOut, auth=None)
def terminology_check(request: HttpRequest, payload: TermCheckIn) -> dict[str, list[dict]]:
    """Terms to avoid in the text, with preferred alternatives and why (nothing is stored)."""
    findings = terminology_findings(payload.text, payload.lang)
    return {
        "findings": [
            {
                "term": f.term,
                "start": f.start,
                "end": f.end,
                "severity": str(getattr(f.severity, "value", f.severity)),
                "prefer": list(f.prefer),
                "why": f.why,
            }
            for f in findings
        ]
    }
