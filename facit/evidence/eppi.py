"""Export to the JSON that EPPI-Mapper reads (the EPPI-Reviewer coding export).

Shape: {"CodeSets": [code set with nested "Attributes": {"AttributesList": [...]}],
"References": [one per evaluation, with "Codes": [{"AttributeId": ...}]]}. Each evaluation is
coded with its intervention's focus, target groups, settings and countries, its own design,
the intervention's computed evidence level and the intervention itself, so the map can be
segmented by any of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from facit.evidence import vocabularies as vocab
from facit.evidence.levels_text import level_label
from facit.evidence.models import Evaluation, Intervention, Term

_SETS = [
    (1, vocab.FOCUS, "Focus"),
    (2, vocab.TARGET_GROUP, "Target group"),
    (3, vocab.SETTING, "Setting"),
    (4, vocab.COUNTRY, "Country"),
    (5, vocab.DESIGN, "Study design"),
]
LEVEL_SET, INTERVENTION_SET = 6, 7
_LEVEL_BASE, _INTERVENTION_BASE, _TERM_BASE = 600000, 700000, 100000
# A provisional level (one extractor, unconfirmed) is its own code, never merged with a
# confirmed one.
_PROVISIONAL_LEVEL_BASE = 610000


def _attribute(set_id: int, attribute_id: int, name: str, description: str = "") -> dict[str, Any]:
    return {
        "AttributeSetId": attribute_id,
        "AttributeId": attribute_id,
        "AttributeName": name,
        "AttributeDescription": description,
        "AttributeType": "Selectable (show checkbox)",
        "AttributeTypeId": 2,
        "SetId": set_id,
        "Attributes": {"AttributesList": []},
    }


def _code_set(set_id: int, name: str, attributes: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "ReviewSetId": set_id,
        "SetId": set_id,
        "SetName": name,
        "SetType": {"SetTypeName": "Standard"},
        "Attributes": {"AttributesList": attributes},
    }


def _term_id(term: Term) -> int:
    return _TERM_BASE + term.pk


def eppi_mapper_json(interventions: Iterable[Intervention]) -> dict[str, Any]:
    chosen = list(interventions)
    terms = list(Term.objects.all())
    code_sets = [
        _code_set(
            set_id,
            name,
            [_attribute(set_id, _term_id(t), t.label) for t in terms if t.vocabulary == vocabulary],
        )
        for set_id, vocabulary, name in _SETS
    ]
    code_sets.append(
        _code_set(
            LEVEL_SET,
            "Evidence level",
            [
                _attribute(LEVEL_SET, _LEVEL_BASE + code, f"{code} {level_label(code)}")
                for code in range(1, 8)
            ]
            + [
                _attribute(
                    LEVEL_SET,
                    _PROVISIONAL_LEVEL_BASE + code,
                    f"{code} {level_label(code)} ({_('provisional')})",
                    _("provisional: one extractor, from the stated result"),
                )
                for code in range(1, 8)
            ],
        )
    )
    code_sets.append(
        _code_set(
            INTERVENTION_SET,
            "Intervention",
            [_attribute(INTERVENTION_SET, _INTERVENTION_BASE + i.pk, i.name) for i in chosen],
        )
    )
    evaluations = (
        Evaluation.objects.published()
        .filter(intervention__in=chosen)
        .select_related("design", "intervention")
    )
    return {"CodeSets": code_sets, "References": [_reference(e) for e in evaluations]}


def _reference(evaluation: Evaluation) -> dict[str, Any]:
    intervention = evaluation.intervention
    ids = [
        _term_id(t)
        for field in ("focus", "target_groups", "settings", "countries")
        for t in getattr(intervention, field).all()
    ]
    ids += [
        _term_id(evaluation.design),
        (_PROVISIONAL_LEVEL_BASE if intervention.level_provisional else _LEVEL_BASE)
        + intervention.evidence_level,
        _INTERVENTION_BASE + intervention.pk,
    ]
    return {
        "ItemId": evaluation.pk,
        "Title": evaluation.title,
        "ShortTitle": f"{(evaluation.authors.split(',')[0] or evaluation.journal)[:40]} ({evaluation.year})",
        "Authors": evaluation.authors,
        "Year": evaluation.year,
        "ParentTitle": evaluation.journal,
        "DOI": evaluation.doi,
        "Abstract": evaluation.main_outcome,
        "URL": evaluation.sources[0] if evaluation.sources else "",
        "Codes": [
            {"AttributeId": i, "AdditionalText": "", "ItemAttributeFullTextDetails": []}
            for i in ids
        ],
        "Outcomes": [],
    }
