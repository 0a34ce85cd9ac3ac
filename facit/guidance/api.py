from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from facit.core.api_errors import responses
from facit.core.throttling import AnonymousIpThrottle, anonymous_api_throttles
from facit.guidance.services import terminology_findings

router = Router(tags=["guidance"])


# Caps on one anonymous check: text length (a 20-page document is ~60,000 characters)
# and findings returned (the rest are counted in `total`).
MAX_TEXT = 100_000
MAX_FINDINGS = 200


class TermCheckIn(Schema):
    text: str = Field(..., max_length=MAX_TEXT)
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
    total: int
    truncated: bool


@router.post(
    "/terminology/check",
    response=responses(TermCheckOut, 400),
    auth=None,
    throttle=[
        *anonymous_api_throttles(),
        AnonymousIpThrottle("FACIT_TERMINOLOGY_ANON_RATE", scope="terminology"),
    ],
)
def terminology_check(request: HttpRequest, payload: TermCheckIn) -> dict[str, Any]:
    """Terms to avoid in the text, with preferred alternatives and why (nothing is stored).

    At most MAX_FINDINGS findings are listed; ``total`` counts all of them."""
    every = terminology_findings(payload.text, payload.lang)
    findings = every[:MAX_FINDINGS]
    return {
        "total": len(every),
        "truncated": len(every) > len(findings),
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
        ],
    }


class DocumentOut(Schema):
    id: str
    kind: str
    title: str
    version: int
    published_at: str


class PanelCommentOut(Schema):
    section: str
    credit: str
    quote: str
    removed: bool
    decision: str
    reason: str


class PanelChangeOut(Schema):
    kind: str
    section: str
    old_text: str
    new_text: str
    comments: list[int]


class VersionTraceOut(Schema):
    version: int
    previous: int | None
    changes: list[PanelChangeOut]
    comments: list[PanelCommentOut]


@router.get("/guidance/documents", response=responses(list[DocumentOut]), auth=None)
def documents(request: HttpRequest) -> list[dict]:
    """Published guidelines and materials."""
    from facit.guidance.selectors import published_documents

    return [
        {
            "id": str(d.pk),
            "kind": d.kind,
            "title": d.title,
            "version": v.number,
            "published_at": v.publication.published_at.isoformat(),
        }
        for d, v in published_documents()
    ]


@router.get(
    "/guidance/documents/{doc_id}/panel-changes",
    response=responses(list[VersionTraceOut], 404),
    auth=None,
)
def panel_changes(request: HttpRequest, doc_id: str) -> list[dict]:
    """What the panel changed, built live on every request (no stored export), so credit,
    quotes and deleted words follow the members' current choices."""
    import uuid

    from django.http import Http404

    from facit.guidance.models import Document
    from facit.guidance.selectors import change_trace

    try:
        document = Document.objects.get(pk=uuid.UUID(doc_id))
    except (ValueError, Document.DoesNotExist):
        raise Http404 from None
    out = []
    for version in document.versions.filter(publication__isnull=False).order_by("number"):
        previous, changes, comments = change_trace(version)
        index = {pc.comment.pk: i for i, pc in enumerate(comments)}
        out.append(
            {
                "version": version.number,
                "previous": previous.number if previous else None,
                "changes": [
                    {
                        "kind": str(getattr(t.change.kind, "value", t.change.kind)),
                        "section": t.change.section_anchor,
                        "old_text": t.change.old_text,
                        "new_text": t.change.new_text,
                        "comments": [index[pc.comment.pk] for pc in t.comments],
                    }
                    for t in changes
                ],
                "comments": [
                    {
                        "section": pc.comment.anchor,
                        "credit": str(pc.credit_label),
                        "quote": pc.quote,
                        "removed": pc.removed,
                        "decision": pc.decision,
                        "reason": pc.reason,
                    }
                    for pc in comments
                ],
            }
        )
    if not out:
        raise Http404
    return out
