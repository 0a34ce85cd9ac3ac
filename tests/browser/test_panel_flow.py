"""Browser tests of the panel review flow and of the quick exit (real Chromium, axe checks)."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from facit.guidance import services as gs
from tests.browser.conftest import assert_accessible
from tests.panel import factories as f
from tests.personas import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page: Page, username: str, password: str) -> None:
    """Through the real form and TOTP step, by field names (independent of the language)."""
    from django_otp.oath import totp

    page.goto("/sv/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    device = TOTPDevice.objects.get(user__username=username)
    page.locator("input[name=token]").fill(f"{totp(device.bin_key):06d}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _person(name: str):
    user = make_user(name)
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user


def test_editor_sends_member_comments_editor_answers_publishes_public_sees(
    page: Page, browser: Browser, live_server
):
    editor = _person("editor")
    member_user = _person("panel_member")
    member = f.member(member_user, pseudonym="Ugglan", seen=False)
    doc = f.document(editor)
    f.publish_reviewed(editor, doc.versions.get())
    v2 = gs.version_create(document=doc, markdown=f.DOC_V1 + "\nUtkast.\n", actor=editor)
    rnd = f.review_round(
        editor, v2, [member], warning="Texten beskriver övergrepp mot barn.", accepted=False
    )

    # The member: interruption page once, then the invitation behind a content warning.
    sign_in(page, "panel_member", PASSWORD)
    page.goto("/sv/panel/")
    expect(page).to_have_url(f"{live_server.url}/sv/panel/safety/")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    assert_accessible(page)
    page.locator(f'[data-round="{rnd.pk}"] a').click()
    expect(page.locator(".content-warning")).to_be_visible()
    expect(page.locator(".guidance-text")).to_have_count(0)
    assert_accessible(page)
    page.locator("form[action$='/accept/'] button").click()
    expect(page.locator(".guidance-text")).to_be_visible()
    assert_accessible(page)
    page.locator("select[name=anchor]").select_option("att-stalla-fragan")
    page.locator("textarea[name=quote]").fill("Ställ frågan i lugn och ro, och lyssna.")
    page.locator("textarea[name=body]").fill("Skriv att man ska tro på barnet.")
    page.locator("input[name=credit][value=pseudonym]").check()
    page.locator("form[action$='/comment/'] button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)

    # The editor answers and publishes the next version.
    v3 = gs.version_create(document=doc, markdown=f.DOC_V2, actor=editor)
    editor_context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    epage = editor_context.new_page()
    sign_in(epage, "editor", PASSWORD)
    epage.goto(f"/sv/guidance/editor/round/{rnd.pk}/")
    assert_accessible(epage)
    epage.locator("select[name$=decision]").select_option("accepted")
    epage.locator("textarea[name$=reason]").fill("Vi lade till det i avsnittet.")
    epage.locator("select[name$=change_version]").select_option(str(v3.pk))
    epage.locator("form[action$='/answer/'] button").click()
    epage.goto(f"/sv/guidance/editor/d/{doc.pk}/")
    assert_accessible(epage)
    # The terminology check runs as the editor types (htmx, no page reload).
    epage.locator("textarea[name=markdown]").press_sequentially(" barnprostitution")
    expect(epage.locator("#term-findings")).to_contain_text("barnprostitution", ignore_case=True)
    assert_accessible(epage)
    epage.goto(f"/sv/guidance/editor/d/{doc.pk}/diff/{v3.number}/")
    expect(epage.locator(".diff")).to_be_visible()
    assert_accessible(epage)
    epage.goto(f"/sv/guidance/editor/d/{doc.pk}/")
    epage.locator(f"a[href$='/v/{v3.number}/publish/']").click()
    assert_accessible(epage)
    epage.locator("form input[name=confirm]").locator("xpath=..").locator("button").click()
    expect(epage.locator(f'tr[data-version="{v3.number}"]')).to_contain_text("publ")
    editor_context.close()

    # The member sees the answer; the public sees what the panel changed.
    page.goto("/sv/panel/")
    page.locator("section[aria-labelledby=comments-heading] a").first.click()
    expect(page.get_by_test_id("decision")).to_be_visible()
    assert_accessible(page)
    visitor = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    visitor.goto(f"/sv/guidance/d/{doc.pk}/panel-changes/")
    expect(visitor.get_by_test_id("public-comment")).to_contain_text("Ugglan")
    expect(visitor.locator("body")).to_contain_text("tro på det barnet berättar")
    assert_accessible(visitor)
    visitor.goto("/sv/guidance/")
    assert_accessible(visitor)
    visitor.goto(f"/sv/guidance/d/{doc.pk}/")
    assert_accessible(visitor)


@pytest.fixture
def neutral_exit(settings, live_server):
    settings.FACIT_EXIT_URL = f"{live_server.url}/sv/evidence/levels/"
    return settings.FACIT_EXIT_URL


def _member_on_home(page: Page) -> None:
    user = _person("panel_member")
    f.member(user, pseudonym="Ugglan")
    sign_in(page, "panel_member", PASSWORD)
    page.goto("/sv/panel/")
    expect(page.locator("[data-quick-exit-link]")).to_be_visible()
    assert_accessible(page)


def test_quick_exit_button_leaves_and_signs_out(page: Page, neutral_exit):
    _member_on_home(page)
    page.locator("[data-quick-exit-link]").click()
    page.wait_for_url(neutral_exit)
    page.goto("/sv/panel/")
    assert "/accounts/login/" in page.url


def test_quick_exit_by_pressing_shift_three_times(page: Page, neutral_exit):
    _member_on_home(page)
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(neutral_exit)
    page.goto("/sv/panel/")
    assert "/accounts/login/" in page.url


def test_coordinator_pages_and_a_member_leaving_with_their_words(
    page: Page, browser: Browser, live_server
):
    from facit.guidance.models import Comment
    from facit.panel.models import MemberIdentity
    from tests.factories import intervention

    editor = _person("editor")
    member = f.member(_person("panel_member"), pseudonym="Ugglan")
    MemberIdentity.objects.create(member=member, legal_name="Invented Name")
    doc = f.document(editor)
    rnd = f.review_round(editor, doc.versions.get(), [member])
    comment = f.comment(rnd, member, body="Mina egna ord")
    iv = intervention()

    coordinator_context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    cpage = coordinator_context.new_page()
    _person("coordinator")
    sign_in(cpage, "coordinator", PASSWORD)
    cpage.goto("/sv/panel/coordinator/")
    assert_accessible(cpage)
    cpage.goto(f"/sv/panel/coordinator/m/{member.public_id}/?identity=1")
    expect(cpage.locator("main")).to_contain_text("Invented Name")
    assert_accessible(cpage)
    cpage.goto("/sv/panel/coordinator/consent-texts/")
    assert_accessible(cpage)
    coordinator_context.close()

    sign_in(page, "panel_member", PASSWORD)
    page.goto(f"/sv/panel/assess/{iv.pk}/")
    assert_accessible(page)
    page.goto("/sv/panel/leave/")
    assert_accessible(page)
    page.locator("input[name=choice][value=delete]").check()
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("leave-effects")).to_be_visible()  # exactly what will happen
    assert_accessible(page)
    assert Comment.objects.get(pk=comment.pk).body == "Mina egna ord"  # nothing yet
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)
    gone = Comment.objects.get(pk=comment.pk)
    assert gone.body == "" and gone.removed_at is not None
