"""Every role against every guidance and panel URL, and the refusals of bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from facit.guidance import services as gs
from facit.guidance.models import Answer
from tests.panel import factories as f

pytestmark = pytest.mark.django_db

MEMBERS = {"panel_member", "other_panel_member"}
PERSONAS = [
    "visitor",
    "reviewer",
    "editor",
    "panel_member",
    "other_panel_member",
    "coordinator",
    "provider",
    "admin",
]


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


def _urls(w):
    d, r, c = w["doc"].pk, w["round"].pk, w["comment"].pk
    return {
        "editor_home": ("get", reverse("guidance:editor_home"), {"editor"}),
        "editor_document": ("get", reverse("guidance:editor_document", args=[d]), {"editor"}),
        "version_diff": ("get", reverse("guidance:version_diff", args=[d, 1]), {"editor"}),
        "round_new": ("get", reverse("guidance:round_new", args=[d, 1]), {"editor"}),
        "round_manage": ("get", reverse("guidance:round_manage", args=[r]), {"editor"}),
        "comment_answer": ("post", reverse("guidance:comment_answer", args=[c]), {"editor"}),
        "round_close": ("post", reverse("guidance:round_close", args=[r]), {"editor"}),
        "version_publish": ("post", reverse("guidance:version_publish", args=[d, 1]), {"editor"}),
        "terminology_check": ("post", reverse("guidance:terminology_check"), {"editor"}),
        "round_review": ("get", reverse("guidance:round_review", args=[r]), {"panel_member"}),
        "comment_detail": ("get", reverse("guidance:comment_detail", args=[c]), {"panel_member"}),
        "panel_home": (
            "get",
            reverse("panel:home"),
            {"panel_member", "other_panel_member", "coordinator"},
        ),
        "coordinator": ("get", reverse("panel:coordinator"), {"coordinator"}),
        "coordinator_member": (
            "get",
            reverse("panel:coordinator_member", args=[w["member"].public_id]),
            {"coordinator"},
        ),
        "consent_texts": ("get", reverse("panel:consent_texts"), {"coordinator"}),
        "safety": ("get", reverse("panel:safety"), MEMBERS),
        "consent_give": ("post", reverse("panel:consent_give", args=["quote"]), MEMBERS),
        "consent_withdraw": ("post", reverse("panel:consent_withdraw", args=["contact"]), MEMBERS),
        "pause": ("post", reverse("panel:pause"), MEMBERS),
        "resume": ("post", reverse("panel:resume"), MEMBERS),
        "leave": ("get", reverse("panel:leave"), MEMBERS),
        "fees": ("get", reverse("panel:fees"), MEMBERS),
        "aftercare": ("get", reverse("panel:aftercare"), MEMBERS),
        "round_accept": ("post", reverse("guidance:round_accept", args=[r]), {"panel_member"}),
        "coordinator_member_action": (
            "post",
            reverse("panel:coordinator_member_action", args=[w["member"].public_id]),
            {"coordinator"},
        ),
        "assess": ("get", reverse("panel:assess", args=[w["intervention"].pk]), MEMBERS),
        "round_comment": ("post", reverse("guidance:round_comment", args=[r]), {"panel_member"}),
        "round_decline": ("post", reverse("guidance:round_decline", args=[r]), {"panel_member"}),
        "comment_follow_up": (
            "post",
            reverse("guidance:comment_follow_up", args=[c]),
            {"panel_member"},
        ),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_against_every_url(request, persona, world):
    client = request.getfixturevalue(persona)
    for name, (method, url, allowed) in _urls(world).items():
        response = getattr(client, method)(url)
        if persona == "visitor":
            assert response.status_code == 302 and "/accounts/login/" in response.url, name
        elif persona in allowed:
            assert response.status_code in {200, 302, 400, 409}, (name, response.status_code)
        else:
            assert response.status_code in {403, 404}, (name, persona, response.status_code)


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
