"""Journeys of a panel survivors can trust (issue 13), in Swedish, at 390 and 1280 px, axe-checked,
signed in through the real sign-in and TOTP pages."""

from __future__ import annotations

import os
import re

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from facit.guidance import services as gs
from facit.guidance.models import Comment, Version
from tests.browser.conftest import assert_accessible, sign_in
from tests.panel import factories as f
from tests.personas import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (390, 1280)
SHOTS = os.environ.get("FACIT_SHOTS", "")  # e.g. /tmp/shots-f: full-page screenshots


def _person(name: str, email: str = ""):
    user = make_user(name)
    if email:
        user.email = email
        user.save()
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user


def _check(page: Page, name: str) -> None:
    """axe at both widths, no sideways scroll, and a screenshot of each when asked."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width + 1, f"{name} scrolls sideways at {width}px"
        if SHOTS:
            os.makedirs(SHOTS, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 900})


def test_member_accepts_after_the_questions_comments_hears_of_the_answer_then_withdraws(
    page: Page, live_server
):
    editor = _person("editor", "editor@example.invalid")
    user = _person("panel_member", "ugglan@example.invalid")
    member = f.member(user, pseudonym="Ugglan")
    doc = f.document(editor)
    rnd = f.review_round(
        editor,
        doc.versions.get(),
        [member],
        warning="Texten beskriver övergrepp mot barn.",
        questions="Är avsnittet om att ställa frågan begripligt?",
        accepted=False,
    )

    sign_in(page, "panel_member", PASSWORD)
    page.goto("/sv/panel/")
    invitation = page.locator(f'[data-round="{rnd.pk}"] a')
    expect(invitation).to_contain_text("Invented guideline")  # titled, not "invitation 1"
    _check(page, "member-home")
    invitation.click()
    expect(page.get_by_test_id("questions")).to_contain_text("begripligt")
    expect(page.locator(".content-warning")).to_contain_text("övergrepp")
    expect(page.locator(".guidance-text")).to_have_count(0)  # not before accepting
    _check(page, "member-before-accepting")
    page.get_by_role("button", name="Tacka ja och visa texten").click()
    expect(page.locator(".guidance-text")).to_be_visible()
    expect(page.get_by_test_id("credit-shown")).to_contain_text("”Ugglan”")
    _check(page, "member-review")
    page.get_by_label("Avsnitt").select_option(label="Att ställa frågan")
    page.get_by_label("Din kommentar").fill("Skriv att man ska tro på barnet.")
    page.get_by_label("Med min pseudonym", exact=False).check()
    page.get_by_role("button", name="Skicka kommentar").click()
    expect(page.locator("h1")).to_have_text("Din kommentar")
    expect(page.locator("main")).to_contain_text("Att ställa frågan")  # the title, not a slug
    _check(page, "member-comment-saved")
    assert mail.outbox[-1].to == ["editor@example.invalid"]

    comment = Comment.objects.get()
    gs.comment_answer(comment=comment, actor=editor, decision="declined", reason="Vi tar det sen.")
    notice = mail.outbox[-1]
    assert notice.to == ["ugglan@example.invalid"] and "tro på barnet" not in notice.body
    link = re.search(r"https?://\S+/sv/guidance/comment/\S+/", notice.body)
    assert link, notice.body
    page.goto(link.group(0).replace("http://127.0.0.1:8000", live_server.url))
    expect(page.get_by_test_id("decision")).to_contain_text("Avböjd", ignore_case=True)
    expect(page.locator("main")).to_contain_text("Vi tar det sen.")
    page.get_by_role("link", name="Stöd och uppföljningssamtal").click()
    expect(page.get_by_test_id("aftercare-contacts")).to_be_visible()
    _check(page, "member-aftercare")

    page.goto("/sv/panel/")
    page.locator('[data-purpose="review"] form button').click()
    expect(page.locator(f'[data-closed-round="{rnd.pk}"]')).to_contain_text("återkallade")
    page.goto(f"/sv/guidance/review/{rnd.pk}/")
    expect(page.get_by_test_id("invitation-closed")).to_be_visible()
    expect(page.locator("textarea[name=body]")).to_have_count(0)
    _check(page, "member-invitation-closed")
    assert Comment.objects.count() == 1


def test_editor_is_stopped_without_a_round_then_publishes_after_it_and_visitor_reads(
    page: Page, browser: Browser, live_server
):
    editor = _person("editor")
    member = f.member(_person("panel_member"), pseudonym="Ugglan")
    doc = f.document(editor)

    sign_in(page, "editor", PASSWORD)
    page.goto(f"/sv/guidance/editor/d/{doc.pk}/")
    page.get_by_test_id("publish-1").click()
    expect(page.get_by_test_id("no-round")).to_contain_text("inte granskats av panelen")
    expect(page.get_by_role("button", name=re.compile("Ja, publicera"))).to_have_count(0)
    _check(page, "editor-publish-stopped")
    assert not Version.objects.get(document=doc, number=1).is_published

    page.get_by_role("link", name="Skicka till panelen").first.click()
    page.get_by_label("Ugglan").check()
    page.get_by_label("Sista dag").fill("2030-01-31")
    page.get_by_label("Frågor till panelen").fill("Är texten begriplig?")
    page.get_by_role("button", name="Skicka").click()
    rnd = member.invitations.get().round
    gs.invitation_accept(invitation=member.invitations.get())
    comment = f.comment(rnd, member, body="Tro på barnet.", credit="pseudonym")
    page.goto("/sv/guidance/editor/")
    expect(page.get_by_test_id("unanswered-comments")).to_contain_text("Invented guideline")
    _check(page, "editor-home")
    page.get_by_test_id("unanswered-comments").get_by_role("link").first.click()
    page.get_by_label("Beslut").select_option("declined")
    page.get_by_label("Motivering").fill("Texten säger redan det.")
    page.get_by_role("button", name="Svara").click()
    assert hasattr(Comment.objects.get(pk=comment.pk), "answer")

    page.goto(f"/sv/guidance/editor/d/{doc.pk}/")
    page.get_by_test_id("publish-1").click()
    expect(page.locator("main")).to_contain_text("Det här blir offentligt")
    _check(page, "editor-publish-confirm")
    page.get_by_role("button", name="Ja, publicera version 1").click()
    expect(page.locator('tr[data-version="1"]')).to_contain_text("publicerad")
    assert Version.objects.get(document=doc, number=1).is_published

    visitor = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    visitor.goto(f"/sv/guidance/d/{doc.pk}/")
    visitor.get_by_role("link", name="Vad panelen ändrade").click()
    public = visitor.get_by_test_id("public-comment")
    expect(public).to_contain_text("”Att ställa frågan”")
    expect(public).not_to_contain_text("att-stalla-fragan")
    expect(public).to_contain_text("Ugglan")
    _check(visitor, "visitor-panel-changes")
