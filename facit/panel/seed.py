"""Seeds: facit's own consent texts (version 1), and an invented demo member."""

from __future__ import annotations

from facit.panel.models import Member, Purpose
from facit.panel.services import consent_texts_seed, demo_member_seed

# facit's own wording (not a real-world fact); the coordinator publishes new versions.
CONSENT_TEXTS = {
    Purpose.REVIEW: (
        "Jag vill få utkast till riktlinjer och material att granska. Jag kan tacka nej till varje inbjudan utan att ange skäl.",
        "I want to receive draft guidelines and materials to review. I can decline any invitation without giving a reason.",
    ),
    Purpose.QUOTE: (
        "facit får citera mina kommentarer på offentliga sidor. Citaten försvinner direkt om jag återkallar samtycket.",
        "facit may quote my comments on public pages. The quotes disappear at once if I withdraw this consent.",
    ),
    Purpose.CREDIT: (
        "facit får nämna min pseudonym när mina kommentarer redovisas, när jag själv har valt det för kommentaren.",
        "facit may name my pseudonym when my comments are reported, where I chose that for the comment.",
    ),
    Purpose.CONTACT: (
        "Panelens samordnare får kontakta mig om panelens arbete.",
        "The panel coordinator may contact me about the panel's work.",
    ),
}


def consent_texts_load() -> str:
    created = consent_texts_seed(texts=CONSENT_TEXTS)
    return f"panel: {created} consent text(s) created"


def demo_panel_load() -> str:
    from facit.accounts.models import User

    user = User.objects.filter(username="demo-panel").first()
    if user is None or Member.objects.filter(user=user).exists():
        return "panel: demo member already present or no demo account"
    consent_texts_load()
    demo_member_seed(user=user, pseudonym="Demo-Ask (påhittad)")
    return "panel: invented demo member created"
