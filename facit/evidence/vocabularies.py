"""Controlled vocabularies of the evidence registry.

Codes are stable identifiers; English labels match the verified seed data's wording, Swedish
labels are facit's own translation. `Term` rows are created from this module (see seed).
"""

from __future__ import annotations

from dataclasses import dataclass

FOCUS = "focus"
TARGET_GROUP = "target_group"
SETTING = "setting"
PREVENTION_LEVEL = "prevention_level"
DESIGN = "design"
COUNTRY = "country"


@dataclass(frozen=True)
class Entry:
    code: str
    en: str
    sv: str


VOCABULARIES: dict[str, list[Entry]] = {
    FOCUS: [
        Entry("prevent-victimisation", "prevent victimisation", "förebygga utsatthet"),
        Entry("disclosure-detection", "disclosure/detection", "berättande/upptäckt"),
        Entry(
            "support-treatment",
            "support/treatment of exposed children",
            "stöd/behandling för utsatta barn",
        ),
        Entry("professional-capacity", "professional capacity", "yrkesverksammas kompetens"),
        Entry("prevent-perpetration", "prevent perpetration", "förebygga att någon begår brott"),
        Entry("prevent-demand", "prevent demand", "förebygga efterfrågan"),
    ],
    TARGET_GROUP: [
        Entry("children", "children/young people", "barn/unga"),
        Entry("guardians", "guardians/parents", "vårdnadshavare/föräldrar"),
        Entry("professionals", "professionals", "yrkesverksamma"),
        Entry(
            "potential-perpetrators",
            "potential perpetrators/people at risk of offending",
            "potentiella förövare/personer med risk att begå brott",
        ),
        Entry("buyers", "buyers/demand", "köpare/efterfrågan"),
        Entry("general-public", "general public", "allmänheten"),
        Entry("online-platforms", "online platforms", "digitala plattformar"),
    ],
    SETTING: [
        Entry("school", "school or preschool", "skola eller förskola"),
        Entry("online", "online", "digitalt"),
        Entry("health-care", "health care", "hälso- och sjukvård"),
        Entry("helpline", "helpline", "stödlinje"),
        Entry("community", "community", "lokalsamhället"),
        Entry("home", "home and family", "hem och familj"),
        Entry("justice", "justice system", "rättsväsendet"),
        Entry("multi-agency", "multi-agency centre", "samverkanscentrum"),
        Entry(
            "youth-organisations",
            "youth and residential organisations",
            "ungdoms- och boendeverksamheter",
        ),
    ],
    PREVENTION_LEVEL: [
        Entry("universal", "universal", "universell"),
        Entry("selective", "selective", "selektiv"),
        Entry("indicated", "indicated", "indikerad"),
    ],
    DESIGN: [
        Entry("rct", "RCT", "randomiserad kontrollerad studie"),
        Entry("quasi-experimental", "quasi-experimental", "kvasiexperimentell"),
        Entry("pre-post", "pre-post without control", "före–efter utan kontrollgrupp"),
        Entry("cohort", "cohort follow-up without control", "kohortuppföljning utan kontrollgrupp"),
        Entry("qualitative", "qualitative", "kvalitativ"),
        Entry("mixed-methods", "mixed methods", "blandade metoder"),
        Entry(
            "process", "process/implementation evaluation", "process-/implementeringsutvärdering"
        ),
        Entry(
            "descriptive",
            "descriptive/observational (no outcome comparison)",
            "beskrivande/observationell (ingen jämförelse av utfall)",
        ),
        Entry(
            "systematic-review",
            "systematic review/meta-analysis",
            "systematisk översikt/metaanalys",
        ),
        Entry("not-stated", "design not stated", "design ej angiven"),
    ],
}

# Designs with a comparison group: the only ones that can show an effect.
RANDOMISED = {"rct"}
CONTROLLED = {"rct", "quasi-experimental"}

# Focus codes grouped for the gap statements.
EXPOSURE_DETECTION = {"prevent-victimisation", "disclosure-detection"}
PERPETRATION_DEMAND = {"prevent-perpetration", "prevent-demand"}

# Seed setting texts are free text; these keywords classify them (the text stays shown).
SETTING_KEYWORDS: dict[str, tuple[str, ...]] = {
    "school": ("school", "classroom", "preschool"),
    "online": ("online", "web", "platform", "chatbot", "internet"),
    "health-care": ("clinic", "outpatient", "psychiatr", "mental health", "health care"),
    "helpline": ("helpline", "telephone"),
    "community": ("community", "coalition"),
    "home": ("home",),
    "justice": ("justice", "prison", "reentry", "diversion", "police", "district attorney"),
    "multi-agency": ("multi-agency",),
    "youth-organisations": ("youth-serving", "residential", "sports teams", "childcare"),
}


def by_label(vocabulary: str) -> dict[str, str]:
    """English label (as written in the seed data) -> code."""
    return {entry.en.casefold(): entry.code for entry in VOCABULARIES[vocabulary]}


def classify_setting(text: str) -> list[str]:
    lowered = text.casefold()
    return [code for code, words in SETTING_KEYWORDS.items() if any(w in lowered for w in words)]
