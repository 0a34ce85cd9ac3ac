"""Guidance and panel access beyond the role x URL matrix (tests/url_matrix.py): another
member's objects, the public pages before and after publishing, and refusals of bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from facit.guidance import services as gs
from facit.guidance.models import Answer
from tests.panel import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(editor, panel_member, other_panel_member):
    member = f.member(panel_member.user, pseudonym="Ugglan")
    other = f.member(other_panel_member.user, pseudonym="Räven")
    doc = f.document(editor.user)
    v1 = doc.versions.get()
    rnd = f.review_round(editor.user, v1, [member])
    comment = f.comment(rnd, member)
    from tests.factories import intervention

    return {
        "intervention": intervention(),
        "doc": doc,
        "v1": v1,
        "round": rnd,
        "comment": comment,
        "member": member,
        "other": other,
    }


def test_a_member_not_invited_to_the_round_has_the_panel_pages_but_not_the_round(
    world, other_panel_member
):
    """Object level, beside the role x URL matrix (tests/url_matrix.py, where the panel member
    is invited): a second member uses every panel page the first one does."""
    statuses = {
        name: getattr(other_panel_member, method)(reverse(name, args=args)).status_code
        for method, name, args in [
            ("get", "panel:home", []),
            ("get", "panel:safety", []),
            ("post", "panel:consent_give", ["quote"]),
            ("post", "panel:consent_withdraw", ["contact"]),
            ("post", "panel:pause", []),
            ("post", "panel:resume", []),
            ("get", "panel:leave", []),
            ("get", "panel:fees", []),
            ("get", "panel:aftercare", []),
            ("get", "panel:assess", [world["intervention"].pk]),
        ]
    }
    assert statuses == {
        "panel:home": 200,
        "panel:safety": 200,
        "panel:consent_give": 409,  # already given, as the invited member's
        "panel:consent_withdraw": 302,
        "panel:pause": 302,
        "panel:resume": 302,
        "panel:leave": 200,
        "panel:fees": 200,
        "panel:aftercare": 200,
        "panel:assess": 200,
    }


def test_public_pages_are_open_to_everyone_but_drafts_are_not(visitor, world, editor):
    assert visitor.get(reverse("guidance:document_list")).status_code == 200
    assert (
        visitor.get(reverse("guidance:document_detail", args=[world["doc"].pk])).status_code == 404
    )
    Answer.objects.create(comment=world["comment"], decision="declined", reason="Nej.")
    gs.version_publish(version=world["v1"], actor=editor.user)
    assert (
        visitor.get(reverse("guidance:document_detail", args=[world["doc"].pk])).status_code == 200
    )
    assert visitor.get(reverse("guidance:panel_changes", args=[world["doc"].pk])).status_code == 200


def test_a_comment_on_a_closed_round_is_refused_with_409(world, editor, panel_member):
    Answer.objects.create(comment=world["comment"], decision="declined", reason="Nej.")
    gs.round_close(review_round=world["round"], actor=editor.user)
    r = panel_member.post(
        reverse("guidance:round_comment", args=[world["round"].pk]),
        {"anchor": "att-stalla-fragan", "body": "sen", "credit": "anonymous"},
    )
    assert r.status_code == 409 and "Granskningsomgången är stängd" in r.content.decode()


def test_an_answer_by_a_non_editor_is_refused_with_403(world, panel_member, reviewer, coordinator):
    url = reverse("guidance:comment_answer", args=[world["comment"].pk])
    for client in (panel_member, reviewer, coordinator):
        assert client.post(url, {"decision": "declined", "reason": "x"}).status_code == 403
    assert not Answer.objects.exists()


def test_answering_twice_is_refused_with_409(world, editor):
    c = world["comment"]
    prefix = f"c{c.pk.hex[:8]}"
    data = {f"{prefix}-decision": "declined", f"{prefix}-reason": "Nej."}
    assert editor.post(reverse("guidance:comment_answer", args=[c.pk]), data).status_code == 302
    assert editor.post(reverse("guidance:comment_answer", args=[c.pk]), data).status_code == 409


def test_another_members_comment_is_404_at_every_object_url(world, other_panel_member):
    c, r = world["comment"], world["round"]
    for method, url in [
        ("get", reverse("guidance:comment_detail", args=[c.pk])),
        ("post", reverse("guidance:comment_follow_up", args=[c.pk])),
        ("get", reverse("guidance:round_review", args=[r.pk])),
        ("post", reverse("guidance:round_comment", args=[r.pk])),
        ("post", reverse("guidance:round_decline", args=[r.pk])),
        ("post", reverse("guidance:round_accept", args=[r.pk])),
    ]:
        response = getattr(other_panel_member, method)(
            url, {"text": "x", "body": "x", "anchor": "att-stalla-fragan"}
        )
        assert response.status_code == 404, url
        assert "Tro på barnet" not in response.content.decode()


def test_the_follow_up_is_allowed_once(world, editor, panel_member):
    c = world["comment"]
    gs.comment_answer(comment=c, actor=editor.user, decision="declined", reason="Nej, därför.")
    url = reverse("guidance:comment_follow_up", args=[c.pk])
    assert panel_member.post(url, {"text": "Jag förstår."}).status_code == 302
    assert panel_member.post(url, {"text": "Igen."}).status_code == 409
    manage = editor.get(reverse("guidance:round_manage", args=[world["round"].pk])).content.decode()
    assert "Jag förstår." in manage


def test_publishing_twice_is_refused_with_409(world, editor):
    Answer.objects.create(comment=world["comment"], decision="declined", reason="Nej.")
    url = reverse("guidance:version_publish", args=[world["doc"].pk, 1])
    assert editor.post(url, {"confirm": "yes"}).status_code == 302
    assert editor.post(url, {"confirm": "yes"}).status_code == 409


def test_unknown_ids_are_404(editor, panel_member, world):
    import uuid

    missing = uuid.uuid4()
    assert editor.get(reverse("guidance:round_manage", args=[missing])).status_code == 404
    assert panel_member.get(reverse("guidance:comment_detail", args=[missing])).status_code == 404
    assert panel_member.post(reverse("panel:consent_give", args=["nonsense"])).status_code == 404


def test_terminology_api_returns_findings(visitor):
    r = visitor.post(
        "/api/v1/terminology/check",
        {"text": "Texten nämner child pornography.", "lang": "en"},
        content_type="application/json",
    )
    assert r.status_code == 200
    finding = r.json()["findings"][0]
    assert finding["term"].lower() == "child pornography"
    assert set(finding) == {"term", "start", "end", "severity", "prefer", "why"}
    assert (
        "Texten nämner child pornography."[finding["start"] : finding["end"]].lower()
        == "child pornography"
    )


def test_terminology_api_refuses_an_unknown_language(visitor):
    r = visitor.post(
        "/api/v1/terminology/check", {"text": "x", "lang": "de"}, content_type="application/json"
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"


def test_the_editor_partial_checks_terms_as_you_type(editor):
    page = editor.get(reverse("guidance:editor_home")).content.decode()
    assert 'hx-trigger="keyup changed delay:500ms"' in page and "hx-post" in page
    r = editor.post(
        reverse("guidance:terminology_check"), {"markdown": "om barnprostitution", "lang": "sv"}
    )
    assert r.status_code == 200 and "barnprostitution" in r.content.decode().lower()


def test_the_editor_reading_a_round_is_logged_without_the_words(world, editor):
    from facit.core.models import AuditEvent

    editor.get(reverse("guidance:round_manage", args=[world["round"].pk]))
    event = AuditEvent.objects.get(action="panel.contributions_viewed")
    assert event.actor == editor.user and event.target_id == str(world["round"].pk)
    assert "Tro på barnet" not in str(event.detail)


def test_the_api_lists_published_documents_and_documents_its_endpoints(visitor, world, editor):
    Answer.objects.create(comment=world["comment"], decision="declined", reason="Nej.")
    gs.version_publish(version=world["v1"], actor=editor.user)
    listed = visitor.get("/api/v1/guidance/documents").json()
    assert [d["id"] for d in listed] == [str(world["doc"].pk)]
    assert visitor.get("/api/v1/guidance/documents/not-a-uuid/panel-changes").status_code == 404
    paths = visitor.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/terminology/check" in paths and "/api/v1/guidance/documents" in paths
