"""Every role × every directory endpoint."""

from __future__ import annotations

import pytest

from facit.directory.models import Membership, PendingChange
from tests.directory import factories as f

ROLES = ["visitor", "reviewer", "editor", "panel_member", "coordinator", "provider", "admin"]
PUBLIC = {r: 200 for r in ROLES}
EDITOR_ONLY = {r: 403 for r in ROLES} | {"visitor": 302, "editor": 200}
MEMBER_OR_EDITOR = EDITOR_ONLY | {"provider": 200}

ENDPOINTS = [
    ("get", "/sv/directory/search/?municipality=Malmö", PUBLIC),
    ("get", "/sv/directory/services/{service}/", PUBLIC),
    ("get", "/sv/directory/referral-guide/", PUBLIC),
    ("get", "/api/v1/services/search?municipality=1280", PUBLIC),
    ("get", "/api/hsds/", PUBLIC),
    ("get", "/api/hsds/services", PUBLIC),
    ("get", "/sv/directory/services/{service}/edit/", MEMBER_OR_EDITOR),
    ("get", "/sv/directory/my/", MEMBER_OR_EDITOR),
    ("get", "/sv/directory/changes/", EDITOR_ONLY),
    ("post", "/sv/directory/changes/{change}/decide/", EDITOR_ONLY | {"editor": 302}),
    ("post", "/sv/directory/services/{service}/verify/", EDITOR_ONLY | {"editor": 302}),
    ("get", "/sv/directory/referral-guide/duty-to-report/", EDITOR_ONLY),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "expected"), ENDPOINTS)
def test_role_endpoint_matrix(request, places, role, method, url, expected):
    client = request.getfixturevalue(role)
    org = f.organization()
    service = f.service(org=org)
    if role == "provider":
        Membership.objects.create(user=client.user, organization=org)
    proposer = request.getfixturevalue("provider").user if role != "provider" else client.user
    change = PendingChange.objects.create(
        service=service, proposed_by=proposer, data={}, base_version=1
    )
    target = url.format(service=service.pk, change=change.pk)
    data = {"decision": "reject"} if "decide" in url else {}
    response = getattr(client, method)(target, data) if method == "post" else client.get(target)
    assert response.status_code == expected[role], (role, target)
