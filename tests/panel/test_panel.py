"""Panel: identity kept apart, consent ledger, leaving with one's words, safety of members."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from facit.core.models import AuditEvent
from facit.guidance import services as gs
from facit.guidance.models import Comment
from facit.panel import services
from facit.panel.errors import Refused
from facit.panel.models import Consent, ConsentText, Member, MemberIdentity, Purpose
from facit.panel.selectors import identity_for
from tests.panel import factories as f

pytestmark = pytest.mark.django_db

SECRET_NAME = "Zyxwq Legalnamn"


@pytest.fixture
def member(panel_member, coordinator):
    m = f.member(panel_member.user, pseudonym="Ugglan")
    MemberIdentity.objects.create(member=m, legal_name=SECRET_NAME, email="x@example.invalid")
    return m


def test_only_the_coordinator_reads_the_identity_and_each_read_is_audited(
    member, coordinator, editor
):
    with pytest.raises(PermissionDenied):
        identity_for(actor=editor.user, member=member)
    assert identity_for(actor=coordinator.user, member=member).legal_name == SECRET_NAME
    event = AuditEvent.objects.get(action="panel.identity_read")
    assert event.actor == coordinator.user and event.target_id == str(member.pk)
    assert SECRET_NAME not in str(event.detail)


def test_the_coordinator_page_shows_identity_only_on_request_and_audits_it(member, coordinator):
    url = reverse("panel:coordinator_member", args=[member.public_id])
    assert SECRET_NAME not in coordinator.get(url).content.decode()
    assert not AuditEvent.objects.filter(action="panel.identity_read").exists()
    assert SECRET_NAME in coordinator.get(url + "?identity=1").content.decode()
    assert AuditEvent.objects.filter(action="panel.identity_read").count() == 1


@pytest.mark.parametrize(
    "persona", ["visitor", "reviewer", "editor", "panel_member", "provider", "admin"]
)
def test_nobody_else_reaches_the_coordinator_pages(request, persona, member):
    client = request.getfixturevalue(persona)
    for url in [
        reverse("panel:coordinator"),
        reverse("panel:coordinator_member", args=[member.public_id]) + "?identity=1",
        reverse("panel:consent_texts"),
    ]:
        response = client.get(url)
        assert response.status_code in {302, 403}, url
        assert SECRET_NAME not in response.content.decode()


def test_the_admin_does_not_expose_identities():
    assert MemberIdentity not in admin.site._registry


def test_staff_reading_contributions_is_logged_without_the_words(member, coordinator):
    coordinator.get(reverse("panel:coordinator_member", args=[member.public_id]))
    event = AuditEvent.objects.get(action="panel.contributions_viewed")
    assert event.actor == coordinator.user and event.detail["what"] == "comments"


def test_consent_is_given_and_withdrawn_once_each(member, panel_member):
    url = reverse("panel:consent_withdraw", args=["quote"])
    assert panel_member.post(url).status_code == 302
    again = panel_member.post(url)
    assert again.status_code == 409 and 'data-status="409"' in again.content.decode()
    assert panel_member.post(reverse("panel:consent_give", args=["quote"])).status_code == 302
    assert panel_member.post(reverse("panel:consent_give", args=["quote"])).status_code == 409
    ledger = Consent.objects.filter(member=member, purpose="quote").order_by("given_at")
    assert ledger.count() == 2 and ledger.first().withdrawn_at is not None


def test_a_new_consent_text_version_is_used_for_new_consents_only(member, coordinator):
    old = Consent.objects.get(member=member, purpose="contact", withdrawn_at__isnull=True)
    coordinator.post(
        reverse("panel:consent_texts"),
        {"purpose": "contact", "text_sv": "Ny text", "text_en": "New text"},
    )
    assert ConsentText.objects.filter(purpose="contact").count() == 2
    services.consent_withdraw(member=member, purpose="contact")
    new = services.consent_give(member=member, purpose="contact")
    old.refresh_from_db()
    assert old.consent_text.number == 1 and new.consent_text.number == 2


def _reviewed(editor, member):
    doc = f.document(editor.user)
    f.publish_reviewed(editor.user, doc.versions.get())
    v2 = gs.version_create(document=doc, markdown=f.DOC_V1 + "\nUtkast.\n", actor=editor.user)
    rnd = f.review_round(editor.user, v2, [member])
    c = f.comment(rnd, member, body="Zqxv unikt citat från medlemmen", credit="pseudonym")
    v3 = gs.version_create(document=doc, markdown=f.DOC_V2, actor=editor.user)
    gs.comment_answer(
        comment=c, actor=editor.user, decision="accepted", reason="Vi ändrade.", change_version=v3
    )
    gs.answer_follow_up(comment=c, member=member, text="Qzvx tack för svaret")
    gs.version_publish(version=v3, actor=editor.user)
    return doc, c


def test_quotes_stop_the_moment_consent_is_withdrawn(member, editor, visitor):
    doc, _c = _reviewed(editor, member)
    url = reverse("guidance:panel_changes", args=[doc.pk])
    assert "Zqxv unikt citat" in visitor.get(url).content.decode()
    api = f"/api/v1/guidance/documents/{doc.pk}/panel-changes"
    trace = visitor.get(api).json()[-1]
    assert (
        trace["comments"][0]["quote"].startswith("Zqxv")
        and trace["comments"][0]["credit"] == "Ugglan"
    )
    assert any(trace["comments"] and ch["comments"] == [0] for ch in trace["changes"])
    services.consent_withdraw(member=member, purpose=Purpose.QUOTE)
    page = visitor.get(url).content.decode()
    assert "Zqxv unikt citat" not in page
    assert "Zqxv" not in visitor.get(api).content.decode()
    assert "Ugglan" in page  # credit consent still stands
    services.consent_withdraw(member=member, purpose=Purpose.CREDIT)
    assert "Ugglan" not in visitor.get(url).content.decode()


def _text_cells_containing(needle: str) -> list[str]:
    """Scan every text column of every table of the database for `needle`."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for col in connection.introspection.get_table_description(cursor, table):
                q = connection.ops.quote_name
                cursor.execute(
                    f"SELECT COUNT(*) FROM {q(table)} WHERE CAST({q(col.name)} AS TEXT) LIKE %s",  # noqa: S608 - names from introspection
                    [f"%{needle}%"],
                )
                if cursor.fetchone()[0]:
                    hits.append(f"{table}.{col.name}")
    return hits


def test_leaving_with_delete_removes_the_words_from_every_table(
    member, editor, panel_member, visitor
):
    doc, comment = _reviewed(editor, member)
    from tests.factories import intervention

    v4 = gs.version_create(document=doc, markdown=f.DOC_V2 + "\nNytt utkast.\n", actor=editor.user)
    second = f.comment(
        f.review_round(editor.user, v4, [member]), member, quote="Wqzx egna ord i citatfältet"
    )
    services.assessment_save(
        member=member,
        intervention=intervention(),
        relevant=3,
        respectful=2,
        perpetrator_responsible=1,
        comment="Xqzw bedömningstext",
    )
    for needle in ["Zqxv unikt", "Qzvx tack", "Xqzw", "Ugglan", "Wqzx"]:
        assert _text_cells_containing(needle), needle  # the scan can find it
    response = panel_member.post(reverse("panel:leave"), {"choice": "delete", "confirm": "yes"})
    assert response.status_code == 200
    for needle in ["Zqxv unikt", "Qzvx tack", "Xqzw", "Ugglan", "Wqzx", SECRET_NAME]:
        assert _text_cells_containing(needle) == [], needle
    # A quote that is a passage of the document stays: it anchors the change trace.
    assert Comment.objects.get(pk=comment.pk).quote == "Ställ frågan i lugn och ro, och lyssna."
    assert Comment.objects.get(pk=second.pk).quote == ""
    export = visitor.get(f"/api/v1/guidance/documents/{doc.pk}/panel-changes").content.decode()
    assert (
        "Zqxv" not in export
        and "Ugglan" not in export
        and '"removed": true' in export.replace('":true', '": true')
    )
    tomb = Comment.objects.get(pk=comment.pk)
    assert tomb.removed_at and tomb.body == "" and tomb.answer.reason == "Vi ändrade."
    page = visitor.get(reverse("guidance:panel_changes", args=[doc.pk])).content.decode()
    assert "removed this comment" in page or "tog bort" in page


def test_leaving_with_anonymise_keeps_words_without_the_pseudonym(
    member, editor, panel_member, visitor
):
    doc, comment = _reviewed(editor, member)
    services.member_leave(member=member, choice="anonymise", actor=panel_member.user)
    kept = Comment.objects.get(pk=comment.pk)
    assert kept.body.startswith("Zqxv") and kept.member is None
    page = visitor.get(reverse("guidance:panel_changes", args=[doc.pk])).content.decode()
    assert "Ugglan" not in page and "Zqxv" not in page  # no quote without consent
    # The account is closed and signed out everywhere: the panel sends them to sign in.
    home = panel_member.get(reverse("panel:home"))
    assert home.status_code == 302 and "/accounts/login/" in home.url


def test_leaving_twice_is_refused(member, panel_member):
    services.member_leave(member=member, choice="delete", actor=panel_member.user)
    with pytest.raises(Refused):
        services.member_leave(member=member, choice="delete", actor=panel_member.user)


def test_fees_are_recorded_by_the_coordinator_only(member, coordinator, editor):
    url = reverse("panel:coordinator_member", args=[member.public_id])
    r = coordinator.post(url, {"amount": "500.00", "paid_on": "2026-01-15", "note": "granskning"})
    assert r.status_code == 302 and member.fees.get().amount == Decimal("500.00")
    with pytest.raises(Refused):
        services.fee_record(
            member=member, amount=Decimal(1), paid_on=timezone.localdate(), actor=editor.user
        )
    assert editor.post(url, {"amount": "1", "paid_on": "2026-01-15"}).status_code == 403


def test_a_member_sees_invitations_and_declines_or_pauses_without_a_reason(
    member, editor, panel_member
):
    doc = f.document(editor.user)
    rnd = f.review_round(editor.user, doc.versions.get(), [member])
    home = panel_member.get(reverse("panel:home")).content.decode()
    assert str(rnd.pk) in home
    assert panel_member.post(reverse("guidance:round_decline", args=[rnd.pk])).status_code == 302
    assert str(rnd.pk) not in panel_member.get(reverse("panel:home")).content.decode()
    assert panel_member.get(reverse("guidance:round_review", args=[rnd.pk])).status_code == 404
    panel_member.post(reverse("panel:pause"))
    assert Member.objects.get(pk=member.pk).paused_at is not None
    panel_member.post(reverse("panel:resume"))
    assert Member.objects.get(pk=member.pk).paused_at is None


def test_the_interruption_page_is_shown_once(panel_member):
    f.member(panel_member.user, seen=False)
    first = panel_member.get(reverse("panel:home"))
    assert first.status_code == 302 and first.url == reverse("panel:safety")
    page = panel_member.get(reverse("panel:safety")).content.decode()
    assert "quick-exit" in page and ("history" in page.lower() or "historik" in page.lower())
    panel_member.post(reverse("panel:safety"))
    assert panel_member.get(reverse("panel:home")).status_code == 200


def test_every_panel_page_has_the_quick_exit_and_a_skip_link(member, panel_member):
    for name in ["panel:home", "panel:safety", "panel:leave"]:
        html = panel_member.get(reverse(name)).content.decode()
        assert 'href="/exit/"' in html and 'class="skip-link"' in html, name


def test_page_titles_and_urls_hold_no_pseudonym(member, panel_member, coordinator):
    html = panel_member.get(reverse("panel:home")).content.decode()
    title = html.split("<title>")[1].split("</title>")[0]
    assert "Ugglan" not in title
    url = reverse("panel:coordinator_member", args=[member.public_id])
    assert "Ugglan" not in url
    title = coordinator.get(url).content.decode().split("<title>")[1].split("</title>")[0]
    assert "Ugglan" not in title


def test_a_panel_session_ends_after_the_idle_timeout(member, panel_member, settings):
    from facit.panel.middleware import SESSION_KEY

    assert panel_member.get(reverse("panel:home")).status_code == 200
    session = panel_member.session
    session[SESSION_KEY] = session[SESSION_KEY] - settings.PANEL_IDLE_TIMEOUT - 5
    session.save()
    response = panel_member.get(reverse("panel:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert "_auth_user_id" not in panel_member.session


def test_other_roles_are_not_timed_out_by_the_panel_rule(editor, settings):
    from facit.panel.middleware import SESSION_KEY

    editor.get(reverse("guidance:editor_home"))
    assert SESSION_KEY not in editor.session


def test_quick_exit_ends_the_session_and_clears_site_data(member, panel_member, settings):
    response = panel_member.get("/exit/")
    assert response.status_code == 302 and response.url == settings.FACIT_EXIT_URL
    assert "cookies" in response["Clear-Site-Data"] and "storage" in response["Clear-Site-Data"]
    assert panel_member.get(reverse("panel:home")).status_code == 302


def test_panel_assessments_sit_beside_the_level_and_never_change_it(member, visitor):
    from tests.factories import intervention

    iv = intervention()
    before = visitor.get(reverse("evidence:intervention_detail", args=[iv.slug])).content.decode()
    services.assessment_save(
        member=member,
        intervention=iv,
        relevant=3,
        respectful=3,
        perpetrator_responsible=1,
        comment="Bra men skuldbelägger barnet",
    )
    after = visitor.get(reverse("evidence:intervention_detail", args=[iv.slug])).content.decode()
    assert 'data-testid="panel-assessments"' in after
    assert "Bra men skuldbelägger barnet" in after  # member consents to quotes
    level = lambda html: html.split('data-testid="level-why">')[1].split("<")[0]  # noqa: E731
    assert level(before) == level(after)


def test_a_member_assesses_an_intervention_through_the_page(member, panel_member):
    from tests.factories import intervention

    iv = intervention()
    r = panel_member.post(
        reverse("panel:assess", args=[iv.pk]),
        {"relevant": 3, "respectful": 2, "perpetrator_responsible": 3, "comment": ""},
    )
    assert r.status_code == 302 and iv.panel_assessments.get().respectful == 2


def test_the_coordinator_is_sent_from_the_panel_home_to_coordination(coordinator):
    response = coordinator.get(reverse("panel:home"))
    assert response.status_code == 302 and response.url == reverse("panel:coordinator")


def test_the_coordinator_adds_a_member_with_an_identity(coordinator):
    from tests.personas import make_user

    make_user("newcomer", [])
    r = coordinator.post(
        reverse("panel:coordinator"),
        {"username": "newcomer", "pseudonym": "Vinden", "legal_name": SECRET_NAME},
    )
    m = Member.objects.get(pseudonym="Vinden")
    assert r.status_code == 302 and m.user.has_role("panel_member")
    assert MemberIdentity.objects.get(member=m).legal_name == SECRET_NAME
