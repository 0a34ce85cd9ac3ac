"""The panel's key on the intervention page, rendered beside (never into) the evidence level."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from facit.panel.models import Assessment, Consent, Purpose
from facit.panel.selectors import member_for_user

QUESTIONS = [
    ("relevant", Assessment._meta.get_field("relevant").verbose_name),
    ("respectful", Assessment._meta.get_field("respectful").verbose_name),
    ("perpetrator_responsible", Assessment._meta.get_field("perpetrator_responsible").verbose_name),
]


def intervention_assessments(request: HttpRequest, intervention: Any) -> str:
    assessments = list(
        Assessment.objects.filter(intervention=intervention).select_related("member")
    )
    rows = []
    for field, label in QUESTIONS:
        values = [getattr(a, field) for a in assessments]
        scale = Assessment.Scale
        rows.append(
            (label, values.count(scale.YES), values.count(scale.PARTLY), values.count(scale.NO))
        )
    context = {
        "intervention": intervention,
        "total": len(assessments),
        "rows": rows,
        "quotes": _quotes(assessments),
        "can_assess": member_for_user(request.user) is not None,
    }
    return render_to_string("panel/_intervention_assessments.html", context, request=request)


def _quotes(assessments: list[Assessment]) -> list[dict[str, str]]:
    """Only words of current members who consent, right now, to being quoted."""
    ids = {a.member_id for a in assessments if a.member_id and a.comment}
    consents = set(
        Consent.objects.filter(member_id__in=ids, withdrawn_at__isnull=True).values_list(
            "member_id", "purpose"
        )
    )
    quotes = []
    for a in assessments:
        if (
            a.member_id in ids
            and (a.member_id, Purpose.QUOTE) in consents
            and a.member is not None
            and a.member.is_active
        ):
            credited = (a.member_id, Purpose.CREDIT) in consents
            quotes.append(
                {
                    "text": a.comment,
                    "credit": a.member.pseudonym if credited and a.member else _("A panel member"),
                }
            )
    return quotes
