"""The EPPI-Mapper export has the structure EPPI-Reviewer writes and reads.

The fixture ``fixtures/eppi_er4_structure.json`` lists the properties and C# types of the
classes in EPPI-Centre/ER4 (commit 0eb4601c9a018bc3376a81fb0e3fdc4ab024d384):
``ERCentralAPI/ER-Web/Models/ImportJsonCommand.cs`` (``Rootobject`` and the classes it
deserialises) and ``ERCentralAPI/ER-Web-Client/src/app/services/ItemCoding.service.ts``
(``JsonReport`` and the ``*4ER4Json`` classes that write it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from facit.evidence.gapmap import eppi
from facit.evidence.models import Appraisal, Evaluation, Intervention

STRUCTURE = json.loads((Path(__file__).parent / "fixtures" / "eppi_er4_structure.json").read_text())
INT32 = 2**31 - 1


def _check(value: Any, type_name: str, where: str) -> None:
    if type_name.endswith("[]"):
        assert isinstance(value, list), where
        for n, item in enumerate(value):
            _check(item, type_name[:-2], f"{where}[{n}]")
    elif type_name in STRUCTURE:
        assert isinstance(value, dict), where
        unknown = set(value) - set(STRUCTURE[type_name])
        assert not unknown, f"{where}: {type_name} has no {sorted(unknown)}"
        for key, item in value.items():
            _check(item, STRUCTURE[type_name][key], f"{where}.{key}")
    elif type_name == "string":
        assert isinstance(value, str), f"{where} must be a string, is {value!r}"
    elif type_name == "int":
        assert isinstance(value, int) and not isinstance(value, bool), where
        assert -INT32 - 1 <= value <= INT32, f"{where} overflows a 32-bit int"
    elif type_name == "Int64":
        assert isinstance(value, int) and not isinstance(value, bool), where
    elif type_name in ("float", "object"):
        assert isinstance(value, (int, float)), where
    elif type_name == "Itemattributefulltextdetail":
        assert value == {}, where


def _walk(attributes: list[dict[str, Any]], depth: int = 0):
    for a in attributes:
        yield a, depth
        yield from _walk(a["Attributes"]["AttributesList"], depth + 1)


@pytest.fixture
def export(db, client):
    call_command("seed")  # interventions and their provisional extracted outcomes
    evaluation = Evaluation.objects.published().filter(outcomes__isnull=False).first()
    assert evaluation is not None
    Appraisal.objects.create(
        evaluation=evaluation, role=Appraisal.Role.CONSENSUS, overall="high", domains={}
    )
    data = client.get(reverse("evidence:map_export", args=["eppi.json"])).json()
    return data, evaluation


def test_every_property_is_one_eppi_reviewer_reads_with_its_type(export):
    data, _evaluation = export
    _check(data, "Rootobject", "$")
    assert data["CodeSets"] and data["References"]


def test_code_sets_are_standard_with_non_selectable_parents_over_selectable_children(export):
    data, _evaluation = export
    names = {s["SetName"] for s in data["CodeSets"]}
    assert names >= {
        "Intervention",
        "Outcome domain",
        "Target group",
        "Focus",
        "Prevention level",
        "Study design",
        "Risk of bias",
    }
    for code_set in data["CodeSets"]:
        assert code_set["SetType"]["SetTypeName"] == "Standard"
        for code, depth in _walk(code_set["Attributes"]["AttributesList"]):
            assert code["AttributeTypeId"] == (1 if depth == 0 else 2)
            assert (
                code["AttributeType"] == STRUCTURE["_attribute_types"][str(code["AttributeTypeId"])]
            )
            assert depth <= 1
        (parent,) = code_set["Attributes"]["AttributesList"]
        assert parent["Attributes"]["AttributesList"], code_set["SetName"]


def test_ids_never_collide_across_sets_and_every_coded_id_is_a_selectable_code(export):
    data, _evaluation = export
    ids = [
        c["AttributeId"]
        for s in data["CodeSets"]
        for c, _d in _walk(s["Attributes"]["AttributesList"])
    ]
    assert len(ids) == len(set(ids))
    assert len({s["SetId"] for s in data["CodeSets"]}) == len(data["CodeSets"])
    selectable = {
        c["AttributeId"]
        for s in data["CodeSets"]
        for c, _d in _walk(s["Attributes"]["AttributesList"])
        if c["AttributeTypeId"] == 2
    }
    assert len({r["ItemId"] for r in data["References"]}) == len(data["References"])
    for reference in data["References"]:
        assert reference["TypeName"] in STRUCTURE["_item_types_used"]
        assert all(c["ArmId"] == 0 for c in reference["Codes"])
        assert {c["AttributeId"] for c in reference["Codes"]} <= selectable
        for outcome in reference["Outcomes"]:
            assert outcome["ItemAttributeIdOutcome"] in selectable
            assert outcome["ItemAttributeIdIntervention"] in selectable
    with pytest.raises(ValueError):
        eppi.attribute_id(eppi.INTERVENTION_SET, eppi.SET_SPAN)


def test_risk_of_bias_is_each_studys_own_not_its_interventions_level(export):
    data, evaluation = export
    rob = next(s for s in data["CodeSets"] if s["SetName"] == "Risk of bias")
    by_name = {
        c["AttributeName"]: c["AttributeId"]
        for c in rob["Attributes"]["AttributesList"][0]["Attributes"]["AttributesList"]
    }
    siblings = Evaluation.objects.published().filter(intervention=evaluation.intervention)
    refs = {r["ItemId"]: {c["AttributeId"] for c in r["Codes"]} for r in data["References"]}
    assert by_name["hög"] in refs[evaluation.pk]
    for other in siblings.exclude(pk=evaluation.pk):
        assert by_name["ej bedömd"] in refs[other.pk]
    assert all(len(codes & set(by_name.values())) == 1 for codes in refs.values())


def test_outcomes_carry_their_domain_and_effect(export):
    data, evaluation = export
    reference = next(r for r in data["References"] if r["ItemId"] == evaluation.pk)
    outcome = evaluation.outcomes.first()
    exported = next(o for o in reference["Outcomes"] if o["OutcomeId"] == outcome.pk)
    assert exported["ItemAttributeIdOutcome"] == eppi.outcome_domain_attribute_id(
        outcome.outcome_domain
    )
    assert exported["ItemAttributeIdOutcome"] in {c["AttributeId"] for c in reference["Codes"]}
    assert exported["ItemAttributeIdIntervention"] == eppi.attribute_id(
        eppi.INTERVENTION_SET, evaluation.intervention_id
    )
    assert Intervention.objects.filter(pk=evaluation.intervention_id).exists()
