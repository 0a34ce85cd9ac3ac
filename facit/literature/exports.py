"""RIS and CSV exports of a review's references at any stage and outcome."""

from __future__ import annotations

from collections.abc import Iterator

from facit.literature.imports.formats import ParsedRecord, to_csv, to_ris
from facit.literature.models import Outcome, Reference, Review


def _records(qs: object) -> Iterator[ParsedRecord]:
    for ref in qs.iterator(chunk_size=2000):  # type: ignore[attr-defined]
        yield ParsedRecord(
            title=ref.title,
            abstract=ref.abstract,
            authors=list(ref.authors),
            year=ref.year,
            journal=ref.journal,
            doi=ref.doi or None,
            pmid=ref.pmid or None,
            keywords=list(ref.keywords),
        )


def references_select(*, review: Review, stage: str = "", outcome: str = "all") -> object:
    """Unique references, optionally those at a stage with a given outcome ("pending" = not
    yet settled)."""
    qs = Reference.objects.filter(review=review).unique()
    if stage:
        value = Outcome.PENDING if outcome == "pending" else outcome
        qs = qs.at_stage(stage) if outcome == "all" else qs.with_outcome(stage, value)
    return qs.order_by("id")


def references_export(
    *, review: Review, fmt: str, stage: str = "", outcome: str = "all"
) -> tuple[str, str]:
    records = _records(references_select(review=review, stage=stage, outcome=outcome))
    if fmt == "ris":
        return to_ris(records), "application/x-research-info-systems; charset=utf-8"
    return to_csv(records), "text/csv; charset=utf-8"
