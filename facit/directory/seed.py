"""Seed the directory from the verified data files: facit's taxonomy, Sweden's counties and
municipalities (data/municipalities.csv) and the organisations of data/services_se.json.

Only what the file states is loaded. The structured facts below (ages, areas, channels,
audiences) restate, per entry, what the entry's own text says — the text itself is kept
verbatim in the service's description and eligibility, and its sources are shown on the page.
Loading again updates in place (ids are derived from names).
"""

from __future__ import annotations

import csv
import json
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from facit.core.sentences import sentences
from facit.directory import vocab
from facit.directory.models import (
    County,
    DataOrigin,
    Municipality,
    Service,
)
from facit.directory.services import (
    barnahus_seed,
    duty_to_report_seed,
    places_seed,
    service_index,
    taxonomy_seed,
    verified_service_seed,
)

SERVICES_FILE = Path(settings.DATA_DIR) / "services_se.json"
BARNAHUS_FILE = Path(settings.DATA_DIR) / "barnahus_se.json"
SWEDISH_FILE = Path(settings.DATA_DIR) / "directory_sv.json"
MUNICIPALITIES_FILE = Path(settings.DATA_DIR) / "municipalities.csv"
SEED_NS = uuid.UUID("0b5f7a0e-3f0c-4d5e-8d8a-5d6f2b1c9e77")


def seed_id(*parts: str) -> str:
    return str(uuid.uuid5(SEED_NS, "|".join(parts)))


@dataclass(frozen=True)
class EntryFacts:
    """What an entry's own text states, in structured form (see the comment per entry)."""

    minimum_age: int | None = None
    maximum_age: int | None = None
    areas: tuple[tuple[str, str], ...] = ()  # ("national", ""), ("municipality", code), ...
    terms: tuple[str, ...] = ()
    around_the_clock: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


NATIONAL = (("national", ""),)
FACTS: dict[str, EntryFacts] = {
    # "professionals handling cases ...", area national, an advice line (phone given)
    "Nationella samordningen mot prostitution och människohandel (NSPM), Jämställdhetsmyndigheten": EntryFacts(
        areas=NATIONAL,
        terms=("audience:professionals", "channel:phone", "exploitation:trafficking"),
    ),
    # "police and social services"; "the whole country is covered"
    "Regionkoordinatorer mot prostitution och människohandel": EntryFacts(
        areas=NATIONAL, terms=("audience:professionals", "exploitation:trafficking")
    ),
    # "children and young people under 18"; phone, chat; "24/7"
    "BRIS – Barnens rätt i samhället": EntryFacts(
        maximum_age=17,
        areas=NATIONAL,
        terms=("audience:children", "channel:phone", "channel:chat"),
        around_the_clock=True,
    ),
    # "anyone who finds material or information"
    "ECPAT Sverige – Hotline": EntryFacts(
        areas=NATIONAL, terms=("audience:anyone", "exploitation:abuse-material")
    ),
    # "children and young people under 18", national
    "Ditt ECPAT": EntryFacts(maximum_age=17, areas=NATIONAL, terms=("audience:children",)),
    # "people worried about their own sexual urges; professionals can call"
    "PrevenTell": EntryFacts(
        areas=NATIONAL,
        terms=("audience:worried-about-own-urges", "audience:professionals", "channel:phone"),
    ),
    # "18 years and older", Stockholm; "experience of selling sex"
    "Mikamottagningen Stockholm": EntryFacts(
        minimum_age=18,
        areas=(("municipality", "0180"),),
        terms=("audience:young-adults", "audience:professionals", "exploitation:compensation"),
    ),
    # "no age limit", Göteborg
    "Mikamottagningen Göteborg": EntryFacts(
        areas=(("municipality", "1480"),),
        terms=("audience:professionals", "exploitation:compensation"),
    ),
    # "from 15 years", Malmö
    "Evonhuset Malmö": EntryFacts(
        minimum_age=15,
        areas=(("municipality", "1280"),),
        terms=("audience:young-people", "audience:professionals", "exploitation:compensation"),
    ),
    # "Stockholm area ... and units in other cities, e.g. Göteborg"
    "Stödcentrum för unga brottsoffer": EntryFacts(
        areas=(("municipality", "0180"), ("municipality", "1480")),
        terms=("audience:young-people",),
    ),
    # "Linköping/Östergötland; chat and e-mail nationwide"
    "Novahuset": EntryFacts(
        areas=(("county", "05"), ("national", "")),
        terms=("channel:chat", "exploitation:online", "exploitation:sexual-abuse"),
    ),
    # "LGBTQI people aged 15–25 with experience of sex for compensation"; anonymous chat
    "Pegasus (RFSL Ungdom)": EntryFacts(
        minimum_age=15,
        maximum_age=25,
        areas=NATIONAL,
        terms=("audience:young-people", "channel:chat", "exploitation:compensation"),
    ),
    # "children 0–18 suspected to be victims of crime"; "more than 30 Barnahus across Sweden"
    "Barnahus": EntryFacts(
        minimum_age=0, maximum_age=18, areas=NATIONAL, terms=("audience:children",)
    ),
}


def taxonomy_load() -> int:
    """facit's taxonomy and its terms (idempotent)."""
    return taxonomy_seed(
        taxonomy={
            "id": vocab.TAXONOMY_ID,
            "name": vocab.TAXONOMY_NAME,
            "description": "facit's terms for audience, form of exploitation, channel, cost and gender.",
            "version": "1",
        },
        terms=[
            {
                "id": term.id,
                "code": term.code,
                "name": term.en,
                "name_sv": term.sv,
                "description": f"{vocab.VOCABULARY_LABELS[term.vocabulary][0]}: {term.en}",
                "taxonomy": vocab.TAXONOMY_NAME,
                "position": position,
            }
            for position, term in enumerate(vocab.TERMS)
        ],
    )


def municipalities_load(path: Path = MUNICIPALITIES_FILE) -> tuple[int, int]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    counties = {r["county_code"]: r["county"] for r in rows}
    places_seed(
        counties=counties,
        municipalities=[
            {
                "code": r["municipality_code"],
                "name": r["municipality"],
                "county_id": r["county_code"],
                "latitude": float(r["latitude"]),
                "longitude": float(r["longitude"]),
            }
            for r in rows
        ],
    )
    return len(counties), len(rows)


def _area(service_id: str, scope: str, code: str, index: int, text: str) -> dict[str, Any]:
    area: dict[str, Any] = {
        "id": seed_id(service_id, "area", str(index)),
        "scope": scope,
        "description": text,
        "description_sv": _sv(text),
    }
    if scope == "county":
        area["county_id"] = code
        area["name"] = County.objects.get(code=code).name
    elif scope == "municipality":
        area["municipality_id"] = code
        area["name"] = Municipality.objects.get(code=code).name
    else:
        area["name"] = "Sverige"
    return area


def swedish_texts(path: Path = SWEDISH_FILE) -> dict[str, str]:
    """English text -> its Swedish wording (data/directory_sv.json)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {row["en"]: row["sv"] for row in data["texts"]}


def _sv(text: str) -> str:
    """The Swedish wording of a text from the data files ("" when none is recorded)."""
    if not text:
        return ""
    return _SV.setdefault("texts", swedish_texts()).get(text, "")


_SV: dict[str, dict[str, str]] = {}


def _entry_load(entry: dict[str, Any], compiled: date) -> Service:
    name = entry["name"]
    facts = FACTS.get(name, EntryFacts())
    notes = entry.get("notes", "")
    service_id = seed_id("service", name)
    around = facts.around_the_clock
    return verified_service_seed(
        organization={
            "id": seed_id("organization", name),
            "name": name,
            "description": entry.get("kind", ""),
            "website": entry.get("url", ""),
            "sources": entry["sources"],
            "origin": DataOrigin.VERIFIED,
        },
        service={
            "id": service_id,
            "name": name,
            "description": " ".join(p for p in [entry.get("kind", ""), notes] if p),
            "description_sv": sentences(_sv(entry.get("kind", "")), _sv(notes)),
            "eligibility_description_sv": _sv(entry.get("serves", "")),
            "url": entry.get("url", ""),
            "eligibility_description": entry.get("serves", ""),
            "minimum_age": facts.minimum_age,
            "maximum_age": facts.maximum_age,
            "sources": entry["sources"],
            "origin": DataOrigin.VERIFIED,
            "last_verified_at": compiled,
            "verified_by_label": "facit data/services_se.json",
        },
        areas=[
            _area(service_id, scope, code, index, entry.get("area", ""))
            for index, (scope, code) in enumerate(facts.areas or (("other", ""),))
        ],
        phone=(
            {"id": seed_id(service_id, "phone"), "number": entry["phone"]}
            if entry.get("phone")
            else None
        ),
        schedule=(
            {
                "id": seed_id(service_id, "schedule"),
                "description": entry["hours"],
                "description_sv": _sv(entry["hours"]),
                "freq": "WEEKLY" if around else "",
                "byday": "MO,TU,WE,TH,FR,SA,SU" if around else "",
                "opens_at": "00:00" if around else "",
                "closes_at": "23:59" if around else "",
            }
            if entry.get("hours")
            else None
        ),
        attributes=[
            {
                "id": seed_id(service_id, "attribute", code),
                "link_type": "eligibility" if code.startswith("audience") else "",
                "link_entity": "service",
                "taxonomy_term_id": vocab.term_id(code),
            }
            for code in facts.terms
        ],
    )


def duty_to_report_load(data: dict[str, Any]) -> bool:
    """The first version of the guide's duty-to-report text, from the verified file: its
    summary and legal reference in Swedish and English for the reader, and what the file
    says is unverified as a note for editors only. A verified version loaded before the
    Swedish wording existed gets it (an editor's version is never touched)."""
    sv = json.loads(SWEDISH_FILE.read_text(encoding="utf-8"))["duty_to_report"]
    wording: dict[str, Any] = {
        "summary": data["summary"],
        "summary_sv": _sv(data["summary"]),
        "legal_reference": data["law"],
        "legal_reference_sv": "",
        "editor_note": "",
    }
    if sv["law"] == data["law"]:  # the wording was made from exactly this text
        wording["legal_reference"] = sv["legal_reference_en"]
        wording["legal_reference_sv"] = sv["legal_reference_sv"]
        wording["editor_note"] = sv["editor_note"]
    return duty_to_report_seed(wording=wording, sources=data["sources"])


def _slug(name: str) -> str:
    from django.utils.text import slugify

    return slugify(name.replace("ö", "o").replace("ä", "a").replace("å", "a"))


def barnahus_load(path: Path = BARNAHUS_FILE) -> tuple[int, int]:
    """The Barnahus of data/barnahus_se.json with the municipalities each source names, the
    network facts, the recorded gaps and the police's advice (idempotent)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    known = set(Municipality.objects.values_list("code", flat=True))
    entries = []
    for entry in data["entries"]:
        fields = ("address", "phone", "email", "website", "hours", "serves", "partners")
        defaults: dict[str, Any] = {f: entry.get(f, "") for f in fields}
        defaults["notes"] = entry.get("notes", "")
        defaults["coverage_note"] = entry.get("coverage_note", "")
        for f in ("address", "hours", "serves", "partners", "notes", "coverage_note"):
            defaults[f"{f}_sv"] = _sv(defaults[f])
        defaults["coverage_expanded"] = "expanded here" in defaults["coverage_note"]
        defaults["name"] = entry["name"]
        defaults["sources"] = entry["sources"]
        codes = [m["code"] for m in entry["municipalities"] if m["code"] in known]
        entries.append((_slug(entry["name"]), defaults, codes))
    notes: list[tuple[str, str, dict[str, Any]]] = [
        ("network", "network", data["network"]["facts"][0])
    ]
    for index, gap in enumerate(data["gaps"]):
        advice = "police advise" in gap["fact"]
        notes.append(("advice" if advice else "gap", f"gap-{index}", gap))
    note_rows = []
    for position, (kind, note_id, item) in enumerate(notes):
        defaults = {
            "kind": kind,
            "text": item["fact"],
            "text_sv": _sv(item["fact"]),
            "sources": item["sources"],
            "position": position,
        }
        codes = [m["code"] for m in item.get("municipalities", []) if m["code"] in known]
        note_rows.append((note_id, defaults, codes))
    return barnahus_seed(entries=entries, notes=note_rows)


@transaction.atomic
def seed_directory(path: Path = SERVICES_FILE) -> str:
    """The seed hook registered with facit.core.seeds (idempotent)."""
    terms = taxonomy_load()
    counties, municipalities = municipalities_load()
    data = json.loads(path.read_text(encoding="utf-8"))
    compiled = date.fromisoformat(data["compiled"])
    services = [_entry_load(entry, compiled) for entry in data["entries"]]
    for service in services:
        service_index(service=service)
    duty_to_report_load(data["duty_to_report"])
    barnahus, _notes = barnahus_load()
    return (
        f"directory: {len(services)} services, {barnahus} Barnahus, {counties} counties, "
        f"{municipalities} municipalities, {terms} taxonomy terms"
    )
