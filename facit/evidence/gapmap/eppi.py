"""Export to the JSON that EPPI-Mapper reads: EPPI-Reviewer's own coding report.

The shape follows EPPI-Reviewer's code, which writes this JSON (``JsonReport`` and the
``*4ER4Json`` classes in ``ERCentralAPI/ER-Web-Client/src/app/services/ItemCoding.service.ts``)
and reads it back (``Rootobject`` in ``ERCentralAPI/ER-Web/Models/ImportJsonCommand.cs``),
EPPI-Centre/ER4 at commit 0eb4601c9a018bc3376a81fb0e3fdc4ab024d384:

* ``CodeSets``: one per dimension (``SetType`` "Standard"), each with one non-selectable parent
  code (``AttributeTypeId`` 1) whose selectable children (``AttributeTypeId`` 2) are the values.
* ``References``: one per published evaluation, coded with its intervention, the
  intervention's focus, target groups, prevention level, settings and countries, its own
  design, its own consensus risk of bias and the outcome domains of its outcomes
  (``ArmId`` 0: no arms); its ``Outcomes`` carry the effect size and point at their
  outcome-domain code and the intervention code.

Id spaces: set ``k`` owns the attribute ids ``k * 100_000_000 .. k * 100_000_000 + 99_999_999``
(the parent is ``k * 100_000_000``), so ids of two sets can never collide, and every id stays
below 2**31 because EPPI-Reviewer reads outcome attribute ids as 32-bit ``int``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from facit.evidence import vocabularies as vocab
from facit.evidence.citations import author_names
from facit.evidence.labels import outcome_domain_label
from facit.evidence.levels_text import level_label
from facit.evidence.models import Appraisal, Evaluation, Intervention, RiskOfBias, Term

SET_SPAN = 100_000_000

INTERVENTION_SET = 1
OUTCOME_DOMAIN_SET = 2
TARGET_GROUP_SET = 3
FOCUS_SET = 4
PREVENTION_LEVEL_SET = 5
DESIGN_SET = 6
RISK_OF_BIAS_SET = 7
SETTING_SET = 8
COUNTRY_SET = 9
LEVEL_SET = 10  # the intervention's level, named as such; never a study's own rating

_TERM_SETS = {
    vocab.TARGET_GROUP: (TARGET_GROUP_SET, "Target group"),
    vocab.FOCUS: (FOCUS_SET, "Focus"),
    vocab.PREVENTION_LEVEL: (PREVENTION_LEVEL_SET, "Prevention level"),
    vocab.DESIGN: (DESIGN_SET, "Study design"),
    vocab.SETTING: (SETTING_SET, "Setting"),
    vocab.COUNTRY: (COUNTRY_SET, "Country"),
}
_ROB_CODES = [RiskOfBias.LOW, RiskOfBias.MODERATE, RiskOfBias.HIGH, "not-appraised"]
# A provisional level (one extractor, unconfirmed) is its own code, never merged with a
# confirmed one.
_PROVISIONAL_OFFSET = 100


def attribute_id(set_id: int, local: int) -> int:
    """The code id of value ``local`` (>= 1) in set ``set_id``; 0 is the set's parent code."""
    if not 0 <= local < SET_SPAN:
        raise ValueError(f"code {local} does not fit set {set_id}")
    return set_id * SET_SPAN + local


def level_attribute_id(level: int, *, provisional: bool) -> int:
    return attribute_id(LEVEL_SET, level + (_PROVISIONAL_OFFSET if provisional else 0))


def outcome_domain_attribute_id(code: str) -> int:
    codes = [e.code for e in vocab.OUTCOME_DOMAINS]
    index = codes.index(code) if code in codes else codes.index(vocab.UNCLASSIFIED)
    return attribute_id(OUTCOME_DOMAIN_SET, index + 1)


def _rob_attribute_id(overall: str) -> int:
    return attribute_id(RISK_OF_BIAS_SET, _ROB_CODES.index(overall) + 1)


def _rob_label(code: str) -> str:
    return _("not appraised") if code == "not-appraised" else str(RiskOfBias(code).label)


def _code(
    set_id: int, local: int, name: str, *, selectable: bool = True, description: str = ""
) -> dict[str, Any]:
    aid = attribute_id(set_id, local)
    return {
        "AttributeSetId": aid,
        "AttributeId": aid,
        "AttributeSetDescription": "",
        "AttributeType": "Selectable (show checkbox)"
        if selectable
        else "Not selectable (no checkbox)",
        "AttributeTypeId": 2 if selectable else 1,
        "AttributeName": name,
        "AttributeDescription": description,
        "ExtURL": "",
        "ExtType": "",
        "OriginalAttributeID": 0,
        "OldestKnownId": 0,
        "Attributes": {"AttributesList": []},
    }


def _code_set(
    set_id: int, name: str, children: list[dict[str, Any]], description: str = ""
) -> dict[str, Any]:
    parent = _code(set_id, 0, name, selectable=False)
    parent["Attributes"]["AttributesList"] = children
    return {
        "SetName": name,
        "ReviewSetId": set_id,
        "SetId": set_id,
        "SetType": {"SetTypeName": "Standard", "SetTypeId": 3, "SetTypeDescription": ""},
        "SetDescription": description,
        "Attributes": {"AttributesList": [parent]},
        "OldestKnownId": 0,
        "OriginalSetId": 0,
    }


def eppi_mapper_json(interventions: Iterable[Intervention]) -> dict[str, Any]:
    chosen = list(interventions)
    terms = list(Term.objects.all())
    code_sets = [
        _code_set(
            INTERVENTION_SET,
            "Intervention",
            [_code(INTERVENTION_SET, i.pk, i.name) for i in chosen],
        ),
        _code_set(
            OUTCOME_DOMAIN_SET,
            "Outcome domain",
            [
                _code(OUTCOME_DOMAIN_SET, n, outcome_domain_label(e.code))
                for n, e in enumerate(vocab.OUTCOME_DOMAINS, start=1)
            ],
        ),
    ]
    for vocabulary, (set_id, name) in _TERM_SETS.items():
        children = [_code(set_id, t.pk, t.label) for t in terms if t.vocabulary == vocabulary]
        code_sets.append(_code_set(set_id, name, children))
        if set_id == DESIGN_SET:
            code_sets.append(
                _code_set(
                    RISK_OF_BIAS_SET,
                    "Risk of bias",
                    [
                        _code(RISK_OF_BIAS_SET, n, _rob_label(c))
                        for n, c in enumerate(_ROB_CODES, start=1)
                    ],
                    _("overall risk of bias of each study, from its consensus appraisal"),
                )
            )
    code_sets.append(
        _code_set(
            LEVEL_SET,
            "Evidence level of the intervention",
            [_code(LEVEL_SET, code, f"{code} {level_label(code)}") for code in range(1, 8)]
            + [
                _code(
                    LEVEL_SET,
                    _PROVISIONAL_OFFSET + code,
                    f"{code} {level_label(code)} ({_('provisional')})",
                    description=_("provisional: one extractor, from the stated result"),
                )
                for code in range(1, 8)
            ],
            _("the intervention's level, the same on each of its studies"),
        )
    )
    evaluations = (
        Evaluation.objects.published()
        .filter(intervention__in=chosen)
        .select_related("design", "intervention", "intervention__prevention_level")
        .prefetch_related(
            "outcomes",
            "intervention__focus",
            "intervention__target_groups",
            "intervention__settings",
            "intervention__countries",
            Prefetch(
                "appraisals",
                queryset=Appraisal.objects.filter(role=Appraisal.Role.CONSENSUS),
                to_attr="consensus_appraisals",
            ),
        )
    )
    return {"CodeSets": code_sets, "References": [_reference(e) for e in evaluations]}


def _type_name(evaluation: Evaluation) -> str:
    if evaluation.report_number:
        return "Report"
    return "Journal, Article" if evaluation.journal else "Generic"


def _reference(evaluation: Evaluation) -> dict[str, Any]:
    intervention = evaluation.intervention
    ids = [attribute_id(INTERVENTION_SET, intervention.pk)]
    for field, set_id in (
        ("focus", FOCUS_SET),
        ("target_groups", TARGET_GROUP_SET),
        ("settings", SETTING_SET),
        ("countries", COUNTRY_SET),
    ):
        ids += [attribute_id(set_id, t.pk) for t in getattr(intervention, field).all()]
    if intervention.prevention_level_id:
        ids.append(attribute_id(PREVENTION_LEVEL_SET, intervention.prevention_level_id))
    if evaluation.design_id:
        ids.append(attribute_id(DESIGN_SET, evaluation.design_id))
    consensus = getattr(evaluation, "consensus_appraisals", [])
    ids.append(_rob_attribute_id(consensus[0].overall if consensus else "not-appraised"))
    outcomes = list(evaluation.outcomes.all())
    for domain in dict.fromkeys(o.outcome_domain for o in outcomes):
        ids.append(outcome_domain_attribute_id(domain))
    ids.append(
        level_attribute_id(intervention.evidence_level, provisional=intervention.level_provisional)
    )
    authors = author_names(evaluation.authors)
    first_author = authors.split(",")[0].strip()
    return {
        "ItemId": evaluation.pk,
        "Title": evaluation.title_shown,
        "ParentTitle": evaluation.journal,
        "ShortTitle": f"{(first_author or evaluation.journal)[:40]} ({evaluation.year})",
        "Year": str(evaluation.year),
        "TypeName": _type_name(evaluation),
        "Authors": authors,
        "DOI": evaluation.doi,
        "Abstract": evaluation.main_outcome,
        "URL": evaluation.sources[0] if evaluation.sources else "",
        "Codes": [
            {
                "AttributeId": i,
                "AdditionalText": "",
                "ArmId": 0,
                "ArmTitle": "",
                "ItemAttributeFullTextDetails": [],
            }
            for i in dict.fromkeys(ids)
        ],
        "Outcomes": [_outcome(o, intervention.pk) for o in outcomes],
    }


def _outcome(outcome: Any, intervention_pk: int) -> dict[str, Any]:
    domain_id = outcome_domain_attribute_id(outcome.outcome_domain)
    se = math.sqrt(outcome.vi) if outcome.vi else 0.0
    return {
        "OutcomeId": outcome.pk,
        "OutcomeTypeId": 0,
        "OutcomeTypeName": "Manual entry",
        "ItemAttributeIdIntervention": attribute_id(INTERVENTION_SET, intervention_pk),
        "ItemAttributeIdControl": 0,
        "ItemAttributeIdOutcome": domain_id,
        "Title": outcome.measure,
        "ShortTitle": outcome.measure[:50],
        "OutcomeDescription": f"{outcome.get_direction_display()}; {outcome.get_provenance_display()}",
        "ItemTimepointId": 0,
        "ItemArmIdGrp1": 0,
        "ItemArmIdGrp2": 0,
        "ES": outcome.yi if outcome.yi is not None else 0.0,
        "SEES": se,
        "OutcomeCodes": {
            "OutcomeItemAttributesList": [
                {
                    "OutcomeItemAttributeId": 0,
                    "OutcomeId": outcome.pk,
                    "AttributeId": domain_id,
                    "AdditionalText": "",
                    "AttributeName": outcome_domain_label(outcome.outcome_domain),
                }
            ]
        },
    }
