from __future__ import annotations

import os

import pytest
from django.test import Client

os.environ.setdefault("FACIT_TESTING", "1")

from tests.personas import make_user, verified_client


@pytest.fixture(autouse=True)
def _swedish_by_default(settings):
    settings.LANGUAGE_CODE = "sv"


@pytest.fixture
def visitor(db) -> Client:
    return Client()


def _persona(name: str):
    @pytest.fixture
    def fixture(db) -> Client:
        return verified_client(make_user(name))

    fixture.__name__ = name
    return fixture


reviewer = _persona("reviewer")
second_reviewer = _persona("second_reviewer")
third_reviewer = _persona("third_reviewer")
editor = _persona("editor")
panel_member = _persona("panel_member")
other_panel_member = _persona("other_panel_member")
coordinator = _persona("coordinator")
provider = _persona("provider")
admin = _persona("admin")


@pytest.fixture
def seeded(db):
    """The verified interventions file loaded, as `make run` does."""
    from facit.evidence.seed import seed_interventions

    seed_interventions()


@pytest.fixture(autouse=True)
def _fresh_map_cache():
    """Each test starts without stored maps: rolled-back tests leave the revision row as the
    migration made it, and a test writing without a service (bulk_create) does not bump it."""
    from facit.evidence.gapmap import cache

    cache.clear()
