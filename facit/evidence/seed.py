"""Load the verified interventions file (data/interventions.json) into the registry.

The whole file is validated before anything is written; a broken entry names itself and
nothing is loaded. Loading again updates entries in place (keyed by the file's ids).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
from django.conf import settings
from django.db import transaction

from facit.evidence import vocabularies as vocab
from facit.evidence.countries import names as country_names
from facit.evidence.countries import normalise as normalise_countries
from facit.evidence.models import (
    ClearinghouseRating,
    DataOrigin,
    Evaluation,
    Extraction,
    Intervention,
    Outcome,
    Provenance,
    Term,
)
from facit.evidence.services import intervention_recompute

SEED_FILE = Path(settings.DATA_DIR) / "interventions.json"
EXTRACTIONS_FILE = Path(settings.DATA_DIR) / "evaluation_extractions.json"
PROVISIONAL_PROVENANCE = "provisional: one extractor, from the stated result"

_CITATION = {
    "type": "object",
    "required": ["title"],
    "properties": {
        key: {"type": "string"}
        for key in [
            "authors",
            "year",
            "title",
            "journal_or_publisher",
            "volume_issue_pages",
            "doi",
            "report_number",
        ]
    },
}
_EVALUATION = {
    "type": "object",
    "required": ["citation", "design", "sources"],
    "properties": {
        "citation": _CITATION,
        "design": {"type": "string"},
        "sources": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    },
}
ENTRY_SCHEMA = {
    "type": "object",
    "required": ["id", "name", "focus", "target_groups", "evaluations", "sources"],
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9-]+$"},
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "focus": {"type": "array", "items": {"type": "string"}},
        "target_groups": {"type": "array", "items": {"type": "string"}},
        "setting": {"type": "string"},
        "country_of_origin": {"type": "string"},
        "evaluations": {"type": "array", "items": _EVALUATION},
        "clearinghouse_ratings": {"type": "array"},
        "sources": {"type": "array", "items": {"type": "string"}},
    },
}


class SeedError(Exception):
    """A seed entry is broken; `entry` names it."""

    def __init__(self, entry: str, reason: str) -> None:
        super().__init__(f"entry {entry}: {reason}")
        self.entry = entry
        self.reason = reason


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


def _validate(entries: Any) -> None:
    if not isinstance(entries, list):
        raise SeedError("(file)", "the file must hold a JSON list of interventions")
    seen: set[str] = set()
    designs, focus, targets = (
        vocab.by_label(vocab.DESIGN),
        vocab.by_label(vocab.FOCUS),
        vocab.by_label(vocab.TARGET_GROUP),
    )
    for index, entry in enumerate(entries):
        name = f"#{index + 1}" + (
            f" ({entry.get('id')})" if isinstance(entry, dict) and entry.get("id") else ""
        )
        errors = sorted(
            jsonschema.Draft202012Validator(ENTRY_SCHEMA).iter_errors(entry),
            key=lambda e: list(e.path),
        )
        if errors:
            where = "/".join(str(p) for p in errors[0].path) or "(entry)"
            raise SeedError(name, f"{where}: {errors[0].message}")
        if entry["id"] in seen:
            raise SeedError(name, "the id is used twice")
        seen.add(entry["id"])
        for label, table, field in (
            (entry["focus"], focus, "focus"),
            (entry["target_groups"], targets, "target_groups"),
        ):
            unknown = [x for x in label if x.casefold() not in table]
            if unknown:
                raise SeedError(name, f"{field}: unknown value {unknown[0]!r}")
        for number, evaluation in enumerate(entry["evaluations"], start=1):
            design = evaluation["design"].casefold()
            if design and design not in designs:
                raise SeedError(
                    name, f"evaluations/{number}/design: unknown design {evaluation['design']!r}"
                )


def _seed_key(data: dict[str, Any]) -> str:
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
        key = _seed_key(data)
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


def _read(path: Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SeedError("(file)", str(exc)) from exc


def seed_interventions(path: Path = SEED_FILE, extractions: Path | None = None) -> int:
    """Validate the whole file (and the extraction file, when given), then load both in one
    transaction. Returns the number of interventions loaded."""
    entries = _read(path)
    _validate(entries)
    extraction_entries = None
    if extractions is not None:
        extraction_entries = _read(extractions)
        validate_extractions(extraction_entries, entries)
    with transaction.atomic():
        terms = vocabularies_load()
        loaded = [_load_entry(entry, terms) for entry in entries]
        _drop_unused_countries()
        if extraction_entries is not None:
            _load_extractions(extraction_entries, entries)
            for intervention in loaded:
                intervention_recompute(intervention=intervention)
    return len(entries)


# --- The provisional extraction (data/evaluation_extractions.json) -------------------------

QUOTE_FIELDS = ("design", "design_detail", "sample_size", "main_outcome", "result_as_stated")
EXTRACTION_SCHEMA = {
    "type": "object",
    "required": [
        "intervention_id",
        "evaluation_index",
        "design_class",
        "controlled",
        "direction",
        "sustained_months",
        "evidence_quote",
        "evidence_quote_field",
        "confidence",
        "note",
    ],
    "properties": {
        "intervention_id": {"type": "string"},
        "evaluation_index": {"type": "integer", "minimum": 0},
        "design_class": {"enum": sorted(vocab.DESIGN_CLASS_TO_DESIGN)},
        "controlled": {"type": "boolean"},
        "direction": {"enum": list(vocab.EXTRACTION_DIRECTIONS)},
        "sustained_months": {"type": ["number", "null"], "minimum": 0},
        "followup_quote": {"type": ["string", "null"]},
        "evidence_quote": {"type": "string", "minLength": 1},
        "evidence_quote_field": {"enum": list(QUOTE_FIELDS)},
        "confidence": {"enum": ["high", "low"]},
        "note": {"type": "string"},
        "second_pass": {"type": "object"},
    },
}


def validate_extractions(data: Any, interventions: list[dict[str, Any]]) -> None:
    """Check every entry against the interventions file; the first broken one is named."""
    if not isinstance(data, dict) or not isinstance(data.get("extractions"), list):
        raise SeedError("(file)", "the file must hold an object with an 'extractions' list")
    by_id = {entry["id"]: entry for entry in interventions}
    seen: set[tuple[str, int]] = set()
    validator = jsonschema.Draft202012Validator(EXTRACTION_SCHEMA)
    for index, entry in enumerate(data["extractions"]):
        name = f"extraction #{index + 1}"
        if isinstance(entry, dict):
            name += f" ({entry.get('intervention_id')} evaluation {entry.get('evaluation_index')})"
        errors = sorted(validator.iter_errors(entry), key=lambda e: list(e.path))
        if errors:
            where = "/".join(str(p) for p in errors[0].path) or "(entry)"
            raise SeedError(name, f"{where}: {errors[0].message}")
        intervention = by_id.get(entry["intervention_id"])
        if intervention is None:
            raise SeedError(name, f"unknown intervention {entry['intervention_id']!r}")
        evaluations = intervention["evaluations"]
        if entry["evaluation_index"] >= len(evaluations):
            raise SeedError(
                name,
                f"unknown evaluation: {entry['intervention_id']!r} has {len(evaluations)} evaluation(s)",
            )
        key = (entry["intervention_id"], entry["evaluation_index"])
        if key in seen:
            raise SeedError(name, "this evaluation has two entries")
        seen.add(key)
        field = entry["evidence_quote_field"]
        if entry["evidence_quote"] not in str(
            evaluations[entry["evaluation_index"]].get(field, "")
        ):
            raise SeedError(
                name, f"evidence_quote is not a verbatim part of the evaluation's {field}"
            )


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
            intervention__slug=entry["intervention_id"], seed_key=_seed_key(source)
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
            measure=(source.get("main_outcome") or "main outcome")[:300],
            direction=direction,
            timepoint_months=int(months) if months is not None else None,
            provenance=Provenance.PROVISIONAL,
            outcome_domain=domain,
            evidence_quote=entry["evidence_quote"],
            notes=entry["note"],
        )
