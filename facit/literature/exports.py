"""RIS and CSV exports of a review's references at any stage and outcome.

Each export states how the review allocated records to reviewers (PRISMA 2020 item 8): the
allocation as text and, per record, how many independent reviewers it needed (in RIS an
N1 note, in CSV two columns after the bibliographic ones)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from facit.literature.imports.formats import ParsedRecord, to_csv, to_ris
from facit.literature.models import Outcome, Reference, Review
from facit.literature.selectors import allocation_text


def _records(qs: object) -> Iterator[ParsedRecord]:
    for ref in qs.iterator(chunk_size=2000):  # type: ignore[attr-defined]
        yield ParsedRecord(
            raw={"required": ref.required},
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
    return qs.with_required(review).order_by("id")


def _screened_by(record: ParsedRecord) -> str:
    if record.raw.get("required") == 2:
        return str(_("This record: two independent reviewers."))
    return str(_("This record: one reviewer."))


def references_export(
    *, review: Review, fmt: str, stage: str = "", outcome: str = "all"
) -> tuple[str, str]:
    records = _records(references_select(review=review, stage=stage, outcome=outcome))
    allocation = allocation_text(review)
    if fmt == "ris":
        body = to_ris(records, notes=lambda r: [allocation, _screened_by(r)])
        return body, "application/x-research-info-systems; charset=utf-8"
    body = to_csv(
        records,
        extra_columns=("screening_allocation", "independent_reviewers"),
        extra=lambda r: [f"{review.allocation}: {allocation}", str(r.raw.get("required", ""))],
    )
    return body, "text/csv; charset=utf-8"
