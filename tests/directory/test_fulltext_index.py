"""On PostgreSQL the directory's word search is answered by the GIN index on the Swedish
tsvector (migration 0003, search.FTS_VECTOR): the planner's own choice, shown by EXPLAIN, on
enough services that a sequential scan would cost more. SQLite searches the stemmed
search_text column instead, so the test is skipped there."""

from __future__ import annotations

import pytest
from django.db import connection

from facit.directory.models import Organization, Service
from facit.directory.search import SearchParams, filtered_services

INDEX = "directory_service_fts_sv"

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only"
)


@pytest.fixture
def many_services(db):
    org = Organization.objects.create(name="Invented organisation")
    Service.objects.bulk_create(
        Service(
            organization=org,
            name=f"Invented service {i}",
            description="Invented text about opening hours and addresses.",
            description_sv="Stödsamtal för barn och unga." if i % 200 == 0 else "Rådgivning.",
        )
        for i in range(6000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directory_service")


def test_the_word_search_plan_uses_the_swedish_gin_index(many_services):
    qs = filtered_services(SearchParams(q="stödsamtal"))
    plan = qs.explain()
    assert INDEX in plan, plan
    assert qs.count() == 30  # stemmed Swedish: "stödsamtal" in 30 of the 6,000


def test_the_index_is_not_used_without_words(many_services):
    """The check can fail: a search without words has no use for the index."""
    plan = filtered_services(SearchParams(age=15)).explain()
    assert INDEX not in plan, plan
