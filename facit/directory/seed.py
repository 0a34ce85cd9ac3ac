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
    Attribute,
    Barnahus,
    BarnahusNote,
    County,
    DataOrigin,
    DutyToReportText,
    Municipality,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    Taxonomy,
    TaxonomyTerm,
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
    taxonomy, _ = Taxonomy.objects.update_or_create(
        id=vocab.TAXONOMY_ID,
        defaults={
            "name": vocab.TAXONOMY_NAME,
            "description": "facit's terms for audience, form of exploitation, channel, cost and gender.",
            "version": "1",
        },
    )
    for position, term in enumerate(vocab.TERMS):
        TaxonomyTerm.objects.update_or_create(
            id=term.id,
            defaults={
                "code": term.code,
                "name": term.en,
                "name_sv": term.sv,
                "description": f"{vocab.VOCABULARY_LABELS[term.vocabulary][0]}: {term.en}",
                "taxonomy": vocab.TAXONOMY_NAME,
                "taxonomy_detail": taxonomy,
                "position": position,
            },
        )
    return len(vocab.TERMS)


def municipalities_load(path: Path = MUNICIPALITIES_FILE) -> tuple[int, int]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    counties = {r["county_code"]: r["county"] for r in rows}
    County.objects.bulk_create(
        [County(code=code, name=name) for code, name in counties.items()],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name"],
    )
    # The on-call contact an editor recorded is kept: only the file's columns are updated.
    Municipality.objects.bulk_create(
        [
            Municipality(
                code=r["municipality_code"],
                name=r["municipality"],
                county_id=r["county_code"],
                latitude=float(r["latitude"]),
                longitude=float(r["longitude"]),
            )
            for r in rows
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "county", "latitude", "longitude"],
    )
    from facit.directory.search import places_invalidate

    places_invalidate()
    return len(counties), len(rows)


def _area(service: Service, scope: str, code: str, index: int, text: str) -> None:
    defaults: dict[str, Any] = {
        "service": service,
        "scope": scope,
        "description": text,
        "description_sv": _sv(text),
    }
    if scope == "county":
        defaults["county_id"] = code
        defaults["name"] = County.objects.get(code=code).name
    elif scope == "municipality":
        defaults["municipality_id"] = code
        defaults["name"] = Municipality.objects.get(code=code).name
    else:
        defaults["name"] = "Sverige"
    ServiceArea.objects.update_or_create(
        id=seed_id(service.id, "area", str(index)), defaults=defaults
    )


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
    org, _ = Organization.objects.update_or_create(
        id=seed_id("organization", name),
        defaults={
            "name": name,
            "description": entry.get("kind", ""),
            "website": entry.get("url", ""),
            "sources": entry["sources"],
            "origin": DataOrigin.VERIFIED,
        },
    )
    notes = entry.get("notes", "")
    service, _ = Service.objects.update_or_create(
        id=seed_id("service", name),
        defaults={
            "organization": org,
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
    )
    ServiceArea.objects.filter(service=service).delete()
    for index, (scope, code) in enumerate(facts.areas or (("other", ""),)):
        _area(service, scope, code, index, entry.get("area", ""))
    Phone.objects.filter(service=service).delete()
    if entry.get("phone"):
        Phone.objects.create(
            id=seed_id(service.id, "phone"), service=service, number=entry["phone"]
        )
    Schedule.objects.filter(service=service).delete()
    if entry.get("hours"):
        around = facts.around_the_clock
        Schedule.objects.create(
            id=seed_id(service.id, "schedule"),
            service=service,
            description=entry["hours"],
            description_sv=_sv(entry["hours"]),
            freq="WEEKLY" if around else "",
            byday="MO,TU,WE,TH,FR,SA,SU" if around else "",
            opens_at="00:00" if around else "",
            closes_at="23:59" if around else "",
        )
    Attribute.objects.filter(link_id=service.id).delete()
    for code in facts.terms:
        Attribute.objects.create(
            id=seed_id(service.id, "attribute", code),
            link_id=service.id,
            link_type="eligibility" if code.startswith("audience") else "",
            link_entity="service",
            taxonomy_term_id=vocab.term_id(code),
        )
    return service


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
    current = DutyToReportText.objects.order_by("-created_at", "-id").first()
    if current is not None:
        if current.origin == DataOrigin.VERIFIED and not current.summary_sv:
            DutyToReportText.objects.filter(pk=current.pk).update(**wording)
            return True
        return False
    DutyToReportText.objects.create(**wording, sources=data["sources"], origin=DataOrigin.VERIFIED)
    return True


def _slug(name: str) -> str:
    from django.utils.text import slugify

    return slugify(name.replace("ö", "o").replace("ä", "a").replace("å", "a"))


def barnahus_load(path: Path = BARNAHUS_FILE) -> tuple[int, int]:
    """The Barnahus of data/barnahus_se.json with the municipalities each source names, the
    network facts, the recorded gaps and the police's advice (idempotent)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    known = set(Municipality.objects.values_list("code", flat=True))
    ids = []
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
        barnahus, _ = Barnahus.objects.update_or_create(id=_slug(entry["name"]), defaults=defaults)
        barnahus.municipalities.set(
            [m["code"] for m in entry["municipalities"] if m["code"] in known]
        )
        ids.append(barnahus.pk)
    Barnahus.objects.exclude(id__in=ids).delete()
    notes: list[tuple[str, str, dict[str, Any]]] = [
        ("network", "network", data["network"]["facts"][0])
    ]
    for index, gap in enumerate(data["gaps"]):
        advice = "police advise" in gap["fact"]
        notes.append(("advice" if advice else "gap", f"gap-{index}", gap))
    note_ids = []
    for position, (kind, note_id, item) in enumerate(notes):
        note, _ = BarnahusNote.objects.update_or_create(
            id=note_id,
            defaults={
                "kind": kind,
                "text": item["fact"],
                "text_sv": _sv(item["fact"]),
                "sources": item["sources"],
                "position": position,
            },
        )
        codes = [m["code"] for m in item.get("municipalities", []) if m["code"] in known]
        note.municipalities.set(codes)
        note_ids.append(note_id)
    BarnahusNote.objects.exclude(id__in=note_ids).delete()
    return len(ids), len(note_ids)


@transaction.atomic
def seed_directory(path: Path = SERVICES_FILE) -> str:
    """The seed hook registered with facit.core.seeds (idempotent)."""
    from facit.directory.services import service_index

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
