"""Appraisal: each reviewer's independent, blinded judgement of an evaluation's risk of bias,
then the agreed consensus that the evidence levels use."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from facit.accounts.models import User
from facit.core.audit import audit_record
from facit.evidence.models import Appraisal, Evaluation
from facit.evidence.registry.services import intervention_recompute
from facit.evidence.revision import evidence_changed


@transaction.atomic
def appraisal_submit(
    *,
    evaluation: Evaluation,
    appraiser: User,
    overall: str,
    domains: dict[str, str] | None = None,
    notes: str = "",
    design_confirmed: Any = None,
) -> Appraisal:
    """One appraiser's independent judgement; a second call by the same person updates it."""
    appraisal, _created = Appraisal.objects.update_or_create(
        evaluation=evaluation,
        appraiser=appraiser,
        role=Appraisal.Role.APPRAISER,
        defaults={
            "overall": overall,
            "domains": domains or {},
            "notes": notes,
            "design_confirmed": design_confirmed,
        },
    )
    audit_record(actor=appraiser, action="evidence.appraisal.submit", target=appraisal)
    evidence_changed()
    return appraisal


def appraisal_disagreements(*, evaluation: Evaluation) -> dict[str, tuple[str, str]]:
    """Where the two independent appraisals differ: field -> (first, second)."""
    pair = [a for a in evaluation.appraisals.all() if a.role == Appraisal.Role.APPRAISER][:2]
    if len(pair) < 2:
        return {}
    first, second = pair
    diffs: dict[str, tuple[str, str]] = {}
    if first.overall != second.overall:
        diffs["overall"] = (first.overall, second.overall)
    for domain in sorted(set(first.domains) | set(second.domains)):
        a, b = first.domains.get(domain, ""), second.domains.get(domain, "")
        if a != b:
            diffs[domain] = (a, b)
    if first.design_confirmed_id != second.design_confirmed_id:
        diffs["design"] = (str(first.design_confirmed or ""), str(second.design_confirmed or ""))
    return diffs


class ConsensusNotReady(Exception):
    pass


@transaction.atomic
def appraisal_consensus(
    *,
    evaluation: Evaluation,
    actor: User,
    overall: str,
    domains: dict[str, str] | None = None,
    notes: str = "",
    design_confirmed: Any = None,
) -> Appraisal:
    """The agreed appraisal; needs two independent appraisals first. It is what levels use."""
    independent = evaluation.appraisals.filter(role=Appraisal.Role.APPRAISER).count()
    if independent < 2:
        raise ConsensusNotReady("Two independent appraisals are needed before a consensus.")
    consensus, _created = Appraisal.objects.update_or_create(
        evaluation=evaluation,
        role=Appraisal.Role.CONSENSUS,
        defaults={
            "appraiser": actor,
            "overall": overall,
            "domains": domains or {},
            "notes": notes,
            "design_confirmed": design_confirmed,
        },
    )
    audit_record(actor=actor, action="evidence.appraisal.consensus", target=consensus)
    intervention_recompute(intervention=evaluation.intervention)
    evidence_changed()
    return consensus
