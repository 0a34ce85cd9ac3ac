"""Load the verified interventions file (data/interventions.json) into the registry.

The whole file is validated before anything is written; a broken entry names itself and
nothing is loaded. Loading again updates entries in place (keyed by the file's ids).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from django.conf import settings

from facit.evidence import vocabularies as vocab
from facit.evidence.registry.services import (
    PROVISIONAL_PROVENANCE as PROVISIONAL_PROVENANCE,
)
from facit.evidence.registry.services import verified_interventions_load
from facit.evidence.registry.services import vocabularies_load as vocabularies_load

SEED_FILE = Path(settings.DATA_DIR) / "interventions.json"
EXTRACTIONS_FILE = Path(settings.DATA_DIR) / "evaluation_extractions.json"

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
    verified_interventions_load(entries=entries, extractions=extraction_entries)
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
