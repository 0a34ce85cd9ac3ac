"""Every service that writes more than one row is all-or-nothing: the second write fails,
and the first one is gone too (issue 10, "Transactions")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from facit.accounts import services as accounts
from facit.accounts.models import User
from facit.core.models import AuditEvent
from facit.literature import services as literature
from facit.literature.models import ExclusionReason, Reference, SearchLog
from facit.literature.screening import ranking_service
from facit.panel import services as panel
from facit.panel.models import Consent, ConsentText, Fee
from tests.literature import factories as lf
from tests.panel import factories as pf

pytestmark = pytest.mark.django_db


class SecondWriteFailed(Exception):
    pass


def _fail(*args, **kwargs):
    raise SecondWriteFailed


@pytest.fixture
def audit_fails(monkeypatch):
    """The audit entry (each service's last write) fails."""

    def arm(module):
        monkeypatch.setattr(module, "audit_record", _fail)

    return arm


def test_consent_text_publish_keeps_no_text_without_its_audit_entry(coordinator, audit_fails):
    audit_fails(panel)
    before = ConsentText.objects.count()
    with pytest.raises(SecondWriteFailed):
        panel.consent_text_publish(
            purpose="quote", text_sv="Ny text", text_en="New text", actor=coordinator.user
        )
    assert ConsentText.objects.count() == before


def test_consent_give_keeps_no_consent_without_its_audit_entry(panel_member, audit_fails):
    member = pf.member(panel_member.user, consents=())
    audit_fails(panel)
    with pytest.raises(SecondWriteFailed):
        panel.consent_give(member=member, purpose="quote")
    assert not Consent.objects.filter(member=member).exists()


def test_consent_withdraw_is_undone_without_its_audit_entry(panel_member, audit_fails):
    member = pf.member(panel_member.user, consents=("quote",))
    audit_fails(panel)
    with pytest.raises(SecondWriteFailed):
        panel.consent_withdraw(member=member, purpose="quote")
    assert Consent.objects.get(member=member, purpose="quote").withdrawn_at is None


def test_fee_record_keeps_no_fee_without_its_audit_entry(panel_member, coordinator, audit_fails):
    member = pf.member(panel_member.user)
    audit_fails(panel)
    with pytest.raises(SecondWriteFailed):
        panel.fee_record(
            member=member,
            amount=Decimal("100"),
            paid_on=dt.date(2026, 1, 1),
            actor=coordinator.user,
        )
    assert not Fee.objects.exists()


def test_review_member_add_is_undone_without_its_audit_entry(
    reviewer, second_reviewer, audit_fails
):
    review = lf.review(reviewer.user)
    audit_fails(literature)
    with pytest.raises(SecondWriteFailed):
        literature.review_member_add(review=review, user=second_reviewer.user, actor=reviewer.user)
    assert not review.members.filter(pk=second_reviewer.user.pk).exists()


def test_review_member_remove_is_undone_without_its_audit_entry(
    reviewer, second_reviewer, audit_fails
):
    review = lf.review(reviewer.user, second_reviewer.user)
    audit_fails(literature)
    with pytest.raises(SecondWriteFailed):
        literature.review_member_remove(
            review=review, user=second_reviewer.user, actor=reviewer.user
        )
    assert review.members.filter(pk=second_reviewer.user.pk).exists()


def test_reason_add_keeps_no_reason_without_its_audit_entry(reviewer, audit_fails):
    review = lf.review(reviewer.user)
    audit_fails(literature)
    with pytest.raises(SecondWriteFailed):
        literature.reason_add(review=review, label="Invented reason", actor=reviewer.user)
    assert not ExclusionReason.objects.filter(review=review, label="Invented reason").exists()


def test_search_log_add_keeps_no_search_without_its_audit_entry(reviewer, audit_fails):
    review = lf.review(reviewer.user)
    audit_fails(literature)
    with pytest.raises(SecondWriteFailed):
        literature.search_log_add(
            review=review,
            database="Invented database",
            query="invented",
            searched_on=dt.date(2026, 1, 1),
            hits=3,
            actor=reviewer.user,
        )
    assert not SearchLog.objects.exists()


def test_review_rank_keeps_no_scores_without_the_state_they_belong_to(
    reviewer, second_reviewer, tmp_path, settings, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    ranking_service._cache.clear()
    review = lf.review(reviewer.user, second_reviewer.user)
    topics = [
        "Invented school prevention programme lessons classroom pupils teachers curriculum",
        "Invented telephone helpline counselling calls volunteers night service",
    ]
    refs = [
        lf.reference(review, title=f"{topics[i % 2]} {i}", abstract=topics[i % 2])
        for i in range(12)
    ]
    for user in (reviewer.user, second_reviewer.user):
        lf.decide(refs[0], user, "include")
        lf.decide(refs[1], user, "exclude")
    monkeypatch.setattr(ranking_service, "_save_state", _fail)
    with pytest.raises(SecondWriteFailed):
        ranking_service.review_rank(review_id=review.pk)
    assert not Reference.objects.filter(review=review, relevance__isnull=False).exists()


def test_user_create_keeps_no_account_without_its_audit_entry(audit_fails):
    audit_fails(accounts)
    Group.objects.get_or_create(name="reviewer")
    with pytest.raises(SecondWriteFailed):
        accounts.user_create(username="someone", password="x" * 20, roles=["reviewer"])
    assert not User.objects.filter(username="someone").exists()


def test_user_role_add_is_undone_without_its_audit_entry(admin, reviewer, audit_fails):
    audit_fails(accounts)
    with pytest.raises(SecondWriteFailed):
        accounts.user_role_add(user=reviewer.user, role="coordinator", actor=admin.user)
    assert not reviewer.user.groups.filter(name="coordinator").exists()


def test_user_deactivate_is_undone_without_its_audit_entry(admin, reviewer, audit_fails):
    audit_fails(accounts)
    with pytest.raises(SecondWriteFailed):
        accounts.user_deactivate(user=reviewer.user, actor=admin.user)
    reviewer.user.refresh_from_db()
    assert reviewer.user.is_active


def test_totp_device_confirm_is_undone_without_its_audit_entry(audit_fails):
    user = User.objects.create_user(username="someone", password="x" * 20)
    old = TOTPDevice.objects.create(user=user, name="old", confirmed=False)
    new = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    audit_fails(accounts)
    with pytest.raises(SecondWriteFailed):
        accounts.totp_device_confirm(device=new)
    assert TOTPDevice.objects.filter(pk=old.pk).exists()
    assert not TOTPDevice.objects.get(pk=new.pk).confirmed
    assert not AuditEvent.objects.filter(action="account.two_factor_enabled").exists()
