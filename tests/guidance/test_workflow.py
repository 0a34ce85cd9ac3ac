"""The review workflow end to end: draft -> panel -> answers -> publish -> public trace."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from facit.guidance import services as gs
from facit.guidance.models import Answer, Comment, ImmutableError, Publication, ReviewRound, Version
from facit.panel.errors import Refused, http_status
from tests.panel import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(editor, panel_member, other_panel_member):
    member = f.member(panel_member.user, pseudonym="Ugglan")
    other = f.member(other_panel_member.user, pseudonym="Räven")
    doc = f.document(editor.user)
    v1 = doc.versions.get()
    f.publish_reviewed(editor.user, v1)
    v2 = gs.version_create(document=doc, markdown=f.DOC_V1 + "\nUtkast.\n", actor=editor.user)
    rnd = f.review_round(editor.user, v2, [member, other], warning="Texten beskriver övergrepp.")
    return doc, v2, rnd, member, other


def test_full_flow_through_the_pages(editor, panel_member, visitor, setup):
    doc, _v2, rnd, member, _other = setup
    from facit.guidance.models import Invitation

    Invitation.objects.filter(round=rnd).update(accepted_at=None)  # not accepted yet
    page = panel_member.get(reverse("guidance:round_review", args=[rnd.pk]))
    assert page.status_code == 200
    assert "lugn och ro" not in page.content.decode()  # behind the content warning
    panel_member.post(reverse("guidance:round_accept", args=[rnd.pk]))
    shown = panel_member.get(reverse("guidance:round_review", args=[rnd.pk]))
    assert "lugn och ro" in shown.content.decode()
    r = panel_member.post(
        reverse("guidance:round_comment", args=[rnd.pk]),
        {
            "anchor": "att-stalla-fragan",
            "quote": "Ställ frågan i lugn och ro, och lyssna.",
            "body": "Skriv att man ska tro på barnet.",
            "credit": "pseudonym",
        },
    )
    comment = Comment.objects.get()
    assert r.status_code == 302 and comment.member == member
    v3 = gs.version_create(document=doc, markdown=f.DOC_V2 + "\nUtkast.\n", actor=editor.user)
    publish = reverse("guidance:version_publish", args=[doc.pk, v3.number])
    refused = editor.post(publish, {"confirm": "yes"})
    assert refused.status_code == 409 and not v3.is_published
    prefix = f"c{comment.pk.hex[:8]}"
    answered = editor.post(
        reverse("guidance:comment_answer", args=[comment.pk]),
        {
            f"{prefix}-decision": "accepted",
            f"{prefix}-reason": "Vi lade till det.",
            f"{prefix}-change_version": v3.pk,
        },
    )
    assert answered.status_code == 302
    assert editor.post(publish, {"confirm": "yes"}).status_code == 302
    v3.refresh_from_db()
    assert Version.objects.get(pk=v3.pk).is_published
    assert not ReviewRound.objects.get(pk=rnd.pk).is_open
    seen = panel_member.get(reverse("guidance:comment_detail", args=[comment.pk])).content.decode()
    assert "Vi lade till det." in seen
    public = visitor.get(reverse("guidance:panel_changes", args=[doc.pk])).content.decode()
    assert "Ugglan" in public and "Skriv att man ska tro på barnet." in public
    assert "tro på det barnet berättar" in public  # the changed passage
    assert (
        visitor.get(reverse("guidance:document_list")).content.decode().count("Invented guideline")
        == 1
    )


def test_service_refuses_publishing_while_a_comment_is_unanswered(editor, setup):
    doc, _v2, rnd, member, _ = setup
    f.comment(rnd, member)
    v3 = gs.version_create(document=doc, markdown=f.DOC_V2, actor=editor.user)
    with pytest.raises(Refused) as exc:
        gs.version_publish(version=v3, actor=editor.user)
    assert http_status(exc.value.code) == 409 and exc.value.code == "unanswered"
    assert not Publication.objects.filter(version=v3).exists()


def test_database_refuses_publication_while_an_earlier_round_is_open(editor, setup):
    doc, _v2, rnd, member, _ = setup
    f.comment(rnd, member)
    v3 = gs.version_create(document=doc, markdown=f.DOC_V2, actor=editor.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.create(version=v3)


def test_database_refuses_closing_a_round_with_an_unanswered_comment(setup):
    _doc, _v2, rnd, member, _ = setup
    f.comment(rnd, member)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRound.objects.filter(pk=rnd.pk).update(closed_at=timezone.now())


def test_database_allows_closing_once_every_comment_is_answered(editor, setup):
    _doc, _v2, rnd, member, _ = setup
    c = f.comment(rnd, member)
    Answer.objects.create(comment=c, decision="declined", reason="Nej, för att …")
    ReviewRound.objects.filter(pk=rnd.pk).update(closed_at=timezone.now())
    assert not ReviewRound.objects.get(pk=rnd.pk).is_open


def test_database_refuses_a_comment_in_a_closed_round(editor, setup):
    _doc, _v2, rnd, member, _ = setup
    c = f.comment(rnd, member)
    Answer.objects.create(comment=c, decision="declined", reason="Nej.")
    gs.round_close(review_round=rnd, actor=editor.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(round=rnd, member=member, anchor="att-stalla-fragan", body="sent")


def test_a_version_is_immutable_in_code_and_in_the_database(editor, setup):
    _doc, v2, *_ = setup
    v2.markdown = "changed"
    with pytest.raises(ImmutableError):
        v2.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Version.objects.filter(pk=v2.pk).update(markdown="changed")


def test_accepted_answer_needs_the_version_with_the_change(editor, setup):
    _doc, _v2, rnd, member, _ = setup
    c = f.comment(rnd, member)
    with pytest.raises(Refused):
        gs.comment_answer(comment=c, actor=editor.user, decision="accepted", reason="Ja")


def test_removed_comments_do_not_block_the_close(editor, setup):
    _doc, _v2, rnd, member, _ = setup
    c = f.comment(rnd, member)
    Comment.objects.filter(pk=c.pk).update(body="", removed_at=timezone.now())
    gs.round_close(review_round=rnd, actor=editor.user)
    rnd.refresh_from_db()
    assert rnd.closed_at is not None


def test_every_version_stores_its_terminology_findings(editor):
    doc = f.document(editor.user, markdown="# Rubrik\n\nTexten nämner barnprostitution.\n")
    findings = list(doc.versions.get().findings.all())
    assert findings, "the term to avoid was not stored"
    assert findings[0].prefer and findings[0].why


def test_a_round_only_goes_to_members_who_consent_to_review(editor, panel_member):
    m = f.member(panel_member.user, consents=())
    doc = f.document(editor.user)
    with pytest.raises(Refused):
        f.review_round(editor.user, doc.versions.get(), [m])


def test_paused_members_are_not_invited(editor, panel_member):
    m = f.member(panel_member.user)
    m.paused_at = timezone.now()
    m.save()
    doc = f.document(editor.user)
    with pytest.raises(Refused):
        gs.round_open(
            version=doc.versions.get(),
            members=[m],
            deadline=timezone.localdate(),
            actor=editor.user,
        )


def test_the_version_under_review_itself_cannot_be_published_past_unanswered_comments(
    editor, setup
):
    _doc, v2, rnd, member, _ = setup
    f.comment(rnd, member)
    with pytest.raises(Refused):
        gs.version_publish(version=v2, actor=editor.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.create(version=v2)


def test_each_comment_appears_in_exactly_one_published_trace(editor, setup):
    from facit.guidance.selectors import comments_behind

    doc, v2, rnd, member, _ = setup
    c = f.comment(rnd, member)
    gs.comment_answer(comment=c, actor=editor.user, decision="declined", reason="Nej.")
    gs.version_publish(version=v2, actor=editor.user)
    v3 = gs.version_create(document=doc, markdown=f.DOC_V2, actor=editor.user)
    f.publish_reviewed(editor.user, v3)
    assert [x.pk for x in comments_behind(v2)] == [c.pk]
    assert comments_behind(v3) == []
