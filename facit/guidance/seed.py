"""Invented demonstration guideline (FACIT_DEMO only): one published version and a draft
out for panel review, so the workflow can be tried. Its title says it is invented."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

DEMO_TITLE = "Demo: Att fråga och följa upp (påhittat exempel)"
DEMO_TEXT = """# Att fråga och följa upp

*Detta är en påhittad demonstrationstext.*

## Att ställa frågan

Ställ frågan i lugn och ro och lyssna på svaret.

## Att följa upp

Återkom till barnet och berätta vad som händer härnäst.
"""


def demo_guidance_load() -> str:
    from facit.accounts.models import User
    from facit.guidance import services
    from facit.guidance.models import Document
    from facit.panel.seed import demo_panel_load
    from facit.panel.selectors import Purpose, member_by_username
    from facit.panel.services import consent_give

    demo_panel_load()  # the demo member must exist first, whatever the seed order
    editor = User.objects.filter(username="demo-editor").first()
    member = member_by_username("demo-panel")
    if editor is None or Document.objects.filter(title=DEMO_TITLE).exists():
        return "guidance: demo guideline already present or no demo editor"
    document = services.document_create(
        kind="guideline", title=DEMO_TITLE, markdown=DEMO_TEXT, actor=editor
    )
    first = document.versions.get()
    if member is not None:  # a guideline is published only after a panel round
        if not member.has_consent(Purpose.REVIEW):
            consent_give(member=member, purpose=Purpose.REVIEW)
        services.round_open(
            version=first,
            members=[member],
            deadline=timezone.localdate(),
            actor=editor,
            questions="Är texten begriplig? (påhittat exempel)",
        )
        services.version_publish(version=first, actor=editor)
    draft = services.version_create(
        document=document,
        markdown=DEMO_TEXT + "\n## Vart barnet kan få stöd\n\nHänvisa till stöd i närheten.\n",
        actor=editor,
        note="Nytt avsnitt om stöd (påhittat)",
    )
    if member is not None:
        services.round_open(
            version=draft,
            members=[member],
            deadline=timezone.localdate() + dt.timedelta(days=14),
            actor=editor,
            content_warning="Texten handlar om samtal med barn som har utsatts för brott.",
            questions=(
                "Är det nya avsnittet om stöd begripligt? Saknas något som du själv hade "
                "behövt veta? (påhittat exempel)"
            ),
        )
    return "guidance: invented demo guideline with a review round created"
