from __future__ import annotations

import pytest

from facit.accounts import roles
from facit.guidance.models import Document, ReviewRound
from facit.guidance.seed import DEMO_TITLE, demo_guidance_load
from tests.personas import make_user

pytestmark = pytest.mark.django_db


def test_demo_seed_creates_an_invented_guideline_with_a_round_once():
    make_user("demo-editor", [roles.EDITOR])
    make_user("demo-panel", [roles.PANEL_MEMBER])
    demo_guidance_load()
    demo_guidance_load()
    document = Document.objects.get()
    assert document.title == DEMO_TITLE and "påhittat" in document.title
    assert document.published_version().number == 1
    # A guideline is published only after a panel round: v1 had a (closed) one, v2 has one open.
    assert ReviewRound.objects.filter(closed_at__isnull=False).get().version.number == 1
    draft_round = ReviewRound.objects.get(closed_at__isnull=True)
    assert draft_round.invitations.get().member.pseudonym.endswith("(påhittad)")
