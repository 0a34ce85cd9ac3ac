"""Steps 1–3 of the referral guide (signs, how to ask, what to say): facit's own advice,
not taken from a source. They live as a guidance document so that the lived-experience
panel reviews them before they are published; until then the guide shows this draft
wording and says it is a draft under review."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

GUIDE_TITLE = "Hänvisningsguiden: tecken, att fråga och vad du kan säga (steg 1–3)"

SIGNS_INTRO = _(
    "No single sign proves anything, and many children show none. Be alert when, for example:"
)
SIGNS = [
    _(
        "adults have been contacting the child, online or offline, or the child is being targeted by older people;"
    ),
    _("the child has money, gifts, clothes, a phone or travel that nobody can explain;"),
    _("the child is often missing, comes home late, or is picked up by people you do not know;"),
    _(
        "the child seems controlled or frightened by someone, or changes suddenly in mood, school attendance or friendships;"
    ),
    _("the child talks about images or videos someone has of them, or about being asked for them."),
]
SIGNS_OUTRO = _(
    "Describe what the adult does, not what the child “does”: the child may have been groomed, coerced or exploited. The responsibility always lies with the perpetrator."
)
ASK = [
    _(
        "Find a calm place where you can talk alone. Ask directly and simply; the child may be waiting for an adult to ask."
    ),
    _(
        "Listen without judging and without leading questions. Let the child tell in their own words; do not investigate yourself."
    ),
    _("Do not promise to keep it secret. Explain honestly what you will do next."),
    _("Write down afterwards what the child said, in the child's words, and when."),
]
SAY = [
    _("“Thank you for telling me.”"),
    _("“It is not your fault. The person who did this is responsible.”"),
    _("“You have the right to help and support, and I will help you get it.”"),
    _("“I cannot keep this a secret, but I will tell you what happens next.”"),
]
HEADINGS = (
    _("Signs that may indicate exploitation"),
    _("How to ask and listen"),
    _("What to say"),
)


def guide_markdown(lang: str = "sv") -> str:
    """Steps 1–3 as Markdown in one language (the same words the guide shows)."""
    with translation.override(lang):
        lines = [f"# {GUIDE_TITLE if lang == 'sv' else 'Referral guide: steps 1–3'}", ""]
        lines += [f"## {HEADINGS[0]}", "", str(SIGNS_INTRO), ""]
        lines += [f"- {s}" for s in SIGNS] + ["", str(SIGNS_OUTRO), ""]
        lines += [f"## {HEADINGS[1]}", ""] + [f"- {s}" for s in ASK] + [""]
        lines += [f"## {HEADINGS[2]}", ""] + [f"- {s}" for s in SAY] + [""]
    return "\n".join(lines)


def guide_seed() -> str:
    """The seed hook: the draft guidance document for steps 1–3 (idempotent)."""
    from facit.guidance.models import Document
    from facit.guidance.services import document_seed

    if Document.objects.filter(title=GUIDE_TITLE).exists():
        return "directory: referral guide draft already present"
    document_seed(kind="material", title=GUIDE_TITLE, markdown=guide_markdown("sv"))
    return "directory: referral guide steps 1–3 seeded as a draft for panel review"


def guide_document() -> Any:
    """The guidance document of steps 1–3 with its published version, if any."""
    from facit.guidance.models import Document

    document = Document.objects.filter(title=GUIDE_TITLE).first()
    if document is None:
        return None
    return {"document": document, "published": document.published_version()}
