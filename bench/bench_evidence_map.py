"""Evidence & gap map with 5,000 generated interventions and 20,000 evaluations.

The targets are for this size, so --quick keeps the data and takes fewer samples.
Measures GET /api/v1/evidence-map and the map page against the bare SQL aggregate they
need (cells of focus x target group), in the same run. Targets: the page within 3x the bare
query and under 200 ms, for the warm requests (no write since the map was computed: it is
kept per evidence revision); the cold ones (each after a write) are printed beside them. Set FACIT_BENCH_POSTGRES_URL to measure on PostgreSQL too (the
database is emptied first: use a throwaway one). Set FACIT_BENCH_REDIS_URL to also time the
first request in a second web process after a write, when the first process has computed
the map and shared it through Redis (as `make serve` does with its gunicorn workers).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _django


def generate(n_interventions: int, n_evaluations: int, seed: int = 7) -> None:
    from facit.evidence import vocabularies as vocab
    from facit.evidence.models import Evaluation, Intervention, Term
    from facit.evidence.revision import evidence_changed
    from facit.evidence.seed import vocabularies_load

    rng = random.Random(seed)
    vocabularies_load()
    terms = {v: list(Term.objects.filter(vocabulary=v)) for v in vocab.VOCABULARIES}
    interventions = [
        Intervention(
            slug=f"bench-{i}",
            name=f"Generated intervention {i}",
            origin="demo",
            evidence_level=rng.randint(1, 7),
            prevention_level=rng.choice(terms[vocab.PREVENTION_LEVEL]),
        )
        for i in range(n_interventions)
    ]
    Intervention.objects.bulk_create(interventions, batch_size=1000)
    interventions = list(Intervention.objects.all())
    for field, vocabulary in (
        ("focus", vocab.FOCUS),
        ("target_groups", vocab.TARGET_GROUP),
        ("settings", vocab.SETTING),
    ):
        through = getattr(Intervention, field).through
        rows = [
            through(intervention_id=i.pk, term_id=t.pk)
            for i in interventions
            for t in rng.sample(terms[vocabulary], rng.randint(1, 2))
        ]
        through.objects.bulk_create(rows, batch_size=5000)
    counts = {i.pk: 0 for i in interventions}
    evaluations = []
    for n in range(n_evaluations):
        i = rng.choice(interventions)
        counts[i.pk] += 1
        evaluations.append(
            Evaluation(
                intervention=i,
                title=f"Generated evaluation {n}",
                design=rng.choice(terms[vocab.DESIGN]),
                independent=rng.random() < 0.3,
            )
        )
    Evaluation.objects.bulk_create(evaluations, batch_size=5000)
    for i in interventions:
        i.evaluation_count = counts[i.pk]
    Intervention.objects.bulk_update(interventions, ["evaluation_count"], batch_size=2000)
    evidence_changed()  # bulk writes send no signals: a write, as the services record it


BARE_SQL = """
SELECT f.term_id, t.term_id, COUNT(DISTINCT i.id), SUM(i.evaluation_count), MIN(i.evidence_level)
FROM evidence_intervention_focus f
JOIN evidence_intervention_target_groups t ON t.intervention_id = f.intervention_id
JOIN evidence_intervention i ON i.id = f.intervention_id
WHERE i.is_published = %s
GROUP BY f.term_id, t.term_id
"""


def timed(func, repeat: int, *, after_write: bool = False) -> list[float]:
    """Milliseconds per call. after_write: each call follows a bump of the evidence revision
    (as any write does; the bump is not timed), so the map is computed afresh."""
    from facit.evidence.revision import evidence_changed

    func()  # warm up
    samples = []
    for _ in range(repeat):
        if after_write:
            evidence_changed()
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def run(label: str, database_url: str | None, n_int: int, n_eval: int, repeat: int) -> bool:
    _django.setup(database_url) if label == "sqlite" else None
    from django.db import connection
    from django.test import Client

    generate(n_int, n_eval)
    client = Client(HTTP_HOST="127.0.0.1")

    def bare() -> None:
        with connection.cursor() as cursor:
            cursor.execute(BARE_SQL, [True])
            cursor.fetchall()

    def api() -> None:
        assert client.get("/api/v1/evidence-map?rows=focus&cols=target_group").status_code == 200

    def page() -> None:
        assert client.get("/sv/evidence/").status_code == 200

    base = statistics.median(timed(bare, repeat))
    ok = True
    for name, func in (("api /api/v1/evidence-map", api), ("page /sv/evidence/", page)):
        cold = statistics.median(timed(func, repeat, after_write=True))
        print(
            f"evidence_map[{label}] {name} cold (first request after a write): "
            f"ours={cold:.1f}ms baseline={base:.1f}ms ratio={cold / base:.2f} (reported, no target)",
            flush=True,
        )
        # Warm: later requests with no write between them read the stored map (the target).
        ours = statistics.median(timed(func, repeat))
        ratio = ours / base
        good = ours < 200 and (name.startswith("api") or ratio <= 3)
        ok &= good
        print(
            f"evidence_map[{label}] {name} warm: ours={ours:.1f}ms baseline={base:.1f}ms ratio={ratio:.2f} (target page <= 3, < 200 ms) {'OK' if good else 'MISSED'}",
            flush=True,
        )
    redis_url = os.environ.get("FACIT_BENCH_REDIS_URL")
    if redis_url:
        shared = statistics.median(_second_worker_after_write(page, redis_url, repeat))
        print(
            f"evidence_map[{label}] page /sv/evidence/ in a second worker after a write, shared "
            f"through Redis: ours={shared:.1f}ms baseline={base:.1f}ms ratio={shared / base:.2f} "
            "(reported, no target)",
            flush=True,
        )
    return ok


def _second_worker_after_write(func, redis_url: str, repeat: int) -> list[float]:
    """Milliseconds of `func` in a process whose own store is empty, after another process
    computed the map of the new revision and put it in Redis (neither step is timed)."""
    import uuid

    from django.test.utils import override_settings

    from facit.evidence.gapmap import cache
    from facit.evidence.revision import evidence_changed

    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "maps": {
            "BACKEND": "facit.core.cache.FallbackRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"bench-{uuid.uuid4().hex}",
        },
    }
    samples = []
    with override_settings(CACHES=caches, FACIT_MAP_SHARED_CACHE="maps"):
        for _ in range(repeat):
            evidence_changed()
            func()  # the first worker computes and shares
            cache.clear()  # the second worker has nothing of its own
            started = time.perf_counter()
            func()
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n_int, n_eval, repeat = (5000, 20000, 10) if args.quick else (5000, 20000, 30)
    print(f"{n_int} interventions, {n_eval} evaluations, median of {repeat} requests")
    ok = run("sqlite", None, n_int, n_eval, repeat)
    ok &= _django.postgres_child_ok(__file__, args.quick)
    return 0 if ok else 1


if __name__ == "__main__":
    if "--pg-child" in sys.argv:
        quick = "--quick" in sys.argv
        _django.setup(os.environ["FACIT_BENCH_POSTGRES_URL"])
        n_int, n_eval, repeat = (5000, 20000, 10) if quick else (5000, 20000, 30)
        sys.exit(0 if run("postgresql", "", n_int, n_eval, repeat) else 1)
    sys.exit(main())
