"""Importing reference files into a review, all or nothing, then removing duplicates.

Parsing happens before anything is written: a broken file raises ImportFormatError naming
the line, record and reason, and no reference is stored. Storing and de-duplicating run in
one transaction, so a failure there also leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count

from facit.core.audit import audit_record
from facit.literature import dedup
from facit.literature.formats import ImportFormatError, ParsedRecord, parse_file
from facit.literature.models import DuplicateCandidate, ImportBatch, Reference, Review

BATCH_SIZE = 2000
Progress = Callable[[int, int, str], None]


@dataclass
class ImportSummary:
    imported: int = 0
    duplicates: int = 0
    candidates: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    batch_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "candidates": self.candidates,
            "errors": self.errors,
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
    actor: Any = None,
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


def references_import(*, batch: ImportBatch, progress: Progress | None = None) -> ImportSummary:
    """Parse the batch's file and store its references; on any format error store nothing
    and record where and why on the batch."""
    report = progress or _no_progress
    summary = ImportSummary(batch_id=batch.pk)
    data = bytes(batch.data)
    try:
        records = parse_file(
            data,
            fmt=batch.fmt or None,
            filename=batch.filename,
            on_progress=lambda done, total: report(done, total * 2, "reading"),
        )
        if not records:
            raise ImportFormatError(line=0, record=0, reason="the file contains no records")
        with transaction.atomic():
            _store_and_dedup(batch, records, summary, report)
    except ImportFormatError as exc:
        summary.errors = [{**exc.as_dict(), "message": str(exc)}]
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.FAILED, error=summary.errors[0], data=b""
        )
        batch.status, batch.error = ImportBatch.Status.FAILED, summary.errors[0]
        return summary
    audit_record(
        actor=batch.created_by,
        action="literature.import",
        target=batch,
        detail={"imported": summary.imported, "duplicates": summary.duplicates},
    )
    return summary


def _store_and_dedup(
    batch: ImportBatch, records: Sequence[ParsedRecord], summary: ImportSummary, report: Progress
) -> None:
    total = len(records)
    new_ids: list[int] = []
    for start in range(0, total, BATCH_SIZE):
        chunk = [_reference(batch, r) for r in records[start : start + BATCH_SIZE]]
        created = Reference.objects.bulk_create(chunk, batch_size=BATCH_SIZE)
        new_ids.extend(ref.pk for ref in created)
        report(total + start + len(chunk), total * 2, "storing")
    summary.imported = total
    merged, candidates = deduplicate(review=batch.review, new_ids=new_ids)
    summary.duplicates, summary.candidates = merged, candidates
    fmt = batch.fmt or (records[0].source_format if records else "")
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.DONE,
        imported=total,
        duplicates=merged,
        candidates=candidates,
        fmt=fmt,
        data=b"",
        error={},
    )
    batch.status, batch.imported, batch.fmt = ImportBatch.Status.DONE, total, fmt


def _reference(batch: ImportBatch, r: ParsedRecord) -> Reference:
    return Reference(
        review_id=batch.review_id,
        batch=batch,
        title=r.title,
        abstract=r.abstract,
        authors=list(r.authors),
        year=r.year if r.year and 0 < r.year < 32767 else None,
        journal=r.journal[:500],
        doi=(r.doi or "")[:300],
        pmid=(r.pmid or "")[:20],
        keywords=list(r.keywords),
        source_line=r.source_line,
        raw=r.raw,
    )


# Duplicates -------------------------------------------------------------------------------

_FIELDS = ("id", "title", "year", "authors", "doi", "pmid")


def _dedup_record(row: dict[str, Any]) -> dedup.DedupRecord:
    authors = row["authors"] or []
    return dedup.DedupRecord(
        id=row["id"],
        title=row["title"],
        year=row["year"],
        first_author=authors[0] if authors else "",
        doi=row["doi"] or None,
        pmid=row["pmid"] or None,
    )


def deduplicate(*, review: Review, new_ids: Sequence[int]) -> tuple[int, int]:
    """Merge certain duplicates among and against the new references; list the uncertain
    pairs for a person. Returns (merged, candidate pairs)."""
    if not new_ids:
        return 0, 0
    fresh = set(new_ids)
    rows = review.references.unique().values(*_FIELDS).order_by("id")
    records = [_dedup_record(row) for row in rows]
    pairs = [p for p in dedup.find_duplicates(records) if p.a in fresh or p.b in fresh]
    merged = 0
    absorbed: set[int] = set()
    for group in dedup.clusters(p for p in pairs if p.certain):
        ids = sorted(int(i) for i in group)
        merged += _merge(ids[0], ids[1:])
        absorbed.update(ids[1:])
    candidates = [
        DuplicateCandidate(
            review=review,
            first_id=min(p.a, p.b),
            second_id=max(p.a, p.b),
            score=p.score,
            reason=p.reason,
        )
        for p in pairs
        if not p.certain and p.a not in absorbed and p.b not in absorbed
    ]
    DuplicateCandidate.objects.bulk_create(candidates, ignore_conflicts=True)
    return merged, len(candidates)


_MERGE_FIELDS = ("title", "abstract", "journal", "doi", "pmid", "year", "authors", "keywords")


def _merge(primary_id: int, other_ids: Sequence[int]) -> int:
    """Fill the primary reference from its duplicates; keep every duplicate's own row (with
    its raw source data) pointing at the primary."""
    refs = {r.pk: r for r in Reference.objects.filter(pk__in=[primary_id, *other_ids])}
    primary = refs[primary_id]
    rows = [{f: getattr(refs[i], f) for f in _MERGE_FIELDS} for i in [primary_id, *other_ids]]
    merged = dedup.merge_records(rows)
    for name in _MERGE_FIELDS:
        value = merged.get(name)
        setattr(primary, name, value if value is not None else ("" if name != "year" else None))
    conflicts = dict(primary.merge_conflicts)
    for key, values in merged.get("conflicts", {}).items():
        conflicts[key] = list(dict.fromkeys([*conflicts.get(key, []), *values]))
    primary.merge_conflicts = conflicts
    primary.save(update_fields=[*_MERGE_FIELDS, "merge_conflicts"])
    others = [refs[i] for i in other_ids]
    for ref in others:
        ref.duplicate_of = primary
    Reference.objects.bulk_update(others, ["duplicate_of"])
    Reference.objects.filter(duplicate_of_id__in=other_ids).update(duplicate_of=primary)
    return len(others)


@transaction.atomic
def candidate_merge(*, candidate: DuplicateCandidate, actor: Any) -> DuplicateCandidate:
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
def candidate_split(*, candidate: DuplicateCandidate, actor: Any) -> DuplicateCandidate:
    return _candidate_close(candidate, DuplicateCandidate.Status.SPLIT, actor)


def _candidate_close(candidate: DuplicateCandidate, status: str, actor: Any) -> DuplicateCandidate:
    candidate.status, candidate.decided_by = status, actor
    candidate.save(update_fields=["status", "decided_by", "updated_at"])
    audit_record(actor=actor, action=f"literature.duplicate.{status}", target=candidate.first)
    return candidate
