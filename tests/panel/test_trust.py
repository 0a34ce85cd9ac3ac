"""A panel survivors can trust (issue 13) and the probe's panel findings (issue 16: F4, F5, F11):
consent enforced by the services and the database, publishing that waits for the panel,
erasure that reaches every store, notices without content, aftercare."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from decimal import Decimal

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from facit.core.models import AuditEvent
from facit.guidance import services as gs
from facit.guidance.errors import Refused as GuidanceRefused
from facit.guidance.models import Comment, Document, Invitation, Publication, Version
from facit.panel import services
from facit.panel.errors import Refused
from facit.panel.models import Assessment, Fee, Member, MemberIdentity, Purpose
from tests.panel import factories as f
from tests.panel.test_panel import _text_cells_containing

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(panel_member):
    panel_member.user.email = "ugglan-notice@example.invalid"
    panel_member.user.save()
    return f.member(panel_member.user, pseudonym="Ugglan")


@pytest.fixture
def draft(editor, member):
    """A published guideline (after a round) and a draft out for review with `member`."""
    editor.user.email = "editor-notice@example.invalid"
    editor.user.save()
    doc = f.document(editor.user)
    f.publish_reviewed(editor.user, doc.versions.get())
    v2 = gs.version_create(document=doc, markdown=f.DOC_V1 + "\nUtkast.\n", actor=editor.user)
    rnd = f.review_round(
        editor.user, v2, [member], warning="Texten beskriver övergrepp.", questions="Tydligt?"
    )
    return doc, v2, rnd


# Consent enforced everywhere ---------------------------------------------------------------


def test_withdrawing_review_consent_closes_the_invitation_and_refuses_comments(
    member, draft, panel_member
):
    _doc, _v2, rnd = draft
    services.consent_withdraw(member=member, purpose=Purpose.REVIEW)
    assert Invitation.objects.get(round=rnd, member=member).closed_at is not None
    with pytest.raises(GuidanceRefused) as exc:
        f.comment(rnd, member)
    assert exc.value.code == "invitation_closed"
    response = panel_member.post(
        reverse("guidance:round_comment", args=[rnd.pk]),
        {"anchor": "att-stalla-fragan", "body": "Ändå en kommentar.", "credit": "anonymous"},
    )
    assert response.status_code == 403
    assert "samtycke" in response.content.decode()
    assert not Comment.objects.exists()
    page = panel_member.get(reverse("guidance:round_review", args=[rnd.pk])).content.decode()
    assert 'data-testid="invitation-closed"' in page and 'name="body"' not in page


def test_the_database_refuses_a_comment_without_consent_or_open_invitation(member, draft):
    _doc, _v2, rnd = draft
    from facit.panel.models import Consent

    Consent.objects.filter(member=member, purpose=Purpose.REVIEW).update(
        withdrawn_at=dt.datetime.now(tz=dt.UTC)
    )  # straight in the table: no service closed the invitation
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(round=rnd, member=member, anchor="att-stalla-fragan", body="x")
    services.consent_give(member=member, purpose=Purpose.REVIEW)
    Invitation.objects.filter(round=rnd).update(closed_at=dt.datetime.now(tz=dt.UTC))
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(round=rnd, member=member, anchor="att-stalla-fragan", body="x")
    assert not Comment.objects.exists()


def test_assessments_need_consent_in_the_service_and_the_database(member):
    from tests.factories import intervention

    item = intervention()
    services.consent_withdraw(member=member, purpose=Purpose.REVIEW)
    with pytest.raises(Refused) as exc:
        services.assessment_save(
            member=member, intervention=item, relevant=3, respectful=3, perpetrator_responsible=3
        )
    assert exc.value.code == "no_consent"
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            member=member, intervention=item, relevant=3, respectful=3, perpetrator_responsible=3
        )
    assert not Assessment.objects.exists()


def test_the_coordinator_sees_each_status_and_records_a_withdrawal_on_behalf(
    member, coordinator, draft
):
    _doc, _v2, rnd = draft
    home = coordinator.get(reverse("panel:coordinator")).content.decode()
    assert f'data-member="{member.public_id}"' in home and 'data-status="active"' in home
    action = reverse("panel:coordinator_member_action", args=[member.public_id])
    assert coordinator.post(action, {"action": "withdraw", "purpose": "review"}).status_code == 302
    assert not member.has_consent(Purpose.REVIEW)
    assert Invitation.objects.get(round=rnd).closed_at is not None
    event = AuditEvent.objects.get(action="panel.consent_withdraw")
    assert event.actor == coordinator.user and event.detail["on_behalf"] is True
    home = coordinator.get(reverse("panel:coordinator")).content.decode()
    assert 'data-status="withdrawn"' in home and "Att granska utkast" in home
    assert coordinator.post(action, {"action": "pause"}).status_code == 302
    member.refresh_from_db()
    assert member.paused_at is not None
    assert AuditEvent.objects.get(action="panel.member_pause").detail["on_behalf"] is True


def test_only_the_coordinator_records_on_a_members_behalf(member, editor):
    with pytest.raises(Refused):
        services.consent_withdraw(member=member, purpose=Purpose.REVIEW, actor=editor.user)
    assert member.has_consent(Purpose.REVIEW)


def test_the_comment_form_says_which_credit_needs_consent(member, draft, panel_member):
    _doc, _v2, rnd = draft
    services.consent_withdraw(member=member, purpose=Purpose.CREDIT)
    page = panel_member.get(reverse("guidance:round_review", args=[rnd.pk])).content.decode()
    assert "kräver ditt samtycke" in page
    assert "”En panelmedlem”" in page  # what will actually be shown


# Before accepting: questions and content warning -----------------------------------------


def test_a_round_shows_questions_and_warning_before_accepting_and_the_text_after(
    editor, member, panel_member
):
    doc = f.document(editor.user)
    rnd = f.review_round(
        editor.user,
        doc.versions.get(),
        [member],
        warning="Svårt innehåll.",
        questions="Zqq?",
        accepted=False,
    )
    url = reverse("guidance:round_review", args=[rnd.pk])
    before = panel_member.get(url).content.decode()
    assert "Zqq?" in before and "Svårt innehåll." in before and "lugn och ro" not in before
    refused = panel_member.post(
        reverse("guidance:round_comment", args=[rnd.pk]),
        {"anchor": "att-stalla-fragan", "body": "För tidigt.", "credit": "anonymous"},
    )
    assert refused.status_code == 403 and not Comment.objects.exists()
    panel_member.post(reverse("guidance:round_accept", args=[rnd.pk]))
    assert "lugn och ro" in panel_member.get(url).content.decode()


# Publishing that waits for the panel -------------------------------------------------------


def test_a_guideline_is_not_published_without_a_panel_round(editor):
    doc = f.document(editor.user)
    version = doc.versions.get()
    with pytest.raises(GuidanceRefused) as exc:
        gs.version_publish(version=version, actor=editor.user, no_round_reason="Brådskande.")
    assert exc.value.code == "no_round"
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.create(version=version, no_round_reason="Brådskande.")
    url = reverse("guidance:version_publish", args=[doc.pk, 1])
    page = editor.get(url).content.decode()
    assert 'data-testid="no-round"' in page and 'name="confirm"' not in page
    assert editor.post(url, {"confirm": "yes"}).status_code == 409
    assert not Publication.objects.exists()


def test_a_material_without_a_round_needs_a_reason_shown_on_its_page_and_audited(editor, visitor):
    doc = gs.document_create(
        kind="material", title="Invented material", markdown=f.DOC_V1, actor=editor.user
    )
    url = reverse("guidance:version_publish", args=[doc.pk, 1])
    assert editor.post(url, {"confirm": "yes"}).status_code == 409
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.create(version=doc.versions.get())
    reason = "Zqk en rättelse av en länk, inget nytt innehåll."
    assert editor.post(url, {"confirm": "yes", "no_round_reason": reason}).status_code == 302
    page = visitor.get(reverse("guidance:document_detail", args=[doc.pk])).content.decode()
    assert reason in page and "utan granskning av panelen" in page
    event = AuditEvent.objects.get(action="guidance.version_publish")
    assert event.detail["without_round"] is True and reason not in str(event.detail)


def test_publishing_shows_what_becomes_public_and_waits_for_the_confirmation(editor, member, draft):
    doc, v2, rnd = draft
    c = f.comment(rnd, member)
    url = reverse("guidance:version_publish", args=[doc.pk, v2.number])
    page = editor.get(url).content.decode()
    assert 'data-testid="blockers"' in page and "Att ställa frågan" in page
    gs.comment_answer(comment=c, actor=editor.user, decision="declined", reason="Nej.")
    page = editor.get(url).content.decode()
    assert "Vad panelen ändrade" in page and 'name="confirm"' in page
    editor.post(url)  # no confirmation: nothing happens
    assert not Version.objects.get(pk=v2.pk).is_published
    assert editor.post(url, {"confirm": "yes"}).status_code == 302
    assert Version.objects.get(pk=v2.pk).is_published


def test_the_editor_home_lists_unanswered_comments_and_rounds_closing_soon(editor, member, draft):
    _doc, _v2, rnd = draft
    f.comment(rnd, member)
    page = editor.get(reverse("guidance:editor_home")).content.decode()
    assert f"/editor/round/{rnd.pk}/#comment-" in page
    assert "Inga rundor stänger inom en vecka" in page  # deadline in 14 days
    type(rnd).objects.filter(pk=rnd.pk).update(deadline=timezone.localdate() + dt.timedelta(days=3))
    page = editor.get(reverse("guidance:editor_home")).content.decode()
    assert "Inga rundor stänger inom en vecka" not in page


# Notices: that there is something, and a link; never the words -----------------------------


def test_notices_reach_the_editor_and_the_member_without_any_content(
    editor, member, draft, django_capture_on_commit_callbacks
):
    _doc, _v2, rnd = draft
    with django_capture_on_commit_callbacks(execute=True):
        c = f.comment(rnd, member, body="Zqn hemlig kommentar")
    assert [m.to for m in mail.outbox] == [["editor-notice@example.invalid"]]
    assert f"/guidance/editor/round/{rnd.pk}/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        gs.comment_answer(comment=c, actor=editor.user, decision="declined", reason="Zqr svar")
    notice = mail.outbox[1]
    assert notice.to == ["ugglan-notice@example.invalid"]
    assert f"/guidance/comment/{c.pk}/" in notice.body
    for m in mail.outbox:
        text = m.subject + m.body
        assert "Zqn" not in text and "Zqr" not in text and "Ugglan" not in text
        assert "Invented guideline" not in text


# F4: concurrent edits of a guidance document ------------------------------------------------


def _save(client, doc, text, edit_version):
    return client.post(
        reverse("guidance:editor_document", args=[doc.pk]),
        {"markdown": text, "note": "", "lang": "sv", "edit_version": edit_version},
    )


def test_a_second_editor_saving_a_stale_copy_gets_the_conflict_page(editor, editor_b):
    doc = f.document(editor.user)
    opened = Document.objects.get(pk=doc.pk).version  # both open the document
    assert _save(editor, doc, f.DOC_V1 + "\nA:s stycke.\n", opened).status_code == 302
    response = _save(editor_b, doc, f.DOC_V1 + "\nB:s stycke.\n", opened)
    assert response.status_code == 409
    assert "någon annan" in response.content.decode().lower()
    assert "A:s stycke." in doc.latest_version().markdown
    assert doc.versions.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="true parallel writes: PostgreSQL")
def test_six_parallel_saves_give_one_version_and_conflicts_never_a_500(editor):
    from django.db import close_old_connections
    from django.test import Client

    from tests.personas import verified_client

    doc = f.document(editor.user)
    opened = Document.objects.get(pk=doc.pk).version
    clients = [verified_client(_editor(i)) for i in range(6)]
    barrier = threading.Barrier(6)
    statuses: list[int] = []

    def save(client: Client, i: int) -> None:
        barrier.wait()
        statuses.append(_save(client, doc, f.DOC_V1 + f"\nStycke {i}.\n", opened).status_code)
        close_old_connections()

    threads = [threading.Thread(target=save, args=(c, i)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [302] + [409] * 5
    assert doc.versions.count() == 2


def _editor(i: int):
    from facit.accounts.roles import EDITOR
    from tests.personas import make_user

    return make_user(f"parallel-editor-{i}", [EDITOR])


@pytest.fixture
def editor_b(db):
    from facit.accounts.roles import EDITOR
    from tests.personas import make_user, verified_client

    return verified_client(make_user("editor-b", [EDITOR]))


# F11: pseudonyms are unique whatever the case ---------------------------------------------


def test_the_database_refuses_a_pseudonym_differing_only_in_case(member):
    other = _user("case-b")
    Member.objects.create(user=_user("case-a"), pseudonym="CasePseudo")
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(user=other, pseudonym="casepseudo")


def test_the_service_refuses_a_raced_pseudonym_cleanly(coordinator, monkeypatch):
    """The race: both requests pass the `exists()` check before either writes."""
    Member.objects.create(user=_user("case-a"), pseudonym="CasePseudo")
    real_filter = Member.objects.filter

    def blind_filter(*args, **kwargs):
        if "pseudonym__iexact" in kwargs:
            return Member.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Member.objects, "filter", blind_filter)
    with pytest.raises(Refused) as exc:
        services.member_create(user=_user("case-b"), pseudonym="casepseudo", actor=coordinator.user)
    assert exc.value.code == "pseudonym_taken"
    assert Member.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="true parallel writes: PostgreSQL")
def test_two_pseudonyms_sent_at_once_one_refused(coordinator):
    from django.db import close_old_connections

    users = [_user("case-a"), _user("case-b")]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def create(user, name: str) -> None:
        barrier.wait()
        try:
            services.member_create(user=user, pseudonym=name, actor=coordinator.user)
            outcomes.append("created")
        except Refused as exc:
            outcomes.append(exc.code)
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=create, args=(u, n))
        for u, n in zip(users, ["CasePseudo", "casepseudo"], strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["created", "pseudonym_taken"]
    assert Member.objects.count() == 1


def _user(name: str):
    from tests.personas import make_user

    return make_user(name)


# F5: erasure reaches every store ----------------------------------------------------------

MARKERS = {
    "pseudonym": "Qxpseudonym",
    "legal_name": "Qxlegal Qxsurname",
    "surname in a fee note": "Qxsurname",
    "email": "qxmail@example.invalid",
    "phone": "070-QX1234",
    "iban": "SE45QX0000000058398257466",
    "comment": "Qxkommentar med egna ord",
    "follow-up": "Qxsvar på svaret",
    "assessment": "Qxbedömning",
    "username": "qxmember",
}


def test_leaving_with_delete_leaves_no_marker_in_any_table_or_log(
    editor, coordinator, caplog, django_capture_on_commit_callbacks
):
    from django.test import Client

    from facit.accounts.roles import PANEL_MEMBER
    from tests.factories import intervention
    from tests.personas import make_user, verified_client

    caplog.set_level(logging.DEBUG)
    user = make_user(MARKERS["username"], [PANEL_MEMBER])
    user.email = MARKERS["email"]
    user.save()
    member = f.member(user, pseudonym=MARKERS["pseudonym"])
    MemberIdentity.objects.create(
        member=member,
        legal_name=MARKERS["legal_name"],
        email=MARKERS["email"],
        phone=MARKERS["phone"],
        payment_details=MARKERS["iban"],
    )
    services.fee_record(
        member=member,
        amount=Decimal("500"),
        paid_on=timezone.localdate(),
        actor=coordinator.user,
        note=f"Arvode till {MARKERS['surname in a fee note']}",
    )
    doc = f.document(editor.user)
    rnd = f.review_round(editor.user, doc.versions.get(), [member], warning="Svårt.")
    with django_capture_on_commit_callbacks(execute=True):
        c = f.comment(rnd, member, body=MARKERS["comment"], quote="", credit="pseudonym")
        gs.comment_answer(comment=c, actor=editor.user, decision="declined", reason="Nej.")
    gs.answer_follow_up(comment=c, member=member, text=MARKERS["follow-up"])
    services.assessment_save(
        member=member,
        intervention=intervention(),
        relevant=3,
        respectful=3,
        perpetrator_responsible=3,
        comment=MARKERS["assessment"],
    )
    services.aftercare_request(member=member)
    for model, pk, text in [
        (Member, member.pk, MARKERS["pseudonym"]),
        (Comment, c.pk, MARKERS["comment"]),
    ]:  # as Django's admin would have logged an edit
        LogEntry.objects.create(
            user=coordinator.user,
            content_type=ContentType.objects.get_for_model(model),
            object_id=str(pk),
            object_repr=text,
            action_flag=ADDITION,
            change_message=text,
        )
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Member),
        object_id=str(member.pk),
        object_repr="x",
        action_flag=ADDITION,
    )
    other_device = Client()  # the member is also signed in elsewhere
    other_device.force_login(user)
    browser = verified_client(user)
    assert Session.objects.count() >= 2
    for name, marker in MARKERS.items():
        assert _text_cells_containing(marker), name  # the scan finds each marker before

    browser.post(reverse("panel:leave"), {"choice": "delete", "confirm": "yes"})

    for name, marker in MARKERS.items():
        assert _text_cells_containing(marker) == [], name
        assert marker not in caplog.text, name
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    for session in Session.objects.all():
        assert session.get_decoded().get("_auth_user_id") != str(user.pk)
    assert other_device.get(reverse("panel:home")).status_code == 302  # signed out there too
    left = AuditEvent.objects.get(action="panel.member_leave")
    assert left.target_id == str(member.pk) and left.actor is None
    assert not AuditEvent.objects.filter(actor_label=MARKERS["username"]).exists()
    assert Fee.objects.get().note == ""  # the books keep the amount, not the name


def test_a_member_with_fees_can_be_deleted(member, coordinator):
    services.fee_record(
        member=member, amount=Decimal("300"), paid_on=timezone.localdate(), actor=coordinator.user
    )
    member.delete()
    fee = Fee.objects.get()
    assert fee.member is None and fee.amount == Decimal("300")


# Care, words and leaving -------------------------------------------------------------------


def test_aftercare_offers_verified_contacts_and_the_coordinator_sees_the_call_request(
    member, panel_member, coordinator
):
    import json

    from django.conf import settings

    from facit.directory.seed import seed_directory

    seed_directory()
    page = panel_member.get(reverse("panel:aftercare")).content.decode()
    names = {
        e["name"]
        for e in json.loads((settings.DATA_DIR / "services_se.json").read_text())["entries"]
    }
    shown = {n for n in names if n.replace("&", "&amp;") in page}
    assert shown, "some verified support service is offered"
    assert "PrevenTell" not in shown and "BRIS – Barnens rätt i samhället" not in shown
    panel_member.post(reverse("panel:aftercare"))
    home = coordinator.get(reverse("panel:coordinator")).content.decode()
    assert 'data-testid="aftercare-requests"' in home and "Ugglan" in home
    member_page = coordinator.get(reverse("panel:coordinator_member", args=[member.public_id]))
    assert "uppföljningssamtal" in member_page.content.decode()


def test_the_fee_page_says_benefits_may_be_affected_as_facits_own_advice(member, panel_member):
    page = panel_member.get(reverse("panel:fees")).content.decode()
    assert "<h1>Arvoden</h1>" in page
    assert "facits egna allmänna råd" in page and "tacka nej" in page


def test_leaving_shows_what_will_happen_before_anything_happens(member, panel_member, draft):
    _doc, _v2, rnd = draft
    f.comment(rnd, member)
    page = panel_member.post(reverse("panel:leave"), {"choice": "delete"}).content.decode()
    assert 'data-testid="leave-effects"' in page and 'name="confirm"' in page
    member.refresh_from_db()
    assert member.left_at is None and Comment.objects.get().body


def test_the_public_trace_names_sections_by_title_in_swedish_quotes(editor, member, draft, visitor):
    doc, v2, rnd = draft
    c = f.comment(rnd, member)
    gs.comment_answer(comment=c, actor=editor.user, decision="declined", reason="Nej.")
    gs.version_publish(version=v2, actor=editor.user)
    page = visitor.get(reverse("guidance:panel_changes", args=[doc.pk])).content.decode()
    assert "”Att ställa frågan”" in page
    assert "att-stalla-fragan" not in page and "„" not in page


def test_staff_pages_say_former_member_not_a_generated_id(member, coordinator, panel_member):
    services.member_leave(member=member, choice="anonymise", actor=panel_member.user)
    page = coordinator.get(reverse("panel:coordinator")).content.decode()
    assert "tidigare medlem" in page and "former-" not in page
