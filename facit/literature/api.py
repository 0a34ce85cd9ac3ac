"""Literature endpoints of /api/v1/: read-only numbers of a review, for its members."""

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from facit.core.api_errors import ApiError, responses
from facit.core.permissions import get_review_for_member
from facit.literature import selectors
from facit.literature.models import Review

router = Router(tags=["literature"])


class SourceOut(Schema):
    label: str
    identified: int
    imported: int


class ReasonCountOut(Schema):
    reason: str
    n: int


class PrismaOut(Schema):
    sources: list[SourceOut]
    identified: int
    not_imported: int
    duplicates: int
    screened: int
    screen_excluded: int
    screen_pending: int
    screen_conflicts: int
    sought: int
    not_retrieved: int
    assessed: int
    ft_excluded: list[ReasonCountOut]
    ft_pending: int
    ft_conflicts: int
    included: int


class StageOut(Schema):
    stage: str
    total: int
    included: int
    excluded: int
    conflicts: int
    pending: int
    pairs: int
    kappa: float | None


def _review(request: HttpRequest, slug: str) -> Review:
    try:
        return get_review_for_member(request, slug, hide=True)
    except Http404:
        # Non-members learn nothing, not even whether the review exists.
        raise ApiError(404, "not_found", "No such review among yours.") from None


@router.get(
    "/literature/reviews/{slug}/prisma",
    response=responses(PrismaOut, 401, 404),
    auth=django_auth,
    summary="PRISMA 2020 numbers of a review (members only)",
)
def review_prisma(request: HttpRequest, slug: str) -> dict:
    p = selectors.prisma(_review(request, slug))
    return {
        **{k: getattr(p, k) for k in PrismaOut.model_fields if k not in ("sources", "ft_excluded")},
        "sources": p.sources,
        "ft_excluded": [{"reason": label, "n": n} for label, n in p.ft_excluded],
    }


@router.get(
    "/literature/reviews/{slug}/progress",
    response=responses(list[StageOut], 401, 404),
    auth=django_auth,
    summary="Screening progress and Cohen's kappa per stage (members only)",
)
def review_progress(request: HttpRequest, slug: str) -> list[dict]:
    return [
        {
            "stage": s.stage,
            "total": s.total,
            "included": s.included,
            "excluded": s.excluded,
            "conflicts": s.conflicts,
            "pending": s.pending,
            "pairs": s.agreement.pairs,
            "kappa": s.agreement.kappa,
        }
        for s in selectors.stage_progress(_review(request, slug))
    ]
