"""Regression tests for the security probe's findings F1 and F2 (issue 16), reproduced as the
probe did them: through the Django admin and then facit's own pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from facit.accounts import roles
from facit.accounts.models import User
from facit.core.models import AuditEvent
from facit.literature.models import Decision, ScreeningDecision
from facit.literature.services import decision_record
from facit.panel.models import MemberIdentity
from tests.literature import factories as lf
from tests.panel import factories as pf
from tests.personas import verified_client

pytestmark = pytest.mark.django_db

SECRET_NAME = "Zyxwq Legalnamn"


@pytest.fixture
def identified_member(panel_member):
    m = pf.member(panel_member.user, pseudonym="Ugglan")
    MemberIdentity.objects.create(member=m, legal_name=SECRET_NAME, email="x@example.invalid")
    return m


def _superuser(username: str = "root") -> User:
    call_command(
        "createsuperuser",
        username=username,
        email="root@example.invalid",
        interactive=False,
        verbosity=0,
    )
    return User.objects.get(username=username)


# F1: admin role -> superuser -> identities ---------------------------------------------------


def test_f1_the_admin_role_cannot_make_itself_superuser_through_the_django_admin(
    admin, identified_member
):
    me = admin.user
    response = admin.post(
        f"/admin/accounts/user/{me.pk}/change/",
        {
            "username": me.username,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 403
    me.refresh_from_db()
    assert not me.is_superuser
    identity_url = f"/sv/panel/coordinator/m/{identified_member.public_id}/?identity=1"
    response = admin.get(identity_url)
    assert response.status_code == 403
    assert SECRET_NAME not in response.content.decode()


def test_f1_no_role_reaches_the_django_admin(
    visitor, reviewer, editor, panel_member, coordinator, provider, admin
):
    assert visitor.get("/admin/").status_code == 302
    for client in (reviewer, editor, panel_member, coordinator, provider, admin):
        assert client.get("/admin/").status_code == 403
        assert client.get("/admin/accounts/user/").status_code == 403


def test_f1_a_superuser_from_createsuperuser_reads_the_admin_but_nothing_can_be_written():
    root = verified_client(_superuser())
    assert root.get("/admin/").status_code == 200
    assert root.get("/admin/accounts/user/").status_code == 200
    assert root.get("/admin/accounts/user/add/").status_code == 403
    other = User.objects.create_user(username="someone", password="x" * 20)
    response = root.post(
        f"/admin/accounts/user/{other.pk}/change/", {"username": "someone", "is_superuser": "on"}
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert not other.is_superuser


def test_f1_a_superuser_is_not_implicitly_the_coordinator_for_identities(identified_member):
    root = verified_client(_superuser())
    assert not root.user.has_role(roles.COORDINATOR)
    response = root.get(f"/sv/panel/coordinator/m/{identified_member.public_id}/?identity=1")
    assert response.status_code == 403
    assert SECRET_NAME not in response.content.decode()
    assert not AuditEvent.objects.filter(action="panel.identity_read").exists()


def test_f1_role_changes_go_through_facits_audit_log(admin, reviewer):
    url = f"/sv/accounts/people/{reviewer.user.pk}/"
    response = admin.post(url, {"roles": ["reviewer", "coordinator"], "is_active": "on"})
    assert response.status_code == 302
    assert reviewer.user.groups.filter(name=roles.COORDINATOR).exists()
    event = AuditEvent.objects.get(action="account.role_add")
    assert event.actor == admin.user and event.target_id == str(reviewer.user.pk)
    assert event.detail == {"role": "coordinator"}


def test_f1_the_admin_role_cannot_grant_itself_more_on_the_staff_page(admin):
    url = f"/sv/accounts/people/{admin.user.pk}/"
    response = admin.post(url, {"roles": ["admin", "coordinator"], "is_active": "on"})
    assert response.status_code == 403
    assert set(admin.user.groups.values_list("name", flat=True)) == {roles.ADMIN}
    assert not User.objects.filter(is_superuser=True).exists()


def test_f1_the_admin_role_cannot_touch_a_superuser_account(admin):
    root = _superuser()
    url = f"/sv/accounts/people/{root.pk}/"
    assert admin.post(url, {"roles": ["coordinator"]}).status_code == 403
    root.refresh_from_db()
    assert root.is_active and not root.groups.exists()


# F2: any reviewer into any review ------------------------------------------------------------


@pytest.fixture
def foreign_review(second_reviewer, third_reviewer):
    review = lf.review(second_reviewer.user, third_reviewer.user)
    ref = lf.reference(review)
    decision = decision_record(
        reference=ref, stage="ta", reviewer=second_reviewer.user, decision=Decision.INCLUDE
    )
    return review, ref, decision


def test_f2_a_non_member_reviewer_cannot_add_itself_through_the_django_admin(
    reviewer, foreign_review
):
    review, _ref, _decision = foreign_review
    response = reviewer.post(
        f"/admin/literature/review/{review.pk}/change/",
        {
            "slug": review.slug,
            "title": review.title,
            "question": review.question,
            "members": [reviewer.user.pk],
        },
    )
    assert response.status_code == 403
    assert not review.members.filter(pk=reviewer.user.pk).exists()
    assert reviewer.get(f"/sv/literature/{review.slug}/").status_code == 403
    assert reviewer.get(f"/api/v1/literature/reviews/{review.slug}/prisma").status_code == 404


def test_f2_a_reviewer_cannot_read_or_edit_another_reviewers_decision_in_the_admin(
    reviewer, foreign_review
):
    _review, ref, decision = foreign_review
    url = f"/admin/literature/screeningdecision/{decision.pk}/change/"
    assert reviewer.get(url).status_code == 403
    assert reviewer.get("/admin/literature/screeningdecision/").status_code == 403
    response = reviewer.post(
        url,
        {"reference": ref.pk, "stage": "ta", "reviewer": reviewer.user.pk, "decision": "exclude"},
    )
    assert response.status_code == 403
    decision.refresh_from_db()
    assert decision.decision == Decision.INCLUDE and decision.reviewer_id != reviewer.user.pk


def test_f2_even_a_superuser_cannot_open_or_edit_a_blinded_decision_in_the_admin(foreign_review):
    _review, ref, decision = foreign_review
    root = verified_client(_superuser())
    url = f"/admin/literature/screeningdecision/{decision.pk}/change/"
    assert root.get(url).status_code == 404
    root.post(url, {"reference": ref.pk, "stage": "ta", "decision": "exclude"})
    assert ScreeningDecision.objects.get(pk=decision.pk).decision == Decision.INCLUDE


def test_f2_the_members_page_refuses_non_reviewers_and_audits_additions(
    second_reviewer, panel_member, reviewer, foreign_review
):
    review, _ref, _decision = foreign_review
    url = f"/sv/literature/{review.slug}/members/"
    second_reviewer.post(url, {"username": panel_member.user.username})
    assert not review.members.filter(pk=panel_member.user.pk).exists()
    second_reviewer.post(url, {"username": reviewer.user.username})
    assert review.members.filter(pk=reviewer.user.pk).exists()
    assert AuditEvent.objects.filter(action="literature.review.member_add").count() == 1
    assert Group.objects.get(name=roles.REVIEWER).user_set.filter(pk=reviewer.user.pk).exists()
