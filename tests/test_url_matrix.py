"""Every role against every URL, with the exact status each gets (the table is in
tests/url_matrix.py), and a check in the zulip style that no URL pattern goes untested."""

from __future__ import annotations

import json
import operator
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.personas import make_user, verified_client
from tests.url_matrix import EXEMPT_PREFIXES, ROLES, ROWS, Lit, Row


def _url_names(patterns: list[Any] | None = None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}:{p.namespace}" if namespace and p.namespace else p.namespace
            names |= _url_names(p.url_patterns, inner or namespace)
        elif isinstance(p, URLPattern) and p.name:
            names.add(f"{namespace}:{p.name}" if namespace else p.name)
    return names


def test_every_url_pattern_has_a_row_in_the_matrix():
    names = {n for n in _url_names() if not n.startswith(tuple(EXEMPT_PREFIXES))}
    rows = [row.name for row in ROWS]
    missing = sorted(names - set(rows))
    assert not missing, "URL names without a row in tests/url_matrix.py:\n" + "\n".join(missing)
    duplicated = sorted({n for n in rows if rows.count(n) > 1})
    assert not duplicated, duplicated


def test_every_row_names_a_url_that_exists():
    stale = sorted({row.name for row in ROWS} - _url_names())
    assert not stale, stale


PLACES_PREFIXES = ("directory:", "api-v1:services_search", "api-hsds:")


def build_world(*, places: bool = False) -> SimpleNamespace:
    """One of everything, owned by the personas (with `places`, facit's taxonomy and
    Sweden's municipalities too): the reviewer is a member of the review,
    the provider of the service's organisation, the panel member is invited to the round."""
    from facit.core.jobs import job_start
    from facit.directory.models import Barnahus, Membership, PendingChange
    from facit.directory.seed import municipalities_load, taxonomy_load
    from facit.evidence.tasks import recompute_levels
    from facit.literature.models import DuplicateCandidate
    from tests import factories as ef
    from tests.directory import factories as df
    from tests.literature import factories as lf
    from tests.panel import factories as pf

    if places:  # loading them takes a while; only the directory's rows need them
        taxonomy_load()
        municipalities_load()
    users = {role: make_user(role) for role in ROLES if role != "visitor"}
    clients: dict[str, Client] = {"visitor": Client()}
    clients |= {role: verified_client(user) for role, user in users.items()}
    w = SimpleNamespace(clients=clients, reviewer_user=users["reviewer"])
    w.intervention = ef.intervention()
    w.evaluation = ef.evaluation(w.intervention)
    w.review = lf.review(users["reviewer"])
    w.batch = lf.batch(w.review)
    w.reference = lf.reference(w.review, batch_obj=w.batch)
    second = lf.reference(w.review, batch_obj=w.batch)
    w.candidate = DuplicateCandidate.objects.create(
        review=w.review, first=w.reference, second=second, score=0.9
    )
    with transaction.atomic():
        w.job = job_start(
            kind="evidence.recompute_levels", task=recompute_levels, created_by=users["reviewer"]
        )
    org = df.organization()
    w.service = df.service(org=org)
    Membership.objects.create(user=users["provider"], organization=org)
    w.change = PendingChange.objects.create(
        service=w.service, proposed_by=users["provider"], data={}, base_version=1
    )
    w.member = pf.member(users["panel_member"], pseudonym="Ugglan")
    w.document = pf.document(users["editor"])
    w.round = pf.review_round(users["editor"], w.document.versions.get(), [w.member])
    w.comment = pf.comment(w.round, w.member)
    w.barnahus = Barnahus.objects.create(id="invented-barnahus", name="Invented Barnahus")
    return w


def _url(row: Row, world: SimpleNamespace) -> str:
    kwargs = {
        key: value.value if isinstance(value, Lit) else operator.attrgetter(value)(world)
        for key, value in row.kwargs.items()
    }
    return reverse(row.name, kwargs=kwargs) + row.query


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_each_role_gets_the_exact_status(row: Row):
    world = build_world(places=row.name.startswith(PLACES_PREFIXES))
    url = _url(row, world)
    got, sent_to = {}, {}
    for role in ROLES:
        client = world.clients[role]
        client.handler.enforce_csrf_checks = row.csrf_checks
        with transaction.atomic():  # each role meets the same, untouched world
            if row.json is not None:
                response = client.post(url, json.dumps(row.json), content_type="application/json")
            elif row.method == "post":
                response = client.post(url, row.data)
            else:
                response = client.get(url)
            got[role] = response.status_code
            sent_to[role] = response.get("Location", "")
            transaction.set_rollback(True)
        client.handler.enforce_csrf_checks = False
    if os.environ.get("FACIT_MATRIX_RECORD"):  # to review a new row's statuses by hand
        record = Path(os.environ["FACIT_MATRIX_RECORD"]) / f"{row.name.replace(':', '--')}.json"
        record.write_text(json.dumps(got))
    assert got == row.expected, {
        role: f"expected {row.expected[role]}, got {got[role]}"
        for role in ROLES
        if got[role] != row.expected[role]
    }
    if got["visitor"] == 302 and any(got[role] != 302 for role in ROLES):
        # a page for signed-in roles only: the visitor is sent to sign in, and back (the
        # admin has its own sign-in page)
        sign_in = (
            "/admin/login/?next=" if row.name.startswith("admin:") else "/accounts/login/?next="
        )
        assert sign_in in sent_to["visitor"], sent_to["visitor"]
