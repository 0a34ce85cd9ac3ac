"""Writes to the evidence registry. Every change recomputes the intervention's level."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.db.models import Prefetch

from facit.accounts.models import User
from facit.core.audit import audit_record
from facit.core.concurrency import save_versioned, update_versioned
from facit.evidence import levels
from facit.evidence import vocabularies as vocab
from facit.evidence.models import (
    UNNAMED_MEASURE,
    Appraisal,
    ClearinghouseRating,
    DataOrigin,
    Evaluation,
    Extraction,
    Intervention,
    Outcome,
    Provenance,
    Term,
)
from facit.evidence.registry.countries import names as country_names
from facit.evidence.registry.countries import normalise as normalise_countries
from facit.evidence.revision import evidence_changed
from facit.evidence.vocabularies import CONTROLLED, DESIGN_CLASS_TO_DESIGN


def current_extraction(evaluation: Evaluation) -> Extraction | None:
    """The extraction the level rests on: the reviewers' consensus, else the provisional one."""
    rows = list(evaluation.extractions.all())
    for role in (Extraction.Role.CONSENSUS, Extraction.Role.PROVISIONAL):
        found = next((x for x in rows if x.role == role), None)
        if found is not None:
            return found
    return None


def _design(evaluation: Evaluation, extraction: Extraction | None) -> str:
    design = evaluation.design.code
    if extraction is not None:
        mapped = DESIGN_CLASS_TO_DESIGN.get(extraction.design_class, "")
        if mapped:
            design = mapped
        elif design in CONTROLLED:
            design = "not-stated"
    return design


def _facts(evaluation: Evaluation) -> levels.EvaluationFacts:
    consensus = next(
        (a for a in evaluation.appraisals.all() if a.role == Appraisal.Role.CONSENSUS), None
    )
    extraction = current_extraction(evaluation)
    design = _design(evaluation, extraction)
    if consensus is not None and consensus.design_confirmed is not None:
        design = consensus.design_confirmed.code
    rob = consensus.overall if consensus else None
    if rob is None and extraction is not None and extraction.role == Extraction.Role.CONSENSUS:
        rob = extraction.rob_overall or None
    return levels.EvaluationFacts(
        id=evaluation.pk,
        design=design,
        rob=rob,
        outcomes=[
            levels.OutcomeFacts(direction=o.direction, months=o.timepoint_months)
            for o in evaluation.outcomes.all()
        ],
        sample_key=evaluation.sample_key,
        independent=evaluation.independent,
    )


def _evaluations_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "evaluations",
        queryset=Evaluation.objects.select_related("design").prefetch_related(
            "outcomes",
            "extractions",
            Prefetch("appraisals", queryset=Appraisal.objects.select_related("design_confirmed")),
        ),
    )


def _has_result(evaluation: Evaluation, extraction: Extraction | None) -> bool:
    if extraction is not None:
        return extraction.direction != "not_reported"
    return bool(evaluation.outcomes.all())


def _apply(intervention: Intervention) -> list[str]:
    # Draft evaluations count for nothing until an editor publishes them.
    evaluations = [e for e in intervention.evaluations.all() if e.is_published]
    extractions = {e.pk: current_extraction(e) for e in evaluations}

    def relevance(e: Evaluation) -> str:
        x = extractions[e.pk]
        return x.relevance if x is not None else Extraction.Relevance.OWN

    own = [e for e in evaluations if relevance(e) == Extraction.Relevance.OWN]
    result = levels.compute_level(
        [_facts(e) for e in own], manual_available=intervention.manual_available
    )
    intervention.planned_count = sum(
        1 for e in evaluations if relevance(e) == Extraction.Relevance.PLANNED
    )
    intervention.related_count = sum(
        1 for e in evaluations if relevance(e) == Extraction.Relevance.RELATED
    )
    intervention.results_count = sum(1 for e in own if _has_result(e, extractions[e.pk]))
    intervention.level_provisional = any(
        x is not None and x.role == Extraction.Role.PROVISIONAL for x in extractions.values()
    )
    reasons = [asdict(r) for r in result.reasons]
    for code, count in (
        ("planned", intervention.planned_count),
        ("related", intervention.related_count),
    ):
        if count:
            reasons.append({"code": code, "params": {"count": count}})
    flags = list(result.flags)
    if intervention.level_provisional:
        flags.insert(0, "provisional")
    intervention.evaluation_count = len(evaluations)
    intervention.evidence_level = result.level
    intervention.level_reasons = reasons
    intervention.level_flags = flags
    intervention.level_rules_version = result.rules_version
    intervention.has_controlled_evaluation = any(
        _design(e, extractions[e.pk]) in CONTROLLED for e in own
    )
    intervention.has_independent_evaluation = any(e.independent for e in own)
    return [
        "planned_count",
        "related_count",
        "results_count",
        "level_provisional",
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
    evidence_changed()
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
            evidence_changed()  # bulk_update sends no signals
        if on_progress:
            on_progress(min(start + batch_size, len(ids)), len(ids))
    return len(ids)


@transaction.atomic
def intervention_update(
    *, intervention: Intervention, expected_version: int, data: dict[str, Any], actor: User
) -> Intervention:
    """Change fields of an intervention; refuses an edit made from a stale copy.

    `data` may hold plain fields and the term lists (focus, target_groups, settings,
    countries: iterables of Terms); the version check comes first, so a stale edit
    changes neither. The audit entry names every field set, never its content."""
    many = {k: list(data[k]) for k in _INTERVENTION_TERM_LISTS if k in data}
    plain = {k: v for k, v in data.items() if k not in many}
    if many and not plain:
        plain = {"name": intervention.name}  # the version still moves on a terms-only edit
    for name, value in plain.items():
        setattr(intervention, name, value)
    save_versioned(intervention, expected_version=expected_version, update_fields=list(plain))
    for name, terms in many.items():
        getattr(intervention, name).set(terms)
    audit_record(
        actor=actor,
        action="evidence.intervention.update",
        target=intervention,
        detail={"fields": sorted(set(data))},
    )
    evidence_changed()
    return intervention_recompute(intervention=intervention)


_INTERVENTION_TERM_LISTS = ("focus", "target_groups", "settings", "countries")


@transaction.atomic
def evaluation_create(*, intervention: Intervention, actor: User, **fields: Any) -> Evaluation:
    evaluation = Evaluation.objects.create(intervention=intervention, **fields)
    audit_record(actor=actor, action="evidence.evaluation.create", target=evaluation)
    intervention_recompute(intervention=intervention)
    evidence_changed()
    return evaluation


@transaction.atomic
def evaluation_update(
    *, evaluation: Evaluation, expected_version: int, data: dict[str, Any], actor: User
) -> Evaluation:
    update_versioned(
        evaluation,
        expected_version=expected_version,
        data=data,
        actor=actor,
        action="evidence.evaluation.update",
    )
    intervention_recompute(intervention=evaluation.intervention)
    evidence_changed()
    return evaluation


@transaction.atomic
def intervention_create_draft(*, name: str, actor: User) -> Intervention:
    """A new intervention as a draft: unclassified and invisible until an editor publishes it."""
    from django.utils.text import slugify

    base = slugify(name)[:100] or "intervention"
    slug, n = base, 1
    while Intervention.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    intervention = Intervention.objects.create(slug=slug, name=name, is_published=False)
    audit_record(actor=actor, action="evidence.intervention.create_draft", target=intervention)
    evidence_changed()
    return intervention


@transaction.atomic
def intervention_publish(
    *, intervention: Intervention, expected_version: int, actor: User
) -> Intervention:
    """An editor publishes a draft intervention (and its draft evaluations with it)."""
    update_versioned(
        intervention,
        expected_version=expected_version,
        data={"is_published": True},
        actor=actor,
        action="evidence.intervention.publish",
    )
    for evaluation in intervention.evaluations.filter(is_published=False):
        _evaluation_mark_published(evaluation, expected_version=evaluation.version, actor=actor)
    evidence_changed()
    return intervention_recompute(intervention=intervention)


@transaction.atomic
def evaluation_publish(*, evaluation: Evaluation, expected_version: int, actor: User) -> Evaluation:
    _evaluation_mark_published(evaluation, expected_version=expected_version, actor=actor)
    intervention_recompute(intervention=evaluation.intervention)
    evidence_changed()
    return evaluation


def _evaluation_mark_published(
    evaluation: Evaluation, *, expected_version: int, actor: User
) -> None:
    """Publish one evaluation (versioned, audited); the caller recomputes the level once."""
    update_versioned(
        evaluation,
        expected_version=expected_version,
        data={"is_published": True},
        actor=actor,
        action="evidence.evaluation.publish",
    )


# --- Loading the verified data (data/interventions.json, data/evaluation_extractions.json) --
# `facit.evidence.seed` reads and validates the files; the writes are here. No person acts:
# the load is audited as the system, as data migrations would be.

PROVISIONAL_PROVENANCE = "provisional: one extractor, from the stated result"


@transaction.atomic
def verified_interventions_load(
    *, entries: list[dict[str, Any]], extractions: dict[str, Any] | None = None
) -> list[Intervention]:
    """Load validated interventions (and their provisional extraction, when given) in one
    transaction. Entries are updated in place, keyed by the file's ids; an evaluation the
    reviewers confirmed keeps their extraction and outcomes."""
    terms = vocabularies_load()
    loaded = [_load_entry(entry, terms) for entry in entries]
    _drop_unused_countries()
    if extractions is not None:
        _load_extractions(extractions, entries)
        for intervention in loaded:
            intervention_recompute(intervention=intervention)
    audit_record(
        actor=None,
        action="evidence.verified_load",
        detail={
            "interventions": len(loaded),
            "extractions": len(extractions["extractions"]) if extractions is not None else 0,
        },
    )
    evidence_changed()
    return loaded


def vocabularies_load() -> dict[tuple[str, str], Term]:
    terms = {}
    for vocabulary, entries in vocab.VOCABULARIES.items():
        for position, entry in enumerate(entries):
            term, _ = Term.objects.update_or_create(
                vocabulary=vocabulary,
                code=entry.code,
                defaults={"label_en": entry.en, "label_sv": entry.sv, "position": position},
            )
            terms[(vocabulary, entry.code)] = term
    evidence_changed()
    return terms


def _country_terms(text: str) -> list[Term]:
    """The country terms of a country-of-origin text: ISO countries babel names, plus the
    "not recognised" term when some of the text names no country (the text stays as written
    in country_text)."""
    codes, unmatched = normalise_countries(text)
    terms = []
    for code in codes:
        en, sv = country_names(code)
        term, _ = Term.objects.update_or_create(
            vocabulary=vocab.COUNTRY, code=code, defaults={"label_en": en, "label_sv": sv}
        )
        terms.append(term)
    if unmatched:
        entry = vocab.COUNTRY_UNMATCHED
        term, _ = Term.objects.update_or_create(
            vocabulary=vocab.COUNTRY,
            code=entry.code,
            defaults={"label_en": entry.en, "label_sv": entry.sv, "position": 1},
        )
        terms.append(term)
    return terms


def _drop_unused_countries() -> None:
    """Country terms left from free text before normalisation (e.g. "multiple") go, once no
    intervention uses them."""
    used = Intervention.countries.through.objects.values("term_id")
    Term.objects.filter(vocabulary=vocab.COUNTRY).exclude(pk__in=used).delete()


def seed_key(data: dict[str, Any]) -> str:
    citation = data["citation"]
    parts = [
        citation["title"],
        citation.get("year", ""),
        citation.get("report_number", ""),
        citation.get("doi", ""),
    ]
    return hashlib.sha1("|".join(parts).encode(), usedforsecurity=False).hexdigest()


def _evaluation_fields(data: dict[str, Any], design: Term) -> dict[str, Any]:
    citation = data["citation"]
    sample_text = data.get("sample_size", "")
    match = re.match(r"^\s*(\d[\d,\s]*)", sample_text)
    return {
        "authors": citation.get("authors", ""),
        "year": citation.get("year", ""),
        "title": citation["title"],
        "journal": citation.get("journal_or_publisher", ""),
        "volume_issue_pages": citation.get("volume_issue_pages", ""),
        "doi": citation.get("doi", ""),
        "report_number": citation.get("report_number", ""),
        "design": design,
        "design_detail": data.get("design_detail", ""),
        "sample_size_text": sample_text[:300],
        "sample_size": int(re.sub(r"[,\s]", "", match.group(1))) if match else None,
        "main_outcome": data.get("main_outcome", ""),
        "result_as_stated": data.get("result_as_stated", ""),
        "notes": data.get("notes", ""),
        "sources": data["sources"],
        "origin": DataOrigin.VERIFIED,
    }


def _load_entry(entry: dict[str, Any], terms: dict[tuple[str, str], Term]) -> Intervention:
    intervention, _ = Intervention.objects.update_or_create(
        slug=entry["id"],
        defaults={
            "name": entry["name"],
            "description": entry.get("description", ""),
            "setting_text": entry.get("setting", "")[:300],
            "country_text": entry.get("country_of_origin", "")[:300],
            "notes": entry.get("notes", ""),
            "sources": entry["sources"],
            "origin": DataOrigin.VERIFIED,
        },
    )
    focus, targets = vocab.by_label(vocab.FOCUS), vocab.by_label(vocab.TARGET_GROUP)
    intervention.focus.set([terms[(vocab.FOCUS, focus[f.casefold()])] for f in entry["focus"]])
    intervention.target_groups.set(
        [terms[(vocab.TARGET_GROUP, targets[t.casefold()])] for t in entry["target_groups"]]
    )
    intervention.settings.set(
        [terms[(vocab.SETTING, c)] for c in vocab.classify_setting(entry.get("setting", ""))]
    )
    countries = _country_terms(entry.get("country_of_origin", ""))
    intervention.countries.set(countries)

    designs = vocab.by_label(vocab.DESIGN)
    keys = []
    for data in entry["evaluations"]:
        design = terms[(vocab.DESIGN, designs.get(data["design"].casefold(), "not-stated"))]
        key = seed_key(data)
        keys.append(key)
        Evaluation.objects.update_or_create(
            intervention=intervention, seed_key=key, defaults=_evaluation_fields(data, design)
        )
    # An evaluation removed from the file leaves the registry too.
    intervention.evaluations.filter(origin=DataOrigin.VERIFIED).exclude(seed_key__in=keys).delete()
    intervention.clearinghouse_ratings.all().delete()
    for rating in entry.get("clearinghouse_ratings", []):
        ClearinghouseRating.objects.create(
            intervention=intervention,
            clearinghouse=rating.get("clearinghouse", ""),
            rating=rating.get("rating", ""),
            date=rating.get("date", ""),
            source=rating.get("source", ""),
        )
    return intervention_recompute(intervention=intervention)


def _relevance(entry: dict[str, Any]) -> str:
    if entry["design_class"] == "registry_or_protocol":
        return Extraction.Relevance.PLANNED
    if entry["design_class"] == "systematic_review" or "not specific" in entry["note"].casefold():
        return Extraction.Relevance.RELATED
    return Extraction.Relevance.OWN


def _load_extractions(data: dict[str, Any], interventions: list[dict[str, Any]]) -> None:
    """Provisional rows in place; an evaluation the reviewers confirmed is left as they made it."""
    by_id = {entry["id"]: entry for entry in interventions}
    for entry in data["extractions"]:
        source = by_id[entry["intervention_id"]]["evaluations"][entry["evaluation_index"]]
        evaluation = Evaluation.objects.get(
            intervention__slug=entry["intervention_id"], seed_key=seed_key(source)
        )
        domain = vocab.classify_outcome_domain(source.get("main_outcome", ""))
        Extraction.objects.update_or_create(
            evaluation=evaluation,
            role=Extraction.Role.PROVISIONAL,
            defaults={
                "provenance": PROVISIONAL_PROVENANCE,
                "design_class": entry["design_class"],
                "controlled": entry["controlled"],
                "relevance": _relevance(entry),
                "direction": entry["direction"],
                "sustained_months": entry["sustained_months"],
                "followup_quote": entry.get("followup_quote") or "",
                "evidence_quote": entry["evidence_quote"],
                "evidence_quote_field": entry["evidence_quote_field"],
                "confidence": entry["confidence"],
                "note": entry["note"],
                "outcome_domain": domain,
                "measure": source.get("main_outcome", "")[:300],
                "second_pass": entry.get("second_pass") or {},
            },
        )
        if evaluation.extractions.filter(role=Extraction.Role.CONSENSUS).exists():
            continue
        evaluation.outcomes.filter(provenance=Provenance.PROVISIONAL).delete()
        direction = vocab.EXTRACTION_TO_OUTCOME_DIRECTION.get(entry["direction"])
        if direction is None:
            continue
        months = entry["sustained_months"]
        Outcome.objects.create(
            evaluation=evaluation,
            measure=(source.get("main_outcome") or UNNAMED_MEASURE)[:300],
            direction=direction,
            timepoint_months=int(months) if months is not None else None,
            provenance=Provenance.PROVISIONAL,
            outcome_domain=domain,
            evidence_quote=entry["evidence_quote"],
            notes=entry["note"],
        )
