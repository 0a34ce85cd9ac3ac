"""The evidence & gap map and its gap statements are computed from the data."""

import pytest

from facit.evidence.gapmap.queries import Filters, cell_rows, evidence_map, gap_statements
from facit.evidence.models import Intervention
from facit.evidence.registry.services import intervention_recompute
from tests import factories as f


def _gaps():
    return {g.code: g for g in gap_statements()}


@pytest.mark.django_db
def test_cells_count_interventions_and_evaluations_and_take_the_best_level():
    a = f.intervention(focus=("prevent-perpetration",), targets=("potential-perpetrators",))
    b = f.intervention(
        focus=("prevent-perpetration",), targets=("potential-perpetrators", "guardians")
    )
    f.outcome(f.evaluation(a, design="quasi-experimental"), direction="favourable", months=3)
    f.evaluation(b, design="pre-post")
    f.evaluation(b, design="qualitative")
    for i in (a, b):
        intervention_recompute(intervention=i)
    emap = evidence_map("focus", "target_group")
    cell = emap.cells[("prevent-perpetration", "potential-perpetrators")]
    assert (cell.interventions, cell.evaluations, cell.best_level) == (2, 3, 3)
    assert emap.cells[("prevent-perpetration", "guardians")].interventions == 1
    assert ("prevent-demand", "buyers") not in emap.cells


@pytest.mark.django_db
def test_every_row_and_column_of_a_fixed_vocabulary_is_shown_so_empty_cells_stay_visible():
    f.intervention()
    emap = evidence_map("focus", "target_group")
    assert len(emap.rows) == 6 and len(emap.cols) == 7
    assert len(emap.cells) == 1


@pytest.mark.django_db
def test_filters_restrict_the_map_to_matching_interventions():
    f.intervention(focus=("prevent-demand",), targets=("buyers",))
    f.intervention(focus=("prevent-victimisation",), targets=("children",))
    only_demand = cell_rows("focus", "target_group", Filters(terms={"focus": ["prevent-demand"]}))
    assert len(only_demand) == 1


@pytest.mark.django_db
def test_unpublished_interventions_are_left_out():
    f.intervention(is_published=False)
    assert cell_rows("focus", "target_group") == []


@pytest.mark.django_db
def test_gap_statements_follow_the_data():
    demand = f.intervention(focus=("prevent-demand",), targets=("buyers",))
    f.evaluation(demand, design="pre-post")
    once = f.intervention(focus=("prevent-victimisation",))
    f.evaluation(once, design="rct", independent=True)
    twice = f.intervention(focus=("disclosure-detection",))
    f.evaluation(twice, design="rct")
    f.evaluation(twice, design="quasi-experimental")
    f.intervention(focus=("prevent-perpetration",))
    for i in Intervention.objects.all():
        intervention_recompute(intervention=i)
    gaps = _gaps()
    assert gaps["demand_interventions"].value == 1
    assert gaps["demand_controlled"].value == 0
    assert gaps["evaluated_once_share"].value == 67  # 2 of 3 evaluated
    assert gaps["not_evaluated"].value == 1
    assert gaps["exposure_detection_share"].value == 50
    assert gaps["perpetration_demand_share"].value == 50
    assert gaps["independent_share"].value == 33
    assert "1" in gaps["demand_interventions"].statement


@pytest.mark.django_db
def test_a_controlled_evaluation_of_a_demand_intervention_changes_the_statement():
    demand = f.intervention(focus=("prevent-demand",), targets=("buyers",))
    f.evaluation(demand, design="quasi-experimental")
    assert _gaps()["demand_controlled"].value == 0  # levels and flags change through services
    intervention_recompute(intervention=demand)
    assert _gaps()["demand_controlled"].value == 1


def test_gap_statements_on_the_verified_data_match_a_count_of_the_file(seeded):
    import json

    from django.conf import settings

    data = json.loads((settings.DATA_DIR / "interventions.json").read_text(encoding="utf-8"))
    demand = [i for i in data if "prevent demand" in i["focus"]]
    evaluated = [i for i in data if i["evaluations"]]
    once = [i for i in evaluated if len(i["evaluations"]) == 1]
    gaps = _gaps()
    assert gaps["demand_interventions"].value == len(demand)
    assert gaps["evaluated_once_share"].value == round(100 * len(once) / len(evaluated))
    assert gaps["not_evaluated"].value == len(data) - len(evaluated)
