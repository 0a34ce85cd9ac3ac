"""Providers edit only their own organisation's services; edits wait for an editor."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from facit.core.concurrency import EditConflict
from facit.core.models import AuditEvent
from facit.directory.models import Membership, PendingChange, Service
from facit.directory.services import change_approve, change_propose, change_reject
from tests.directory import factories as f


@pytest.fixture
def own(provider, places):
    org = f.organization(name="Provider's own organisation")
    Membership.objects.create(user=provider.user, organization=org)
    return f.service(org=org, name="Own service", description="Old text")


@pytest.fixture
def other(places):
    return f.service(name="Someone else's service")


def _post_edit(client, service, **changes):
    data = {
        "name": service.name,
        "alternate_name": "",
        "description": service.description,
        "eligibility_description": "",
        "minimum_age": "",
        "maximum_age": "",
        "application_process": "",
        "fees_description": "",
        "url": "",
        "email": "",
        "alert": "",
        "version": service.version,
        **changes,
    }
    return client.post(f"/sv/directory/services/{service.pk}/edit/", data)


def test_provider_edit_of_own_service_waits_for_approval(provider, own):
    r = _post_edit(provider, own, description="New text")
    assert r.status_code == 302
    own.refresh_from_db()
    assert own.description == "Old text"
    change = PendingChange.objects.get(service=own)
    assert change.status == "pending" and change.data == {"description": "New text"}
    assert AuditEvent.objects.filter(action="directory.change.propose").exists()


def test_provider_cannot_edit_another_organisations_service(provider, own, other):
    assert provider.get(f"/sv/directory/services/{other.pk}/edit/").status_code == 403
    assert _post_edit(provider, other, description="Hijack").status_code == 403
    assert not PendingChange.objects.exists()


def test_editor_approves_and_the_change_is_published_and_audited(provider, editor, own):
    _post_edit(provider, own, description="New text")
    change = PendingChange.objects.get()
    r = editor.post(f"/sv/directory/changes/{change.pk}/decide/", {"decision": "approve"})
    assert r.status_code == 302
    own.refresh_from_db()
    change.refresh_from_db()
    assert own.description == "New text" and change.status == "approved"
    assert change.decided_by == editor.user
    assert AuditEvent.objects.filter(action="directory.change.approve", actor=editor.user).exists()


def test_editor_rejects_and_nothing_changes(provider, editor, own):
    _post_edit(provider, own, description="New text")
    change = PendingChange.objects.get()
    editor.post(f"/sv/directory/changes/{change.pk}/decide/", {"decision": "reject", "note": "no"})
    own.refresh_from_db()
    assert own.description == "Old text"
    assert PendingChange.objects.get().status == "rejected"
    assert AuditEvent.objects.filter(action="directory.change.reject").exists()


def test_provider_cannot_approve_own_change(provider, own):
    _post_edit(provider, own, description="New text")
    change = PendingChange.objects.get()
    r = provider.post(f"/sv/directory/changes/{change.pk}/decide/", {"decision": "approve"})
    assert r.status_code == 403
    with pytest.raises(PermissionDenied):
        change_approve(change=change, actor=provider.user)


def test_approving_a_stale_proposal_is_refused(provider, editor, own):
    first = change_propose(
        service=own, data={"description": "A"}, actor=provider.user, expected_version=own.version
    )
    second = change_propose(
        service=own, data={"description": "B"}, actor=provider.user, expected_version=own.version
    )
    change_approve(change=first, actor=editor.user)
    with pytest.raises(EditConflict):
        change_approve(change=second, actor=editor.user)
    assert Service.objects.get(pk=own.pk).description == "A"


def test_reject_twice_is_refused(provider, editor, own):
    from facit.directory.services import ChangeNotPending

    change = change_propose(
        service=own, data={"description": "A"}, actor=provider.user, expected_version=own.version
    )
    change_reject(change=change, actor=editor.user)
    with pytest.raises(ChangeNotPending):
        change_reject(change=change, actor=editor.user)


def test_service_page_shows_last_verified_and_flags_overdue(visitor, places):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    fresh = f.service(name="Fresh", last_verified_at=today, verified_by_label="Checker")
    old = f.service(name="Old", last_verified_at=today - timedelta(days=400))
    html = visitor.get(f"/sv/directory/services/{fresh.pk}/").content.decode()
    assert "Checker" in html and "verification overdue" not in html
    html = visitor.get(f"/sv/directory/services/{old.pk}/").content.decode()
    assert "verification overdue" in html


def test_editor_marks_service_verified(editor, places):
    s = f.service(name="To verify")
    r = editor.post(f"/sv/directory/services/{s.pk}/verify/")
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.last_verified_by == editor.user and s.last_verified_at is not None
    assert not s.verification_overdue


def test_public_pages_and_api_never_name_the_verifying_editors_account(editor, visitor, places):
    s = f.service(name="Verified by an editor")
    editor.user.username = "kim-verifier-4711"  # a name no page would otherwise contain
    editor.user.save(update_fields=["username"])
    editor.post(f"/sv/directory/services/{s.pk}/verify/")
    username = editor.user.get_username()
    page = visitor.get(f"/sv/directory/services/{s.pk}/").content.decode()
    search = visitor.get("/sv/directory/search/", {"q": "Verified"}).content.decode()
    api = visitor.get("/api/v1/services/search", {"q": "Verified"}).content.decode()
    for text in (page, search, api):
        assert username not in text
    assert "en redaktör på facit" in page and "en redaktör på facit" in search
    assert "Verified by an editor" in api


def test_provider_sees_own_services_and_proposals(provider, own, other):
    change_propose(
        service=own, data={"description": "A"}, actor=provider.user, expected_version=own.version
    )
    html = provider.get("/sv/directory/my/").content.decode()
    assert "Own service" in html and "Someone else" not in html
    assert "väntar på godkännande" in html or "waiting for approval" in html
