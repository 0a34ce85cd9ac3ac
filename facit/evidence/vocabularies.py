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
OUTCOME_DOMAIN = "outcome_domain"


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

# Outcome domains (the Campbell/3ie convention of mapping by outcome). Chosen for the
# outcomes the registry's evaluations measure: what children or adults know, what they do
# to keep safe, whether exposure is told, whether children are exposed to crimes, whether
# someone commits them (again), mental health, how professionals work, and the use of a
# service. "unclassified" is a real value: counted and shown, never guessed.
UNCLASSIFIED = "unclassified"
OUTCOME_DOMAINS: list[Entry] = [
    Entry("knowledge", "knowledge and attitudes", "kunskap och attityder"),
    Entry(
        "protective-behaviour",
        "protective behaviour and skills",
        "skyddande beteende och färdigheter",
    ),
    Entry("disclosure", "disclosure", "berättande"),
    Entry("victimisation", "exposure to crimes (victimisation)", "utsatthet för brott"),
    Entry(
        "perpetration",
        "perpetration and reoffending",
        "att begå brott och återfall",
    ),
    Entry("mental-health", "mental health", "psykisk hälsa"),
    Entry("professional-practice", "professional practice", "yrkesverksammas arbetssätt"),
    Entry("service-use", "service use and reach", "användning och räckvidd"),
    Entry(UNCLASSIFIED, "unclassified", "ej klassificerat"),
]
VOCABULARIES[OUTCOME_DOMAIN] = OUTCOME_DOMAINS

# The provisional load gives an outcome a domain only when its main outcome text names one
# plainly with one of these words; when it names several, the first one named (the outcome
# listed first) decides. Anything else stays "unclassified".
OUTCOME_DOMAIN_KEYWORDS: dict[str, tuple[str, ...]] = {
    "knowledge": ("knowledge", "awareness", "attitudes", "recognition of"),
    "protective-behaviour": (
        "protective behaviour",
        "safety skills",
        "self-protection skills",
        "prevention skills",
        "preventive behaviours",
        "bystander behaviour",
    ),
    "disclosure": ("disclosure",),
    "victimisation": (
        "victimisation",
        "incidence of sexual assault",
        "rape",
        "grooming prevalence",
    ),
    "perpetration": (
        "perpetration",
        "recidivism",
        "rearrest",
        "re-arrest",
        "offense behaviours",
        "sex offences",
        "csam viewing",
        "csam use",
        "problem sexual behaviour",
        "offense-supportive",
        "csam-related searches",
    ),
    "mental-health": ("ptsd", "depression", "anxiety", "mental health", "trauma symptoms"),
    "professional-practice": ("investigation",),
    "service-use": ("helpline use", "reach"),
}


def classify_outcome_domain(text: str) -> str:
    lowered = text.casefold()
    found = [
        (lowered.find(word), code)
        for code, words in OUTCOME_DOMAIN_KEYWORDS.items()
        for word in words
        if word in lowered
    ]
    return min(found)[1] if found else UNCLASSIFIED


# The provisional extraction's design classes -> the design vocabulary used by the levels.
# "other" keeps the evaluation's stated design unless that claims a comparison group.
DESIGN_CLASS_TO_DESIGN: dict[str, str] = {
    "rct": "rct",
    "cluster_rct": "rct",
    "quasi_experimental": "quasi-experimental",
    "pre_post": "pre-post",
    "qualitative": "qualitative",
    "process_or_implementation": "process",
    "systematic_review": "systematic-review",
    "registry_or_protocol": "not-stated",
    "other": "",
}
DESIGN_CLASS_LABELS: dict[str, tuple[str, str]] = {
    "rct": ("randomised controlled trial", "randomiserad kontrollerad studie"),
    "cluster_rct": ("cluster-randomised trial", "klusterrandomiserad studie"),
    "quasi_experimental": ("quasi-experimental", "kvasiexperimentell"),
    "pre_post": ("pre-post without control", "före–efter utan kontrollgrupp"),
    "qualitative": ("qualitative", "kvalitativ"),
    "process_or_implementation": (
        "process/implementation evaluation",
        "process-/implementeringsutvärdering",
    ),
    "systematic_review": ("systematic review", "systematisk översikt"),
    "registry_or_protocol": (
        "registry record or protocol (no results)",
        "registerpost eller protokoll (inga resultat)",
    ),
    "other": ("other or not captured", "annan eller ej angiven"),
}
EXTRACTION_DIRECTIONS = (
    "favourable",
    "mixed",
    "no_effect",
    "unfavourable",
    "unclear",
    "not_reported",
)
# Directions that become outcomes the levels count; "unclear" and "not_reported" do not.
EXTRACTION_TO_OUTCOME_DIRECTION = {
    "favourable": "favourable",
    "mixed": "mixed",
    "no_effect": "no_effect",
    "unfavourable": "harmful",
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


# Countries are ISO 3166-1 alpha-2 codes (lower case) with babel's territory names in sv and
# en (facit.evidence.registry.countries normalises the seed's free text). Text naming no country
# babel knows ("multiple", "Netherlands version run by ...") is never guessed: the
# intervention keeps its raw text and is linked to this term, so it is counted and shown.
COUNTRY_UNMATCHED = Entry("unmatched", "country not recognised", "land som inte kunde tolkas")


@dataclass(frozen=True)
class AgeBand:
    """A filter band of ages in years, both ends included (`high` None: no upper end)."""

    code: str
    low: int
    high: int | None
    en: str
    sv: str


# Age bands of the map and list filters, after the Swedish school stages (preschool age,
# compulsory school, upper secondary age) and adulthood. An intervention matches every band
# its age range (age_min..age_max, either end may be open) overlaps; one with no age range
# stated matches no band but "age not stated".
AGE_BANDS: list[AgeBand] = [
    AgeBand("0-5", 0, 5, "0–5 years", "0–5 år"),
    AgeBand("6-12", 6, 12, "6–12 years", "6–12 år"),
    AgeBand("13-17", 13, 17, "13–17 years", "13–17 år"),
    AgeBand("18-plus", 18, None, "18 years and older", "18 år och äldre"),
]
AGE_NOT_STATED = AgeBand("not-stated", 0, None, "age not stated", "ålder ej angiven")
