"""The map is computed once per evidence revision: every write bumps the revision inside its
transaction, so the next map request after a write shows it. With Redis, the web processes
share what one of them computed, under the same revision."""

import os
import uuid

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import translation

from facit.evidence import revision
from facit.evidence.gapmap import cache
from facit.evidence.gapmap.queries import Filters, evidence_map
from facit.evidence.models import Evaluation, Extraction, Intervention
from facit.evidence.registry.services import (
    evaluation_create,
    evaluation_publish,
    intervention_recompute,
)
from facit.evidence.synthesis.services import outcome_record
from tests import factories as f
from tests.evidence.test_desk import _post
from tests.personas import make_user

OUTCOME_MAP = "/api/v1/evidence-map?rows=intervention&cols=outcome_domain"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _draft(intervention: Intervention, editor) -> Evaluation:
    """An unpublished evaluation, made through the registry's service."""
    return evaluation_create(
        intervention=intervention,
        actor=editor,
        title="Invented draft evaluation",
        design=f.term("design", "rct"),
        is_published=False,
    )


def _cells(client, query=OUTCOME_MAP):
    body = client.get(query).json()
    return {(c["row"], c["col"]): c for c in body["cells"]}


def test_an_outcome_recorded_shows_on_the_very_next_map_request(client, db):
    editor = make_user("editor")
    intervention = f.intervention()
    evaluation = f.evaluation(intervention)
    assert _cells(client) == {}  # computed and stored
    assert _cells(client) == {}  # served from the store
    outcome_record(
        evaluation=evaluation,
        measure="invented measure",
        direction="favourable",
        timepoint_months=12,
        actor=editor,
    )
    cell = _cells(client)[(intervention.slug, "unclassified")]
    assert cell["studies"] == 1


def test_an_evaluation_published_shows_on_the_very_next_map_request(client, db):
    editor = make_user("editor")
    intervention = f.intervention()
    draft = _draft(intervention, editor)
    f.outcome(draft)
    assert _cells(client) == {}
    evaluation_publish(evaluation=draft, expected_version=draft.version, actor=editor)
    assert _cells(client)[(intervention.slug, "unclassified")]["studies"] == 1


def test_a_level_change_shows_on_the_very_next_page_and_api_request(client, db):
    intervention = f.intervention()
    evaluation = f.evaluation(intervention, design="rct")
    f.outcome(evaluation, direction="favourable", months=12)
    intervention_recompute(intervention=intervention)
    query = "/api/v1/evidence-map?rows=intervention&cols=target_group"
    key = (intervention.slug, "children")

    def page_level() -> int:
        page = client.get("/sv/evidence/", {"rows": "intervention", "cols": "target_group"})
        return page.context["emap"].cells[key].best_level

    before = _cells(client, query)[key]["best_level"]
    assert page_level() == before
    # A change the cache cannot see (QuerySet.update sends no signal) is not shown yet ...
    Evaluation.objects.filter(pk=evaluation.pk).update(design=f.term("design", "qualitative"))
    assert _cells(client, query)[key]["best_level"] == before
    # ... the service recomputing the level bumps the revision: the next requests show it.
    intervention_recompute(intervention=intervention)
    after = Intervention.objects.get(pk=intervention.pk).evidence_level
    assert after != before
    assert _cells(client, query)[key]["best_level"] == after
    assert page_level() == after


def test_a_desk_consensus_turns_the_cell_confirmed_on_the_very_next_request(
    client, db, reviewer, second_reviewer
):
    intervention = f.intervention()
    evaluation = f.evaluation(intervention, design="rct", main_outcome="invented knowledge")
    f.provisional_reading(evaluation)
    intervention_recompute(intervention=intervention)
    assert _cells(client)[(intervention.slug, "knowledge")]["provisional"] == 1
    for who in (reviewer, second_reviewer):
        _post(who, evaluation)
        _post(who, evaluation, action="consensus", prefix="consensus-")
    assert Extraction.objects.filter(evaluation=evaluation, role="consensus").exists()
    assert _cells(client)[(intervention.slug, "knowledge")]["provisional"] == 0


def test_a_write_outside_the_services_is_caught_by_the_signals(client, db):
    intervention = f.intervention()
    f.outcome(f.evaluation(intervention))
    assert (intervention.slug, "unclassified") in _cells(client)
    intervention.is_published = False
    intervention.save()  # as the admin would
    assert _cells(client) == {}


def test_the_revision_moves_inside_the_writing_transaction_and_a_rollback_undoes_it(db):
    editor = make_user("editor")
    intervention = f.intervention()
    before = revision.current()

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        evaluation_create(
            intervention=intervention,
            actor=editor,
            title="Invented evaluation",
            design=f.term("design", "rct"),
        )
        inside = revision.current()
        assert inside[0] > before[0]
        assert inside[1] != before[1]
        raise Abort
    assert revision.current() == before


def test_a_rolled_back_write_leaves_no_entry_a_later_write_could_reuse(client, db):
    editor = make_user("editor")
    intervention = f.intervention()
    evaluation = f.evaluation(intervention)

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        outcome_record(
            evaluation=evaluation,
            measure="m",
            direction="harmful",
            timepoint_months=1,
            actor=editor,
        )
        assert (intervention.slug, "unclassified") in _cells(client)  # stored, uncommitted
        raise Abort
    assert _cells(client) == {}
    # The next write reaches the same revision value, but under a new token.
    other = f.intervention()
    assert _cells(client) == {}
    outcome_record(
        evaluation=f.evaluation(other),
        measure="m",
        direction="harmful",
        timepoint_months=1,
        actor=editor,
    )
    assert set(_cells(client)) == {(other.slug, "unclassified")}


def test_two_different_queries_never_share_an_entry(client, db):
    victims = f.intervention(focus=("prevent-victimisation",), targets=("children",))
    demand = f.intervention(focus=("prevent-demand",), targets=("guardians",), evidence_level=3)
    f.outcome(f.evaluation(victims))
    f.outcome(f.evaluation(demand))
    by_focus = evidence_map("focus", "target_group")
    by_target = evidence_map("target_group", "focus")
    assert set(by_focus.cells) == {
        ("prevent-victimisation", "children"),
        ("prevent-demand", "guardians"),
    }
    assert set(by_target.cells) == {
        ("children", "prevent-victimisation"),
        ("guardians", "prevent-demand"),
    }
    only_demand = evidence_map(
        "focus", "target_group", Filters(terms={"focus": ["prevent-demand"]})
    )
    assert set(only_demand.cells) == {("prevent-demand", "guardians")}
    assert set(evidence_map("focus", "target_group", Filters(max_level=3)).cells) == {
        ("prevent-demand", "guardians")
    }
    assert len(evidence_map("focus", "target_group").cells) == 2  # the unfiltered one again
    with translation.override("en"):
        english = {r.label for r in evidence_map("focus", "target_group").rows}
    with translation.override("sv"):
        swedish = {r.label for r in evidence_map("focus", "target_group").rows}
    assert english != swedish
    assert cache.size() == 5  # four queries in Swedish, one in English


def test_filters_in_another_order_are_the_same_query():
    a = Filters(terms={"focus": ["b", "a"], "setting": []}, age_bands=["13-17", "0-5"])
    b = Filters(terms={"focus": ["a", "b", "a"]}, age_bands=["0-5", "13-17"])
    assert a.key() == b.key()
    assert a.key() != Filters(terms={"focus": ["a"]}).key()
    assert Filters(provisional=True).key() != Filters(provisional=False).key()


def test_intervention_columns_are_paged_like_intervention_rows(db):
    made = [f.intervention() for _ in range(3)]
    for intervention in made:
        f.outcome(f.evaluation(intervention))
    first = evidence_map("focus", "intervention", page=1, per_page=2)
    second = evidence_map("focus", "intervention", page=2, per_page=2)
    assert (first.pages, first.col_count, first.paged) == (2, 3, ("cols",))
    assert len(first.cols) == 2 and len(second.cols) == 1
    assert {c.code for c in first.cols} | {c.code for c in second.cols} == {i.slug for i in made}
    assert {col for _, col in second.cells} == {second.cols[0].code}
    assert len(evidence_map("focus", "intervention").cols) == 3  # the exports: every column
    both = evidence_map("intervention", "intervention", page=2, per_page=2)
    assert [r.code for r in both.rows] == [c.code for c in both.cols]
    assert set(both.cells) == {(both.rows[0].code, both.rows[0].code)}


def test_a_write_drops_the_entries_of_the_older_revision_from_the_store(client, db):
    intervention = f.intervention()
    f.outcome(f.evaluation(intervention))
    evidence_map("focus", "target_group")
    evidence_map("target_group", "focus")
    assert cache.size() == 2
    intervention_recompute(intervention=intervention)  # a write: the revision moves
    evidence_map("focus", "target_group")
    assert cache.size() == 1  # only the entry of the current revision is kept


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        pytest.skip("no Redis server reachable (CI starts one)")
    return url


def _shared_cache(url: str):
    """Settings under which the map is shared through Redis (a fresh key prefix: nothing
    another test stored can be read)."""
    return override_settings(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "maps": {
                "BACKEND": "facit.core.cache.FallbackRedisCache",
                "LOCATION": url,
                "KEY_PREFIX": uuid.uuid4().hex,
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
            },
        },
        FACIT_MAP_SHARED_CACHE="maps",
    )


def test_a_map_one_worker_computed_is_read_by_another_from_redis_without_computing(db):
    intervention = f.intervention()
    f.outcome(f.evaluation(intervention))
    with _shared_cache(_redis_url()):
        computed = evidence_map("focus", "target_group")
        cache.clear()  # another process: nothing of its own stored
        with CaptureQueriesContext(connection) as queries:
            read = evidence_map("focus", "target_group")
        assert len(queries) == 1  # the revision; the map itself came from Redis
        assert read.cells == computed.cells and read.rows == computed.rows
        # A write moves the revision: the shared entry of the older one is not served.
        other = f.intervention(focus=("prevent-demand",))
        f.outcome(f.evaluation(other))
        cache.clear()
        rows = {r.code for r in evidence_map("focus", "target_group").rows}
        assert "prevent-demand" in rows


def test_with_redis_away_the_map_is_computed_as_without_it(db):
    f.outcome(f.evaluation(f.intervention()))
    with _shared_cache("redis://127.0.0.1:1/0"):  # nothing listens on port 1
        first = evidence_map("focus", "target_group")
        cache.clear()
        assert evidence_map("focus", "target_group").cells == first.cells
        assert len(first.cells) == 1


def test_the_api_list_is_built_once_per_revision_and_a_write_shows_on_the_next_request(client, db):
    editor = make_user("editor")
    first = f.intervention()
    f.evaluation(first)
    listed = client.get("/api/v1/interventions").json()
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/v1/interventions?limit=1").json()
    assert again["items"] == listed["items"][:1] and again["count"] == listed["count"]
    assert len(queries) <= 2  # the revision (and a session read at most): no intervention query
    second = f.intervention()
    evaluation_create(
        intervention=second,
        actor=editor,
        title="Invented evaluation",
        design=f.term("design", "rct"),
    )
    ids = [item["id"] for item in client.get("/api/v1/interventions").json()["items"]]
    assert second.slug in ids and first.slug in ids
    searched = client.get("/api/v1/interventions", {"q": second.name}).json()["items"]
    assert [item["id"] for item in searched] == [second.slug]  # words are searched, not cached


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def _page_tables(client, path: str) -> tuple[str, set[str]]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(path).content.decode()
    tables = {
        word.strip('"')
        for q in queries.captured_queries
        for word in q["sql"].split()
        if word.strip('"').startswith(("evidence_", "panel_"))
    }
    return page, tables


def test_an_interventions_page_reads_its_evidence_once_per_revision_and_other_sections_each_time(
    client, db
):
    intervention = f.intervention()
    f.evaluation(intervention, title="Invented first evaluation")
    path = f"/sv/evidence/interventions/{intervention.slug}/"
    first, tables = _page_tables(client, path)
    assert "evidence_evaluation" in tables
    again, tables = _page_tables(client, path)
    assert _main(again) == _main(first)
    assert "evidence_evaluation" not in tables  # the evidence came from the store
    assert "panel_assessment" in tables  # the panel's section is read fresh: consent holds


def test_an_evaluation_published_shows_on_the_very_next_intervention_page(client, db):
    editor = make_user("editor")
    intervention = f.intervention()
    path = f"/sv/evidence/interventions/{intervention.slug}/"
    draft = _draft(intervention, editor)
    assert "Invented draft evaluation" not in client.get(path).content.decode()
    assert "Invented draft evaluation" not in client.get(path).content.decode()  # stored
    evaluation_publish(evaluation=draft, expected_version=draft.version, actor=editor)
    assert "Invented draft evaluation" in client.get(path).content.decode()
    with translation.override("en"):
        english = client.get(f"/en/evidence/interventions/{intervention.slug}/")
    assert "Invented draft evaluation" in english.content.decode()
    assert client.get("/sv/evidence/interventions/no-such-intervention/").status_code == 404
