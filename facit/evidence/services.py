"""Writes to the evidence registry. Every change recomputes the intervention's level."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.db.models import Prefetch

from facit.core.audit import audit_record
from facit.core.concurrency import update_versioned
from facit.evidence import levels
from facit.evidence.models import Appraisal, Evaluation, Intervention
from facit.evidence.vocabularies import CONTROLLED


def _facts(evaluation: Evaluation) -> levels.EvaluationFacts:
    consensus = next(
        (a for a in evaluation.appraisals.all() if a.role == Appraisal.Role.CONSENSUS), None
    )
    design = evaluation.design.code
    if consensus is not None and consensus.design_confirmed is not None:
        design = consensus.design_confirmed.code
    return levels.EvaluationFacts(
        id=evaluation.pk,
        design=design,
        rob=consensus.overall if consensus else None,
        outcomes=[
            levels.OutcomeFacts(direction=o.direction, months=o.timepoint_months)
            for o in evaluation.outcomes.all()
        ],
        sample_key=evaluation.sample_key,
        independent=evaluation.independent,
    )


def _evaluations_prefetch() -> Prefetch:
    return Prefetch(
        "evaluations",
        queryset=Evaluation.objects.select_related("design").prefetch_related(
            "outcomes",
            Prefetch("appraisals", queryset=Appraisal.objects.select_related("design_confirmed")),
        ),
    )


def _apply(intervention: Intervention) -> list[str]:
    evaluations = list(intervention.evaluations.all())
    result = levels.compute_level(
        [_facts(e) for e in evaluations], manual_available=intervention.manual_available
    )
    intervention.evaluation_count = len(evaluations)
    intervention.evidence_level = result.level
    intervention.level_reasons = [asdict(r) for r in result.reasons]
    intervention.level_flags = result.flags
    intervention.level_rules_version = result.rules_version
    intervention.has_controlled_evaluation = any(e.design.code in CONTROLLED for e in evaluations)
    intervention.has_independent_evaluation = any(e.independent for e in evaluations)
    return [
        "evaluation_count",
        "evidence_level",
        "level_reasons",
        "level_flags",
        "level_rules_version",
        "has_controlled_evaluation",
        "has_independent_evaluation",
    ]


def intervention_recompute(*, intervention: Intervention) -> Intervention:
    """Recompute the level of one intervention from its current evaluations."""
    fresh = Intervention.objects.prefetch_related(_evaluations_prefetch()).get(pk=intervention.pk)
    fields = _apply(fresh)
    fresh.save(update_fields=fields)
    for name in fields:
        setattr(intervention, name, getattr(fresh, name))
    return intervention


def interventions_recompute_all(
    *, batch_size: int = 500, on_progress: Callable[[int, int], None] | None = None
) -> int:
    """Recompute every level, e.g. after the rules changed. Returns how many were updated."""
    ids = list(Intervention.objects.values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        chunk = Intervention.objects.filter(pk__in=ids[start : start + batch_size])
        batch = list(chunk.prefetch_related(_evaluations_prefetch()))
        fields: list[str] = []
        for intervention in batch:
            fields = _apply(intervention)
        with transaction.atomic():
            Intervention.objects.bulk_update(batch, fields)
        if on_progress:
            on_progress(min(start + batch_size, len(ids)), len(ids))
    return len(ids)


@transaction.atomic
def intervention_update(
    *, intervention: Intervention, expected_version: int, data: dict[str, Any], actor: Any
) -> Intervention:
    """Change plain fields of an intervention; refuses an edit made from a stale copy."""
    update_versioned(
        intervention,
        expected_version=expected_version,
        data=data,
        actor=actor,
        action="evidence.intervention.update",
    )
    return intervention_recompute(intervention=intervention)


@transaction.atomic
def evaluation_create(*, intervention: Intervention, actor: Any, **fields: Any) -> Evaluation:
    evaluation = Evaluation.objects.create(intervention=intervention, **fields)
    audit_record(actor=actor, action="evidence.evaluation.create", target=evaluation)
    intervention_recompute(intervention=intervention)
    return evaluation


@transaction.atomic
def evaluation_update(
    *, evaluation: Evaluation, expected_version: int, data: dict[str, Any], actor: Any
) -> Evaluation:
    update_versioned(
        evaluation,
        expected_version=expected_version,
        data=data,
        actor=actor,
        action="evidence.evaluation.update",
    )
    intervention_recompute(intervention=evaluation.intervention)
    return evaluation


@transaction.atomic
def appraisal_submit(
    *,
    evaluation: Evaluation,
    appraiser: Any,
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
    actor: Any,
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
    return consensus
