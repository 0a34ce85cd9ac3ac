"""Benchmark: import 100,000 RIS records and de-duplicate them.

Records are built from the real screening titles/abstracts/DOIs (data/screening),
repeated with invented years and first authors so that there are 100,000 distinct works,
plus ~5% duplicates written the way another database would print them. The baseline is
a bare ``rispy.loads`` of the same text in the same run. Also prints precision/recall of
find_duplicates on this set and on the labelled fixture (tests/literature/dedup_fixture):
in both, duplicates are derived variants of real records, not independent real exports.

The database part imports the same file into a review through the project's import
service (parse, de-duplicate, store in one transaction) on a throwaway SQLite file, and on
PostgreSQL too when FACIT_BENCH_POSTGRES_URL names a scratch database; its baseline is a
plain parse + ORM bulk_create without duplicate detection. Target: under 60 s for 100,000.

Run: /work/main/.venv/bin/python bench/bench_import.py [--quick] [--no-db]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import rispy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from facit.literature.imports.dedup import find_duplicates, from_parsed  # noqa: E402
from facit.literature.imports.formats import ParsedRecord, parse_file, to_ris  # noqa: E402
from tests.literature.dedup_fixture import (  # noqa: E402
    build_fixture,
    invented_author,
    load_screening,
    precision_recall,
    variant_title,
)


def build(total: int, dup_share: float, seed: int = 11) -> tuple[bytes, set[frozenset[str]]]:
    """RIS bytes of ``total`` records and the true duplicate pairs (by position)."""
    rng = random.Random(seed)
    rows = load_screening()
    n_dups = int(total * dup_share)
    base: list[ParsedRecord] = []
    for i in range(total - n_dups):
        row = rows[i % len(rows)]
        family, initial = invented_author(rng)
        base.append(
            ParsedRecord(
                title=row["title"],
                abstract=row["abstract"],
                authors=[f"{family}, {initial}"],
                year=rng.randint(1985, 2024),
                doi=(row["doi"] or None) if i < len(rows) else None,
            )
        )
    dups: list[tuple[int, ParsedRecord]] = []
    for original in rng.sample(range(len(base)), n_dups):
        src = base[original]
        family, initial = src.authors[0].split(", ")
        dups.append(
            (
                original,
                ParsedRecord(
                    title=variant_title(src.title, rng),
                    abstract=src.abstract,
                    authors=[f"{family} {initial}"],
                    year=(src.year or 0) + (1 if rng.random() < 0.2 else 0),
                    doi=None if rng.random() < 0.4 else src.doi,
                ),
            )
        )
    records = base + [d for _, d in dups]
    truth = {frozenset({str(o), str(len(base) + k)}) for k, (o, _) in enumerate(dups)}
    return to_ris(records).encode(), truth


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="10,000 records instead of 100,000")
    parser.add_argument(
        "--no-db", action="store_true", help="skip the database import (Django) measurement"
    )
    args = parser.parse_args()
    total = 10_000 if args.quick else 100_000
    data, truth = build(total, 0.05)
    text = data.decode()
    print(
        f"records: {total:,} ({len(data) / 1e6:.1f} MB of RIS, {len(truth):,} true duplicate pairs)"
    )

    start = time.perf_counter()
    baseline = rispy.loads(text)
    t_base = time.perf_counter() - start

    start = time.perf_counter()
    progress: list[int] = []
    records = parse_file(data, filename="bench.ris", on_progress=lambda d, t: progress.append(d))
    t_parse = time.perf_counter() - start
    assert len(records) == len(baseline) == total and progress[-1] == total

    start = time.perf_counter()
    pairs = find_duplicates([from_parsed(str(i), r) for i, r in enumerate(records)])
    t_dedup = time.perf_counter() - start

    ratio = t_parse / t_base
    print(
        f"parse_file vs rispy.loads: ours={t_parse:.2f}s baseline={t_base:.2f}s "
        f"ratio={ratio:.2f} (no ratio target: ours also decodes, validates, tracks lines "
        "and normalises; the target is the absolute time below)"
    )
    print(f"find_duplicates: {t_dedup:.2f}s for {total:,} records, {len(pairs):,} pairs")
    both = t_parse + t_dedup
    print(f"parse+dedup total: {both:.2f}s (target < 60 s) {'OK' if both < 60 else 'TOO SLOW'}")
    p, r, tp, fp, fn = precision_recall(pairs, truth)
    print(f"bench set dedup: precision={p:.3f} recall={r:.3f} (tp={tp} fp={fp} fn={fn})")
    certain = [x for x in pairs if x.certain]
    cp, cr, *_ = precision_recall(certain, truth)
    print(f"bench set, certain only: precision={cp:.3f} recall={cr:.3f}")

    fixture = build_fixture()
    fpairs = find_duplicates(fixture.records)
    p, r, tp, fp, fn = precision_recall(fpairs, fixture.true_pairs)
    print(
        f"labelled fixture ({len(fixture.records):,} records from RIS+PubMed+CSV exports, "
        f"{len(fixture.true_pairs)} true pairs, {fixture.similar_non_duplicates} similar-title "
        f"real non-duplicate pairs): precision={p:.3f} recall={r:.3f} (tp={tp} fp={fp} fn={fn})"
    )
    cp, cr, *_ = precision_recall([x for x in fpairs if x.certain], fixture.true_pairs)
    print(f"labelled fixture, certain only: precision={cp:.3f} recall={cr:.3f}")
    print("note: duplicates in both sets are derived variants of real records, not real exports")
    if not args.no_db:
        db_import_lines(data)


# --- database import (the Django layer): parse + dedup + store, in one transaction --------


def _db_run(url: str, path: str) -> None:
    """In a fresh process: migrate a throwaway database, import the file into a review with
    the project's import service, and compare with a plain ORM bulk_create of the same
    parsed records (no duplicate detection) as the baseline."""
    import os

    os.environ["DJANGO_SETTINGS_MODULE"] = "facit.settings"
    os.environ["FACIT_TESTING"] = "1"
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    from facit.accounts.models import User
    from facit.literature import services
    from facit.literature.imports.services import batch_create, references_import
    from facit.literature.models import ImportBatch, Reference, Review

    Review.objects.filter(slug__startswith="bench").delete()
    user, _ = User.objects.get_or_create(username="bench")
    data = Path(path).read_bytes()
    review = services.review_create(title="bench", slug="bench-ours", question="-", actor=user)
    start = time.perf_counter()
    batch = batch_create(review=review, data=b"", filename="bench.ris")
    summary = references_import(batch=batch, data=data)
    t_ours = time.perf_counter() - start
    assert (
        not summary.errors and summary.imported == Reference.objects.filter(review=review).count()
    )

    other = services.review_create(title="bench", slug="bench-base", question="-", actor=user)
    start = time.perf_counter()
    records = parse_file(data, filename="bench.ris")
    base_batch = ImportBatch.objects.create(review=other, filename="bench.ris")
    with transaction.atomic():
        Reference.objects.bulk_create(
            (
                Reference(
                    review=other,
                    batch=base_batch,
                    title=r.title,
                    abstract=r.abstract,
                    authors=r.authors,
                    year=r.year,
                    journal=r.journal,
                    doi=r.doi or "",
                    pmid=r.pmid or "",
                    keywords=r.keywords,
                    source_line=r.source_line,
                    raw=r.raw,
                )
                for r in records
            ),
            batch_size=2000,
        )
    t_base = time.perf_counter() - start
    vendor = "postgresql" if url.startswith("postgres") else "sqlite"
    print(
        f"db import {vendor} ({summary.imported:,} records, {summary.duplicates:,} merged, "
        f"{summary.candidates:,} candidate pairs): ours={t_ours:.1f}s baseline={t_base:.1f}s "
        f"ratio={t_ours / t_base:.2f} (baseline: parse + ORM bulk_create without duplicate "
        f"detection; target: ours < 60 s) {'OK' if t_ours < 60 else 'TOO SLOW'}",
        flush=True,
    )
    Review.objects.filter(slug__startswith="bench").delete()


def db_import_lines(data: bytes) -> None:
    import os
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.ris"
        path.write_bytes(data)
        urls = [f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"]
        if os.environ.get("FACIT_BENCH_POSTGRES_URL"):
            urls.append(os.environ["FACIT_BENCH_POSTGRES_URL"])
        for url in urls:
            subprocess.run(
                [sys.executable, __file__, "--db-run", url, "--file", str(path)],
                check=False,
                cwd=ROOT,
            )


if __name__ == "__main__":
    if "--db-run" in sys.argv:
        _db_run(sys.argv[sys.argv.index("--db-run") + 1], sys.argv[sys.argv.index("--file") + 1])
    else:
        main()
