"""Invented reviews and references for tests (not real-world facts)."""

from __future__ import annotations

import itertools
from typing import Any

from facit.literature import services
from facit.literature.models import ImportBatch, Reference, Review

_n = itertools.count(1)


def review(*members: Any, **fields: Any) -> Review:
    """A review created by the first member, with the others added."""
    creator, *others = members
    n = next(_n)
    fields.setdefault("title", f"Invented review {n}")
    fields.setdefault("question", "Invented question?")
    fields.setdefault("inclusion_criteria", "Invented inclusion criterion")
    fields.setdefault("exclusion_criteria", "Invented exclusion criterion")
    if "allocation_set" in fields:
        fields["allocation"] = fields.pop("allocation_set")
    obj = services.review_create(actor=creator, **fields)
    obj.members.add(*others)
    return obj


def batch(review: Review, **fields: Any) -> ImportBatch:
    fields.setdefault("filename", "invented.ris")
    fields.setdefault("status", ImportBatch.Status.DONE)
    return ImportBatch.objects.create(review=review, **fields)


def reference(review: Review, *, batch_obj: ImportBatch | None = None, **fields: Any) -> Reference:
    n = next(_n)
    fields.setdefault("title", f"Invented reference {n}")
    fields.setdefault("abstract", f"Invented abstract {n}")
    fields.setdefault("authors", ["Doe, J."])
    fields.setdefault("year", 2020)
    return Reference.objects.create(review=review, batch=batch_obj or batch(review), **fields)


def decide(
    ref: Reference, user: Any, decision: str, *, stage: str = "ta", reason: Any = None
) -> Any:
    if decision == "exclude" and reason is None:
        reason = ref.review.reasons.first()
    return services.decision_record(
        reference=ref, stage=stage, reviewer=user, decision=decision, reason=reason
    )
