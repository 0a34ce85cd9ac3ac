"""facit's own taxonomy for the directory, in facit's words (Swedish and English).

Terms are HSDS taxonomy terms with stable ids (uuid5 of their code), so seeding is
idempotent and exports keep the same ids everywhere. Wording follows data/terminology.json:
children are exposed to crimes; the responsibility lies with the perpetrator.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

NAMESPACE = uuid.UUID("6f1d3c55-8a4e-4b8e-9a36-0c3c6b7f2d10")
TAXONOMY_NAME = "facit"
TAXONOMY_ID = str(uuid.uuid5(NAMESPACE, "taxonomy:facit"))

AUDIENCE = "audience"
EXPLOITATION = "exploitation"
CHANNEL = "channel"
COST = "cost"
GENDER = "gender"
VOCABULARIES = (AUDIENCE, EXPLOITATION, CHANNEL, COST, GENDER)


@dataclass(frozen=True)
class TermDef:
    vocabulary: str
    slug: str
    en: str
    sv: str

    @property
    def code(self) -> str:
        return f"{self.vocabulary}:{self.slug}"

    @property
    def id(self) -> str:
        return term_id(self.code)


def term_id(code: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"term:{code}"))


VOCABULARY_LABELS = {
    AUDIENCE: ("Who it is for", "Vem det är till för"),
    EXPLOITATION: ("Form of exploitation", "Form av exploatering"),
    CHANNEL: ("How to get in touch", "Hur man tar kontakt"),
    COST: ("Cost", "Kostnad"),
    GENDER: ("Gender", "Kön"),
}

TERMS: tuple[TermDef, ...] = (
    TermDef(AUDIENCE, "children", "Children (under 18)", "Barn (under 18 år)"),
    TermDef(AUDIENCE, "young-people", "Young people", "Unga"),
    TermDef(AUDIENCE, "young-adults", "Young adults (18 and older)", "Unga vuxna (från 18 år)"),
    TermDef(AUDIENCE, "adults", "Adults", "Vuxna"),
    TermDef(AUDIENCE, "parents", "Parents and guardians", "Föräldrar och vårdnadshavare"),
    TermDef(AUDIENCE, "professionals", "Professionals", "Yrkesverksamma"),
    TermDef(
        AUDIENCE,
        "worried-about-own-urges",
        "People worried about their own sexual urges",
        "Personer som oroar sig för sina egna sexuella impulser",
    ),
    TermDef(AUDIENCE, "anyone", "Anyone", "Alla"),
    TermDef(EXPLOITATION, "online", "Sexual exploitation online", "Sexuell exploatering på nätet"),
    TermDef(
        EXPLOITATION,
        "compensation",
        "Sexual exploitation in exchange for payment or other compensation",
        "Utnyttjande genom köp av sexuell handling",
    ),
    TermDef(
        EXPLOITATION,
        "trafficking",
        "Human trafficking for sexual purposes",
        "Människohandel för sexuella ändamål",
    ),
    TermDef(
        EXPLOITATION,
        "abuse-material",
        "Child sexual abuse material",
        "Dokumenterade sexuella övergrepp på barn",
    ),
    TermDef(EXPLOITATION, "grooming", "Grooming", "Grooming"),
    TermDef(EXPLOITATION, "sexual-abuse", "Sexual abuse", "Sexuella övergrepp"),
    TermDef(CHANNEL, "phone", "Phone", "Telefon"),
    TermDef(CHANNEL, "chat", "Chat", "Chatt"),
    TermDef(CHANNEL, "visit", "Visit", "Besök"),
    TermDef(COST, "free", "Free of charge", "Kostnadsfritt"),
    TermDef(COST, "fee", "A fee is charged", "Avgift"),
    TermDef(GENDER, "girls", "Girls and women", "Flickor och kvinnor"),
    TermDef(GENDER, "boys", "Boys and men", "Pojkar och män"),
    TermDef(
        GENDER,
        "non-binary",
        "Non-binary and transgender people",
        "Icke-binära och transpersoner",
    ),
)
BY_CODE = {t.code: t for t in TERMS}


def codes(vocabulary: str) -> list[str]:
    return [t.code for t in TERMS if t.vocabulary == vocabulary]
