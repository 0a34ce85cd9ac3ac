"""Reviewer pages in a real browser: accessible (axe) and the screening keys work."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from facit.literature.models import ScreeningDecision
from tests.browser.conftest import assert_accessible
from tests.literature import factories as f
from tests.personas import make_user, verified_client

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signed_in_review(page):
    user = make_user("reviewer")
    review = f.review(user, title="Invented browser review")
    refs = [f.reference(review, title=f"Invented record {i}") for i in range(3)]
    _use_session(page, user)
    return user, review, refs


def _use_session(page, user) -> None:
    """A signed-in, second-factor-verified session (as after the real sign-in, which the
    accounts browser tests cover) handed to the browser as its session cookie."""
    client = verified_client(user)
    page.goto("/sv/")
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.url}]
    )


def test_review_page_is_accessible(page, signed_in_review):
    _user, review, _refs = signed_in_review
    page.goto(f"/sv/literature/{review.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Invented browser review")
    assert_accessible(page)


def test_screening_page_is_accessible_and_the_i_key_includes(page, signed_in_review):
    user, review, refs = signed_in_review
    page.goto(f"/sv/literature/{review.slug}/screen/ta/")
    expect(page.locator("#record-title")).to_have_text("Invented record 0")
    assert_accessible(page)
    page.locator("body").press("i")
    expect(page.locator("#record-title")).to_have_text("Invented record 1")
    decision = ScreeningDecision.objects.get(reference=refs[0], reviewer=user)
    assert decision.decision == "include"
    expect(page.locator("#ranking-heading")).to_be_visible()  # retrained after the decision
    assert_accessible(page)


def test_the_e_key_asks_for_a_reason_first_then_excludes(page, signed_in_review):
    user, review, refs = signed_in_review
    page.goto(f"/sv/literature/{review.slug}/screen/ta/")
    page.locator("body").press("e")
    announce = page.locator("#screen-announce")
    expect(announce).not_to_be_empty()
    expect(page.locator("select[name='reason']")).to_be_focused()
    page.locator("select[name='reason']").select_option(index=1)
    page.locator("select[name='reason']").press("Enter")
    expect(page.locator("#record-title")).to_have_text("Invented record 1")
    assert ScreeningDecision.objects.get(reference=refs[0], reviewer=user).decision == "exclude"
    page.locator("body").press("m")
    expect(page.locator("#record-title")).to_have_text("Invented record 2")
    assert ScreeningDecision.objects.get(reference=refs[1], reviewer=user).decision == "maybe"


def test_prisma_page_is_accessible(page, signed_in_review):
    _user, review, _refs = signed_in_review
    f.batch(review, source="Invented source", imported=3)
    page.goto(f"/sv/literature/{review.slug}/prisma/")
    expect(page.locator("svg[role='img']")).to_be_visible()
    assert_accessible(page)
