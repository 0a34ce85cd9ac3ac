"""Small factories for tests: invented objects, clearly not real-world facts."""

from __future__ import annotations

import itertools
from typing import Any

from facit.evidence import vocabularies as vocab
from facit.evidence.models import Evaluation, Extraction, Intervention, Outcome, Term
from facit.evidence.seed import vocabularies_load

_counter = itertools.count(1)


def term(vocabulary: str, code: str) -> Term:
    if not Term.objects.exists():
        vocabularies_load()
    return Term.objects.get(vocabulary=vocabulary, code=code)


def intervention(
    *,
    focus: tuple[str, ...] = ("prevent-victimisation",),
    targets: tuple[str, ...] = ("children",),
    **fields: Any,
) -> Intervention:
    n = next(_counter)
    fields.setdefault("slug", f"test-intervention-{n}")
    fields.setdefault("name", f"Test intervention {n} (invented)")
    obj = Intervention.objects.create(**fields)
    obj.focus.set([term(vocab.FOCUS, c) for c in focus])
    obj.target_groups.set([term(vocab.TARGET_GROUP, c) for c in targets])
    return obj


def evaluation(intervention: Intervention, *, design: str = "rct", **fields: Any) -> Evaluation:
    n = next(_counter)
    fields.setdefault("title", f"Invented evaluation {n}")
    return Evaluation.objects.create(
        intervention=intervention, design=term(vocab.DESIGN, design), **fields
    )


def outcome(
    evaluation: Evaluation, *, direction: str = "favourable", months: int | None = 12, **fields: Any
) -> Outcome:
    fields.setdefault("measure", "invented measure")
    return Outcome.objects.create(
        evaluation=evaluation, direction=direction, timepoint_months=months, **fields
    )


def provisional_reading(evaluation: Evaluation, **fields: Any) -> Extraction:
    """An invented provisional reading of a trial, as `manage.py seed` loads one."""
    values: dict[str, Any] = {
        "role": "provisional",
        "provenance": "provisional: one extractor, from the stated result",
        "design_class": "rct",
        "controlled": True,
        "direction": "favourable",
        "sustained_months": 3,
        "evidence_quote": "invented quote",
        "confidence": "high",
        "outcome_domain": "knowledge",
        "measure": "invented knowledge measure",
    }
    return Extraction.objects.create(evaluation=evaluation, **{**values, **fields})
