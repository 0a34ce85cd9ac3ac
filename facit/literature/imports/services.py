"""Importing reference files into a review, all or nothing, then removing duplicates.

Parsing happens before anything is written: a broken file raises ImportFormatError naming
the line, record and reason, and no reference is stored. Storing and de-duplicating run in
one transaction, so a failure there also leaves nothing behind.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from facit.accounts.models import User
from facit.core.audit import audit_record
from facit.core.models import Job
from facit.literature.imports import dedup
from facit.literature.imports.formats import (
    ImportFormatError,
    ParsedFile,
    ParsedRecord,
    parse_file,
)
from facit.literature.models import DuplicateCandidate, ImportBatch, Reference, Review

BATCH_SIZE = 2000
MAX_WARNINGS = 200  # listed in the summary; the count covers all
logger = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]


@dataclass
class ImportSummary:
    imported: int = 0
    duplicates: int = 0
    candidates: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    warning_count: int = 0
    batch_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "candidates": self.candidates,
            "errors": self.errors,
            "warnings": self.warnings,
            "warning_count": self.warning_count,
            "batch": self.batch_id,
        }


def _no_progress(done: int, total: int, message: str) -> None:
    return None


def batch_create(
    *,
    review: Review,
    data: bytes,
    filename: str = "",
    fmt: str = "",
    actor: User | None = None,
    search: Any = None,
    source: str = "",
) -> ImportBatch:
    return ImportBatch.objects.create(
        review=review,
        data=data,
        filename=filename[:300],
        fmt=fmt,
        search=search,
        source=source,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def batch_job_attach(*, batch: ImportBatch, job: Job) -> None:
    """The background job that imports the batch, so its page can show the progress."""
    ImportBatch.objects.filter(pk=batch.pk).update(job=job)
    batch.job = job


def references_import(
    *, batch: ImportBatch, data: bytes | None = None, progress: Progress | None = None
) -> ImportSummary:
    """Parse the batch's file and store its references; on any format error store nothing
    and record where and why on the batch."""
    report = progress or _no_progress
    summary = ImportSummary(batch_id=batch.pk)
    data = bytes(batch.data) if data is None else data
    _set_status(batch, ImportBatch.Status.READING)
    try:
        records = parse_file(
            data,
            fmt=batch.fmt or None,
            filename=batch.filename,
            on_progress=lambda done, total: report(done, total, "reading"),
        )
        if not records:
            raise ImportFormatError(
                line=0, record=0, reason=gettext_noop("the file contains no records")
            )
        del data
        _set_status(batch, ImportBatch.Status.STORING)
        with transaction.atomic():
            _store_and_dedup(batch, records, summary, report)
    except ImportFormatError as exc:
        return _fail(batch, summary, {**exc.as_dict(), "message": str(exc)})
    except Exception as exc:  # MemoryError, a database error...: the batch must not stay queued
        logger.exception("import of batch %s failed", batch.pk)
        reason = gettext_noop("the import failed unexpectedly (%(detail)s); nothing was imported")
        params = {"detail": type(exc).__name__}
        error = {"line": 0, "record": 0, "column": None, "reason": reason, "params": params}
        return _fail(batch, summary, {**error, "message": reason % params})
    audit_record(
        actor=batch.created_by,
        action="literature.import",
        target=batch,
        detail={"imported": summary.imported, "duplicates": summary.duplicates},
    )
    return summary


def gettext_noop(message: str) -> str:
    return message


_UNFINISHED = (
    ImportBatch.Status.QUEUED,
    ImportBatch.Status.READING,
    ImportBatch.Status.STORING,
)


def batch_reconcile(batch: ImportBatch) -> ImportBatch:
    """A batch whose job failed outside the import's own error handling (its worker was
    killed or ran out of memory, or the job could not be queued) says failed too.

    Run on read by the import pages: the job row is failed by the worker's exception
    handler or by the queue (`facit.core`), which cannot reach this app. The import's
    storing is one transaction, so a dead worker left nothing stored."""
    from facit.core.models import Job

    job = batch.job
    if batch.status not in _UNFINISHED or job is None or job.status != Job.Status.FAILED:
        return batch
    error: dict[str, Any] = {
        "line": 0,
        "record": 0,
        "column": None,
        "reason": gettext_noop(
            "the background work stopped before the import finished; nothing was imported. "
            "Please import the file again"
        ),
        "params": {},
        "message": (job.error or "")[:500],
    }
    updated = ImportBatch.objects.filter(pk=batch.pk, status__in=_UNFINISHED).update(
        status=ImportBatch.Status.FAILED, error=error, data=b""
    )
    if updated:
        logger.warning("import batch %s failed with its job %s", batch.pk, job.pk)
        batch.status, batch.error = ImportBatch.Status.FAILED, error
    else:
        batch.refresh_from_db(fields=["status", "error"])
    return batch


def _set_status(batch: ImportBatch, status: str) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(status=status)
    batch.status = status


def _fail(batch: ImportBatch, summary: ImportSummary, error: dict[str, Any]) -> ImportSummary:
    """The batch says failed and why, and its file is freed (nothing was stored)."""
    summary.errors = [error]
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.FAILED, error=error, data=b""
    )
    batch.status, batch.error = ImportBatch.Status.FAILED, error
    return summary


def _warnings(records: ParsedFile) -> tuple[list[dict[str, Any]], int]:
    """Each flagged record's warnings, each empty record left out and each note on the
    file, in file order."""
    found: list[dict[str, Any]] = [
        {"line": r.source_line, "record": r.number or number, "reason": reason}
        for number, r in enumerate(records, start=1)
        for reason in r.warnings
    ]
    found += [{"line": s.line, "record": s.number, "reason": s.reason} for s in records.skipped]
    found += [
        {"line": n.line, "record": n.number, "reason": n.reason, "params": n.params}
        for n in records.notes
    ]
    found.sort(key=lambda w: w["record"])
    return found[:MAX_WARNINGS], len(found)


def _store_and_dedup(
    batch: ImportBatch, records: ParsedFile, summary: ImportSummary, report: Progress
) -> None:
    total = len(records)
    plan = _plan_duplicates(batch.review, records)
    rows = list(records)
    for index, merged in plan.new_primaries.items():
        rows[index] = merged
    new_ids = _insert(batch, rows, report)
    _apply_plan(batch.review, plan, new_ids)
    summary.imported = total
    summary.duplicates, summary.candidates = plan.merged_count, len(plan.candidates)
    summary.warnings, summary.warning_count = _warnings(records)
    fmt = batch.fmt or (records[0].source_format if records else "")
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.DONE,
        imported=total,
        duplicates=summary.duplicates,
        candidates=summary.candidates,
        fmt=fmt,
        data=b"",
        error={},
        warnings=summary.warnings,
        warning_count=summary.warning_count,
    )
    batch.status, batch.imported, batch.fmt = ImportBatch.Status.DONE, total, fmt


# Storing ----------------------------------------------------------------------------------

_COLUMNS = (
    "review_id",
    "batch_id",
    "title",
    "abstract",
    "authors",
    "year",
    "journal",
    "doi",
    "pmid",
    "keywords",
    "source_line",
    "raw",
    "merge_conflicts",
    "ta_outcome",
    "ft_outcome",
    "created_at",
    "updated_at",
)
_JSON = {"authors", "keywords", "raw", "merge_conflicts"}


def _insert(batch: ImportBatch, rows: Sequence[ParsedRecord], report: Progress) -> list[int]:
    """Insert with one prepared statement per chunk (executemany): the ORM's per-field work
    would dominate an import of 100,000 records. Returns the new ids in file order."""
    meta = Reference._meta
    fields = {f.attname: f for f in meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(str(fields[c].column)) for c in _COLUMNS)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(str(meta.db_table))} ({columns}) "  # noqa: S608 (names from model metadata)
        f"VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
    )
    now = timezone.now()
    total = len(rows)
    postgres = connection.vendor == "postgresql"
    prep = {name: fields[name] for name in _JSON}

    def as_json(name: str, value: Any) -> Any:
        # COPY takes JSON as text; executemany takes what the backend's field adapter makes.
        return json.dumps(value) if postgres else prep[name].get_db_prep_save(value, connection)

    with connection.cursor() as cursor:
        for start in range(0, total, BATCH_SIZE):
            params = [_row(batch, r, now, as_json) for r in rows[start : start + BATCH_SIZE]]
            if postgres:
                _copy(cursor, meta.db_table, columns, params)
            else:
                cursor.executemany(sql, params)
            report(start + len(params), total, "storing")
    ids = list(Reference.objects.filter(batch=batch).order_by("id").values_list("id", flat=True))
    if len(ids) != total:
        raise RuntimeError("stored references do not match the file")  # never expected
    return ids


def _row(
    batch: ImportBatch, r: ParsedRecord, now: Any, as_json: Callable[[str, Any], Any]
) -> tuple[Any, ...]:
    raw = r.raw or {}
    return (
        batch.review_id,
        batch.pk,
        r.title,
        r.abstract,
        as_json("authors", list(r.authors)),
        r.year if r.year and 0 < r.year < 32767 else None,
        r.journal[:500],
        (r.doi or "")[:300],
        (r.pmid or "")[:20],
        as_json("keywords", list(r.keywords)),
        r.source_line,
        as_json("raw", _raw(raw, r.warnings)),
        as_json("merge_conflicts", raw.get("_merge_conflicts", {})),
        "",
        "",
        now,
        now,
    )


def _raw(raw: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    kept = {k: v for k, v in raw.items() if k != "_merge_conflicts"}
    if warnings:  # the reviewer sees why the record is flagged
        kept["_import_warnings"] = list(warnings)
    return kept


def _copy(cursor: Any, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    """PostgreSQL's COPY: the fastest way in, several times faster than INSERT batches."""
    raw_cursor = cursor.cursor  # psycopg 3 cursor under Django's wrapper
    statement = f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN"
    with raw_cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


# Duplicates -------------------------------------------------------------------------------

_FIELDS = ("id", "title", "year", "authors", "doi", "pmid")
_MERGE_FIELDS = ("title", "abstract", "journal", "doi", "pmid", "year", "authors", "keywords")
NewKey = tuple[str, int]  # ("new", index in the file)


def _dedup_record(key: Hashable, row: dict[str, Any]) -> dedup.DedupRecord:
    authors = row["authors"] or []
    return dedup.DedupRecord(
        id=key,
        title=row["title"],
        year=row["year"],
        first_author=authors[0] if authors else "",
        doi=row["doi"] or None,
        pmid=row["pmid"] or None,
    )


@dataclass
class _Plan:
    """What to do with the new records before and after they are stored."""

    new_primaries: dict[int, ParsedRecord] = field(default_factory=dict)
    # (duplicate, primary): each is ("new", index) or ("db", pk)
    links: list[tuple[Hashable, Hashable]] = field(default_factory=list)
    existing_updates: dict[int, dict[str, Any]] = field(default_factory=dict)
    candidates: list[tuple[Hashable, Hashable, float, str]] = field(default_factory=list)

    @property
    def merged_count(self) -> int:
        return len(self.links)


def _plan_duplicates(review: Review, records: Sequence[ParsedRecord]) -> _Plan:
    """Find duplicates among the new records and against the review's references, before
    anything is stored: certain ones are merged, uncertain ones become candidate pairs."""
    existing = list(review.references.unique().values(*_FIELDS).order_by("id"))
    dedup_records = [_dedup_record(("db", row["id"]), row) for row in existing]
    dedup_records += [dedup.from_parsed(("new", i), r) for i, r in enumerate(records)]
    pairs = [
        p for p in dedup.find_duplicates(dedup_records) if "new" in (_key(p.a)[0], _key(p.b)[0])
    ]
    plan = _Plan()
    absorbed: set[Hashable] = set()
    full = _existing_rows(review, {k for p in pairs if p.certain for k in (p.a, p.b)})
    for group in dedup.clusters(p for p in pairs if p.certain):
        members = sorted(map(_key, group), key=lambda k: (k[0] != "db", k[1]))
        primary, rest = members[0], members[1:]
        rows = [_as_row(k, records, full) for k in members]
        merged = dedup.merge_records(rows)
        if primary[0] == "db":
            plan.existing_updates[primary[1]] = merged
        else:
            plan.new_primaries[primary[1]] = _merged_record(records[primary[1]], merged)
        plan.links += [(k, primary) for k in rest]
        absorbed.update(rest)
    plan.candidates = [
        (p.a, p.b, p.score, p.reason)
        for p in pairs
        if not p.certain and p.a not in absorbed and p.b not in absorbed
    ]
    return plan


def _existing_rows(review: Review, keys: set[Hashable]) -> dict[int, dict[str, Any]]:
    pks = [key[1] for key in map(_key, keys) if key[0] == "db"]
    rows = Reference.objects.filter(review=review, pk__in=pks).values("id", *_MERGE_FIELDS)
    return {row.pop("id"): row for row in rows}


def _key(key: Hashable) -> tuple[str, int]:
    """Dedup keys here are ("new", index in the file) or ("db", stored reference id)."""
    return cast(tuple[str, int], key)


def _as_row(key: Hashable, records: Sequence[ParsedRecord], full: dict[int, dict[str, Any]]) -> Any:
    kind, number = _key(key)
    return full[number] if kind == "db" else records[number]


def _merged_record(original: ParsedRecord, merged: dict[str, Any]) -> ParsedRecord:
    """The primary new record carries the merged values; its own raw source data stay."""
    raw = dict(original.raw)
    if merged.get("conflicts"):
        raw["_merge_conflicts"] = merged["conflicts"]
    return ParsedRecord(
        title=merged.get("title") or original.title,
        abstract=merged.get("abstract") or "",
        authors=list(merged.get("authors") or []),
        year=merged.get("year"),
        journal=merged.get("journal") or "",
        doi=merged.get("doi"),
        pmid=merged.get("pmid"),
        keywords=list(merged.get("keywords") or []),
        source_format=original.source_format,
        source_line=original.source_line,
        raw=raw,
    )


def _apply_plan(review: Review, plan: _Plan, new_ids: Sequence[int]) -> None:
    def pk(key: Hashable) -> int:
        kind, number = _key(key)
        return new_ids[number] if kind == "new" else number

    table = connection.ops.quote_name(str(Reference._meta.db_table))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET duplicate_of_id = %s WHERE id = %s",  # noqa: S608
            [(pk(primary), pk(dup)) for dup, primary in plan.links],
        )
    for dup, primary in plan.links:  # an absorbed stored reference hands on its duplicates
        kind, number = _key(dup)
        if kind == "db":
            Reference.objects.filter(duplicate_of_id=number).update(duplicate_of_id=pk(primary))
    for ref_pk, merged in plan.existing_updates.items():
        _merge_into_existing(ref_pk, merged)
    DuplicateCandidate.objects.bulk_create(
        [
            DuplicateCandidate(
                review=review,
                first_id=min(pk(a), pk(b)),
                second_id=max(pk(a), pk(b)),
                score=score,
                reason=reason,
            )
            for a, b, score, reason in plan.candidates
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )


def _merge_into_existing(ref_pk: int, merged: dict[str, Any]) -> None:
    primary = Reference.objects.get(pk=ref_pk)
    for name in _MERGE_FIELDS:
        value = merged.get(name)
        setattr(primary, name, value if value is not None else ("" if name != "year" else None))
    conflicts = dict(primary.merge_conflicts)
    for key, values in merged.get("conflicts", {}).items():
        conflicts[key] = list(dict.fromkeys([*conflicts.get(key, []), *values]))
    primary.merge_conflicts = conflicts
    primary.save(update_fields=[*_MERGE_FIELDS, "merge_conflicts"])


def _merge(primary_id: int, other_ids: Sequence[int]) -> int:
    """Fill the primary reference from its duplicates (a person confirmed them); every
    duplicate keeps its own row and raw source data, pointing at the primary."""
    refs = {r.pk: r for r in Reference.objects.filter(pk__in=[primary_id, *other_ids])}
    rows = [{f: getattr(refs[i], f) for f in _MERGE_FIELDS} for i in [primary_id, *other_ids]]
    _merge_into_existing(primary_id, dedup.merge_records(rows))
    Reference.objects.filter(pk__in=other_ids).update(duplicate_of_id=primary_id)
    Reference.objects.filter(duplicate_of_id__in=other_ids).update(duplicate_of_id=primary_id)
    return len(other_ids)


@transaction.atomic
def candidate_merge(*, candidate: DuplicateCandidate, actor: User) -> DuplicateCandidate:
    """A person confirmed the pair: merge into whichever already carries screening work."""
    counts = dict(
        Reference.objects.filter(pk__in=[candidate.first_id, candidate.second_id])
        .annotate(n=Count("decisions"))
        .values_list("pk", "n")
    )
    first, second = candidate.first_id, candidate.second_id
    if counts.get(second, 0) > counts.get(first, 0):
        first, second = second, first
    _merge(first, [second])
    return _candidate_close(candidate, DuplicateCandidate.Status.MERGED, actor)


@transaction.atomic
def candidate_split(*, candidate: DuplicateCandidate, actor: User) -> DuplicateCandidate:
    return _candidate_close(candidate, DuplicateCandidate.Status.SPLIT, actor)


def _candidate_close(candidate: DuplicateCandidate, status: str, actor: User) -> DuplicateCandidate:
    candidate.status, candidate.decided_by = status, actor
    candidate.save(update_fields=["status", "decided_by", "updated_at"])
    audit_record(actor=actor, action=f"literature.duplicate.{status}", target=candidate.first)
    return candidate
