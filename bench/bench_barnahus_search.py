"""Directory search with the Barnahus lookup and words: a municipality + age + a word, on
20,000 invented services (bench_directory_search's data) plus the 18 Barnahus of
data/barnahus_se.json, against the bare SQL for the same result in the same run. On
PostgreSQL the words go through the GIN index on the Swedish tsvector.

Run: .venv/bin/python bench/bench_barnahus_search.py [--quick]
PostgreSQL too when FACIT_BENCH_POSTGRES_URL is set: the benchmark migrates that database,
adds its data and removes it again afterwards.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_directory_search import BARE_SQL, percentile, setup_django  # noqa: E402

WORDS = ["stöd", "barn", "benchmark", "samtal"]


def generate(n_services: int, n_locations: int) -> None:
    from django.db import connection

    from bench.bench_directory_search import generate as directory_generate
    from facit.directory.models import Service
    from facit.directory.seed import barnahus_load

    directory_generate(n_services, n_locations)
    # Swedish words in a tenth of the services, so that the word matches some of them
    ids = list(Service.objects.values_list("id", flat=True)[: n_services // 10])
    Service.objects.filter(id__in=ids).update(description_sv="Stödsamtal för barn och unga.")
    barnahus_load()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def bare_query(place, age: int, word: str):  # type: ignore[no-untyped-def]
    """The same services, rows and Barnahus in hand-written SQL."""
    from django.db import connection

    from facit.directory.models import Attribute, Phone

    # the directory benchmark's SQL without its form-of-exploitation clause, with the words
    sql = BARE_SQL.split("  AND (EXISTS")[0] + "  AND {text}\nGROUP BY s.id, s.name, cov.reach\n"
    if connection.vendor == "postgresql":
        from facit.directory.search import FTS_VECTOR

        text = (
            "s.id IN (SELECT id FROM directory_service WHERE "  # noqa: S608 - constants
            f"{FTS_VECTOR} @@ plainto_tsquery('swedish'::regconfig, %(word)s))"
        )
        stem = word
    else:
        from facit.directory.textsearch import stems

        text = "s.search_text LIKE %(word)s"
        stem = f"% {stems(word)[0]} %"
    sql = sql.replace("{text}", text)
    params = {
        "county": place.county_id,
        "code": place.code,
        "lat": place.latitude,
        "lon": place.longitude,
        "k": math.cos(math.radians(place.latitude)),
        "age": age,
        "word": stem,
        "true": True,
        "false": False,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT b.id, b.name, b.coverage_note FROM directory_barnahus b JOIN "
            "directory_barnahus_municipalities m ON m.barnahus_id = b.id "
            "WHERE m.municipality_id = %s ORDER BY b.name",
            [place.code],
        )
        barnahus = cursor.fetchall()
        cursor.execute(
            "SELECT n.id FROM directory_barnahusnote n JOIN directory_barnahusnote_municipalities m "
            "ON m.barnahusnote_id = n.id WHERE n.kind = 'gap' AND m.municipality_id = %s",
            [place.code],
        )
        cursor.fetchall()
        cursor.execute("SELECT id, text FROM directory_barnahusnote WHERE kind = 'advice' LIMIT 1")
        cursor.fetchall()
    rows.sort(key=lambda r: (r[2], r[3] if r[3] is not None else math.inf, r[1]))
    page = [r[0] for r in rows[:20]]
    list(Phone.objects.filter(service_id__in=page).values_list("service_id", "number"))
    list(Attribute.objects.filter(link_id__in=page).values_list("link_id", "taxonomy_term__name"))
    return len(rows), len(barnahus)


def ours(place, age: int, word: str):  # type: ignore[no-untyped-def]
    from facit.directory.barnahus import barnahus_for
    from facit.directory.search import SearchParams, search_services

    result = search_services(SearchParams(municipality=place.code, age=age, q=word))
    answer = barnahus_for(result.place)
    return result.total, len(answer.barnahus)


class _SqlClock:
    """Where the time of facit's search goes: each SQL statement's time, by its first words
    (e.g. 'SELECT ... FROM "directory_servicearea"'), against the whole search's time."""

    def __init__(self) -> None:
        self.by_statement: dict[str, list[float]] = {}

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        import re

        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            table = re.search(r'FROM "?(\w+)"?', sql)
            key = table.group(1) if table else sql[:30]
            self.by_statement.setdefault(key, []).append((time.perf_counter() - t0) * 1000)

    def report(self, label: str, total_ms: float, searches: int) -> None:
        sql_ms = sum(sum(v) for v in self.by_statement.values())
        print(
            f"   {label}: where facit's search time goes (per search): SQL "
            f"{sql_ms / searches:.1f} ms of {total_ms / searches:.1f} ms, the rest is Python"
        )
        ranked = sorted(self.by_statement.items(), key=lambda kv: -sum(kv[1]))[:6]
        for key, times in ranked:
            print(
                f"     {key}: {len(times) / searches:.1f} statements, "
                f"{sum(times) / searches:.2f} ms per search"
            )


def run(label: str, requests: int, n_services: int, n_locations: int) -> bool:
    from facit.directory.models import Municipality

    started = time.perf_counter()
    generate(n_services, n_locations)
    print(f"   {label}: generated {n_services} services in {time.perf_counter() - started:.1f} s")
    rng = random.Random(13)
    places = list(Municipality.objects.all())
    cases = [(rng.choice(places), rng.randint(8, 17), rng.choice(WORDS)) for _ in range(requests)]
    timed_ours: list[float] = []
    timed_bare: list[float] = []
    mismatches = 0
    from django.db import connection

    clock = _SqlClock()
    for i, (place, age, word) in enumerate(cases):
        if i == 20:
            clock.by_statement.clear()
        t0 = time.perf_counter()
        with connection.execute_wrapper(clock):
            got = ours(place, age, word)
        t1 = time.perf_counter()
        want = bare_query(place, age, word)
        t2 = time.perf_counter()
        if i >= 20:  # warm-up
            timed_ours.append((t1 - t0) * 1000)
            timed_bare.append((t2 - t1) * 1000)
        if got != want:
            mismatches += 1
    ok = True
    for name, fn in (("p50", statistics.median), ("p95", lambda v: percentile(v, 95))):
        o, b = fn(timed_ours), fn(timed_bare)
        ratio = o / b if b else float("inf")
        good = ratio <= 3 and (name != "p95" or o < 50)
        ok &= good
        target = "p95 < 50 ms and ratio <= 3" if name == "p95" else "ratio <= 3"
        print(
            f"barnahus_search_{label}_{name}: ours={o:.2f}ms baseline={b:.2f}ms "
            f"ratio={ratio:.2f} (target {target}){'' if good else '  MISSED'}"
        )
    print(
        f"   {label}: {len(timed_ours)} timed searches; results differing from the bare SQL: {mismatches}"
    )
    clock.report(label, sum(timed_ours), len(timed_ours))
    return ok and mismatches == 0


def _clear() -> None:
    from django.db import connection

    tables = [
        "directory_attribute",
        "directory_phone",
        "directory_serviceatlocation",
        "directory_location",
        "directory_servicearea",
        "directory_service",
        "directory_organization",
        "directory_barnahus_municipalities",
        "directory_barnahusnote_municipalities",
        "directory_barnahus",
        "directory_barnahusnote",
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--postgres", default=os.environ.get("FACIT_BENCH_POSTGRES_URL", ""))
    args = parser.parse_args()
    requests = 220 if args.quick else 1020
    n_services, n_locations = (5000, 7500) if args.quick else (20000, 30000)
    if os.environ.get("_FACIT_BENCH_PG") == "1":
        setup_django(args.postgres)
        from facit.directory.models import Service

        if Service.objects.exists():
            print("   postgres: the database already holds services; not touched")
            return 1
        try:
            return 0 if run("postgres", requests, n_services, n_locations) else 1
        finally:
            _clear()
    pg = 0
    if args.postgres:
        import subprocess

        env = {**os.environ, "_FACIT_BENCH_PG": "1"}
        command = [sys.executable, __file__, "--postgres", args.postgres]
        pg = subprocess.run(
            command + (["--quick"] if args.quick else []), env=env, check=False
        ).returncode
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(f"sqlite:///{tmp}/bench.sqlite3")
        ok = run("sqlite", requests, n_services, n_locations)
    return 0 if ok and pg == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
