"""The extraction desk: dual, blinded extraction of an evaluation's results, then consensus.

Blinding follows appraisal: a reviewer sees another reviewer's extraction only after saving
their own. The provisional entry from the data file is a starting point each reviewer must
accept or change explicitly (`accepted_provisional` and the changed fields are audited). A
consensus needs two reviewer extractions; it replaces the evaluation's provisional outcomes
with a confirmed one (through `outcome_record`, so the effect size is computed the same way)
and is the only way an evaluation's level stops being provisional.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from facit.accounts.models import User
from facit.core.audit import audit_record
from facit.core.concurrency import EditConflict, save_versioned, update_versioned
from facit.evidence import vocabularies as vocab
from facit.evidence.models import UNNAMED_MEASURE, Evaluation, Extraction, Outcome, Provenance
from facit.evidence.registry.services import intervention_recompute
from facit.evidence.revision import evidence_changed
from facit.evidence.synthesis.services import outcome_record

# The fields a reviewer extracts, in the order the desk shows and compares them.
DESK_FIELDS: tuple[str, ...] = (
    "design_class",
    "controlled",
    "sample_size",
    "sustained_months",
    "measure",
    "outcome_domain",
    "direction",
    "timepoint_months",
    "effect_measure",
    "reported",
    "evidence_quote",
    "rob_domains",
    "rob_overall",
)
CONFIRMED_PROVENANCE = "confirmed: two reviewers extracted independently, then agreed"


class ConsensusNotReady(Exception):
    """A consensus needs two independent reviewer extractions first."""


def _relevance(data: Mapping[str, Any]) -> str:
    if data.get("design_class") == "registry_or_protocol":
        return Extraction.Relevance.PLANNED
    if data.get("design_class") == "systematic_review":
        return Extraction.Relevance.RELATED
    return Extraction.Relevance.OWN


def provisional_of(evaluation: Evaluation) -> Extraction | None:
    return evaluation.extractions.filter(role=Extraction.Role.PROVISIONAL).first()


# Where a pre-filled value at the desk comes from; the desk says it beside the field, so a
# reviewer accepts or changes it knowingly.
SOURCE_PROVISIONAL = "provisional"
SOURCE_LITERATURE = "literature"
SOURCE_RECORDED = "recorded"

# The registry's design vocabulary -> the desk's design classes (the inverse of
# vocab.DESIGN_CLASS_TO_DESIGN where it is one-to-one; designs the desk has no class for are
# "other"; "not stated" pre-fills nothing).
DESIGN_TO_DESIGN_CLASS: dict[str, str] = {
    "rct": "rct",
    "quasi-experimental": "quasi_experimental",
    "pre-post": "pre_post",
    "qualitative": "qualitative",
    "process": "process_or_implementation",
    "systematic-review": "systematic_review",
    "cohort": "other",
    "mixed-methods": "other",
    "descriptive": "other",
}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == {}


def _recorded_facts(evaluation: Evaluation) -> dict[str, Any]:
    """Design, sample size and follow-up as recorded with the evaluation itself."""
    facts: dict[str, Any] = {}
    design_class = DESIGN_TO_DESIGN_CLASS.get(evaluation.design.code if evaluation.design else "")
    if design_class:
        facts["design_class"] = design_class
    if evaluation.sample_size is not None:
        facts["sample_size"] = evaluation.sample_size
    if evaluation.follow_up_months is not None:
        facts["sustained_months"] = float(evaluation.follow_up_months)
    return facts


def desk_start(evaluation: Evaluation) -> tuple[dict[str, Any], dict[str, str]]:
    """The desk's pre-filled starting point and, per pre-filled field, where it comes from:
    the provisional entry first; then what the evaluation records (from the literature
    review's extraction when the evaluation came from a review) for what that leaves empty."""
    initial: dict[str, Any] = {}
    sources: dict[str, str] = {}
    x = provisional_of(evaluation)
    if x is not None:
        initial = {name: getattr(x, name) for name in DESK_FIELDS}
        if initial.get("timepoint_months") is None and x.sustained_months is not None:
            initial["timepoint_months"] = int(x.sustained_months)
        sources = {name: SOURCE_PROVISIONAL for name, v in initial.items() if not _empty(v)}
    facts_source = (
        SOURCE_LITERATURE if evaluation.literature_extractions.exists() else SOURCE_RECORDED
    )
    for name, value in _recorded_facts(evaluation).items():
        if _empty(initial.get(name)):
            initial[name] = value
            sources[name] = facts_source
    return initial, sources


def provisional_initial(evaluation: Evaluation) -> dict[str, Any]:
    """The desk's pre-filled starting point (see desk_start)."""
    return desk_start(evaluation)[0]


def prefill_sources(evaluation: Evaluation) -> dict[str, str]:
    """Per pre-filled field, where its value comes from (see desk_start)."""
    return desk_start(evaluation)[1]


def _changed_from(initial: Mapping[str, Any], data: Mapping[str, Any]) -> list[str]:
    return sorted(name for name in DESK_FIELDS if initial.get(name) != data.get(name))


@transaction.atomic
def extraction_submit(
    *,
    evaluation: Evaluation,
    extractor: User,
    data: Mapping[str, Any],
    accepted_provisional: bool,
    expected_version: int | None = None,
) -> Extraction:
    """Save one reviewer's independent extraction. A second save by the same reviewer must
    name the version it was made from (optimistic lock)."""
    clean = {name: data.get(name) for name in DESK_FIELDS}
    clean["reported"] = clean["reported"] or {}
    clean["rob_domains"] = clean["rob_domains"] or {}
    for text in ("measure", "evidence_quote", "effect_measure", "rob_overall", "outcome_domain"):
        clean[text] = clean[text] or ""
    clean["outcome_domain"] = clean["outcome_domain"] or vocab.UNCLASSIFIED
    changed = _changed_from(provisional_initial(evaluation), clean)
    extras = {
        "relevance": _relevance(clean),
        "note": data.get("note") or "",
        "started_from_provisional": accepted_provisional,
    }
    mine = evaluation.extractions.filter(
        role=Extraction.Role.EXTRACTOR, extractor=extractor
    ).first()
    if mine is None:
        mine = Extraction.objects.create(
            evaluation=evaluation,
            role=Extraction.Role.EXTRACTOR,
            extractor=extractor,
            provenance="reviewer",
            **clean,
            **extras,
        )
        audit_record(
            actor=extractor,
            action="evidence.extraction.submit",
            target=mine,
            detail={"accepted_provisional": accepted_provisional, "changed": changed},
        )
        return mine
    if expected_version is None:
        raise EditConflict(mine, 0)
    update_versioned(
        mine,
        expected_version=expected_version,
        data={**clean, **extras},
        actor=extractor,
        action="evidence.extraction.update",
    )
    evidence_changed()
    return mine


def reviewer_extractions(evaluation: Evaluation) -> list[Extraction]:
    return list(
        evaluation.extractions.filter(role=Extraction.Role.EXTRACTOR)
        .select_related("extractor")
        .order_by("created_at", "id")
    )


def extraction_disagreements(*, evaluation: Evaluation) -> dict[str, tuple[Any, Any]]:
    """Field by field, where the first two reviewer extractions differ."""
    pair = reviewer_extractions(evaluation)[:2]
    if len(pair) < 2:
        return {}
    first, second = pair
    diffs: dict[str, tuple[Any, Any]] = {}
    for name in DESK_FIELDS:
        a, b = getattr(first, name), getattr(second, name)
        if name == "rob_domains":
            for domain in sorted(set(a) | set(b)):
                if a.get(domain, "") != b.get(domain, ""):
                    diffs[f"rob_domains.{domain}"] = (a.get(domain, ""), b.get(domain, ""))
        elif a != b:
            diffs[name] = (a, b)
    return diffs


@transaction.atomic
def extraction_consensus(
    *,
    evaluation: Evaluation,
    actor: User,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> Extraction:
    """The agreed extraction (by one of the pair or a third reviewer); confirms the evaluation."""
    if len(reviewer_extractions(evaluation)) < 2:
        raise ConsensusNotReady("Two independent extractions are needed before a consensus.")
    clean = {name: data.get(name) for name in DESK_FIELDS}
    clean["reported"] = clean["reported"] or {}
    clean["rob_domains"] = clean["rob_domains"] or {}
    for text in ("measure", "evidence_quote", "effect_measure", "rob_overall"):
        clean[text] = clean[text] or ""
    clean["outcome_domain"] = clean["outcome_domain"] or vocab.UNCLASSIFIED
    fields = {
        **clean,
        "relevance": _relevance(clean),
        "note": data.get("note") or "",
        "provenance": CONFIRMED_PROVENANCE,
        "extractor": actor,
    }
    consensus = evaluation.extractions.filter(role=Extraction.Role.CONSENSUS).first()
    if consensus is None:
        consensus = Extraction.objects.create(
            evaluation=evaluation, role=Extraction.Role.CONSENSUS, **fields
        )
        audit_record(actor=actor, action="evidence.extraction.consensus", target=consensus)
    else:
        if expected_version is None:
            raise EditConflict(consensus, 0)
        for name, value in fields.items():
            setattr(consensus, name, value)
        save_versioned(consensus, expected_version=expected_version, update_fields=list(fields))
        audit_record(
            actor=actor,
            action="evidence.extraction.consensus_update",
            target=consensus,
            detail={"fields": sorted(fields)},
        )
    _evaluation_facts(evaluation, clean, actor)
    evaluation.outcomes.filter(
        provenance__in=[Provenance.PROVISIONAL, Provenance.CONFIRMED]
    ).delete()
    direction = vocab.EXTRACTION_TO_OUTCOME_DIRECTION.get(clean["direction"] or "")
    if direction is not None:
        outcome = outcome_record(
            evaluation=evaluation,
            measure=clean["measure"] or evaluation.main_outcome[:300] or UNNAMED_MEASURE,
            direction=direction,
            timepoint_months=clean["timepoint_months"],
            actor=actor,
            effect_measure=str(clean["effect_measure"] or ""),
            reported=clean["reported"],
        )
        Outcome.objects.filter(pk=outcome.pk).update(
            provenance=Provenance.CONFIRMED,
            outcome_domain=clean["outcome_domain"],
            evidence_quote=clean["evidence_quote"],
        )
    intervention_recompute(intervention=evaluation.intervention)
    evidence_changed()
    return consensus


def _evaluation_facts(evaluation: Evaluation, clean: Mapping[str, Any], actor: User) -> None:
    """Sample size and follow-up agreed at the desk go onto the evaluation (audited, locked)."""
    data: dict[str, Any] = {}
    if clean.get("sample_size") is not None and clean["sample_size"] != evaluation.sample_size:
        data["sample_size"] = clean["sample_size"]
    months = clean.get("sustained_months")
    if months is not None and int(months) != evaluation.follow_up_months:
        data["follow_up_months"] = int(months)
    if data:
        update_versioned(
            evaluation,
            expected_version=evaluation.version,
            data=data,
            actor=actor,
            action="evidence.evaluation.update",
        )
