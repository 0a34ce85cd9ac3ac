"""The intervention page's results section: per-outcome results, pooled result, forest
plot with a data table, plain-language sentence and certainty, in Swedish and English."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from facit.evidence.models import Evaluation
from facit.evidence.synthesis.selectors import intervention_synthesis
from facit.evidence.synthesis.services import outcome_record
from facit.evidence.synthesis.stats import (
    TEMPLATES,
    StudyAppraisal,
    grade_certainty,
    meta_analysis,
    plain_language,
)
from facit.evidence.synthesis.text import MESSAGES, NOTES
from tests import factories as f
from tests.evidence.factories_synthesis import pooled_intervention

pytestmark = pytest.mark.django_db


def page(client, intervention, lang="sv"):
    response = client.get(f"/{lang}/evidence/interventions/{intervention.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_pooled_result_shows_forest_plot_table_sentence_and_certainty(visitor):
    intervention = pooled_intervention()
    html = page(visitor, intervention, "en")
    assert 'data-testid="synthesis"' in html
    assert re.search(r'<svg[^>]*role="img"[^>]*aria-labelledby="synthesis-1-title', html)
    assert '<desc id="synthesis-1-desc">3 studies pooled' in html
    assert html.count('data-testid="synthesis-table"') == 1
    assert "Pooled (random effects, REML)" in html
    assert "How certain is this result?" in html
    assert "Indirectness and publication bias are not assessed" in html
    assert "Invented1 2011" in html


def test_english_sentence_is_the_packages_own_plain_language_sentence(visitor):
    intervention = pooled_intervention()
    group = intervention_synthesis(intervention)[0]
    rows = [r for r in group.rows if r.pooled]
    result = meta_analysis([r.outcome.yi for r in rows], [r.outcome.vi for r in rows])
    studies = [StudyAppraisal(design="rct", risk_of_bias="unclear", n=r.n) for r in rows]
    expected = plain_language(result, "SMD", grade_certainty(studies=studies, result=result))
    html = page(visitor, intervention, "en")
    assert expected.replace("'", "&#x27;") in html


def test_swedish_page_says_it_in_swedish_with_decimal_commas(visitor):
    intervention = pooled_intervention()
    html = page(visitor, intervention, "sv")
    assert "Resultat och sammanvägda effekter" in html
    sentence = re.search(r'data-testid="plain-language">([^<]*)<', html)[1]
    assert sentence.startswith("Insatsen")
    assert re.search(r"\d,\d\d", sentence)
    assert "Skogsdiagram" in html
    assert "The intervention" not in html and "Rated down" not in html


def test_certainty_states_each_reason_for_rating_down(visitor):
    intervention = pooled_intervention(rob="high")
    with translation.override("en"):
        group = intervention_synthesis(intervention)[0]
    assert group.pooled is not None
    reasons = " ".join(group.pooled.reasons)
    assert "risk of bias" in reasons
    html = page(visitor, intervention, "en")
    assert "Rated down one level for risk of bias" in html


def test_one_sample_only_shows_the_result_but_pools_nothing(visitor):
    intervention = f.intervention()
    evaluation = f.evaluation(intervention, authors="Solo, B.", year="2020")
    outcome_record(
        evaluation=evaluation,
        measure="invented scale",
        direction="no_effect",
        timepoint_months=3,
        effect_measure="OR",
        reported={"ai": 10, "bi": 30, "ci": 12, "di": 28},
        actor=None,
        comparison_key="Invented outcome",
    )
    html = page(visitor, intervention, "en")
    assert "Solo 2020" in html
    assert "nothing to pool" in html
    assert "<svg" not in html
    assert "0.78" in html  # odds ratio 10*28/(30*12), shown on the ratio scale


def test_outcomes_of_the_same_sample_are_pooled_once(visitor):
    intervention = pooled_intervention()
    Evaluation.objects.filter(intervention=intervention).update(sample_key="one-cohort")
    group = intervention_synthesis(intervention)[0]
    assert group.pooled is None
    assert sum(r.pooled for r in group.rows) == 0
    assert "nothing to pool" in page(visitor, intervention, "en")


def test_later_timepoint_of_a_sample_is_the_one_pooled(visitor):
    intervention = pooled_intervention()
    first = intervention.evaluations.order_by("pk").first()
    outcome_record(
        evaluation=first,
        measure="invented knowledge scale",
        direction="favourable",
        timepoint_months=24,
        effect_measure="SMD",
        reported={"yi": 0.9, "vi": 0.05},
        actor=None,
        comparison_key="knowledge of body safety (INVENTED)",  # case does not matter
    )
    group = intervention_synthesis(intervention)[0]
    assert len(group.rows) == 4 and group.pooled is not None and group.pooled.result.k == 3
    pooled = {r.outcome.timepoint_months for r in group.rows if r.pooled and r.evaluation == first}
    assert pooled == {24}
    assert "not pooled (same sample as another row)" in page(visitor, intervention, "en")


def test_different_measures_or_names_are_not_pooled_together():
    intervention = pooled_intervention()
    evaluation = f.evaluation(intervention)
    outcome_record(
        evaluation=evaluation,
        measure="invented",
        direction="favourable",
        timepoint_months=6,
        effect_measure="RR",
        reported={"ai": 5, "bi": 15, "ci": 8, "di": 12},
        actor=None,
        comparison_key="Knowledge of body safety (invented)",
    )
    groups = intervention_synthesis(intervention)
    assert sorted((g.measure, len(g.rows)) for g in groups) == [("RR", 1), ("SMD", 3)]


def test_no_section_without_effect_sizes(visitor):
    intervention = f.intervention()
    f.outcome(f.evaluation(intervention))
    assert 'data-testid="synthesis"' not in page(visitor, intervention, "sv")


def test_every_package_sentence_has_a_translation_with_the_same_english():
    assert set(MESSAGES) == set(TEMPLATES)
    with translation.override("en"):
        for code, english in TEMPLATES.items():
            assert str(MESSAGES[code]) == english, code
    with translation.override("sv"):
        for code, english in TEMPLATES.items():
            swedish = str(MESSAGES[code])
            assert swedish != english, code
            assert set(re.findall(r"\{\w+", swedish)) == set(re.findall(r"\{\w+", english)), code
    with translation.override("en"):
        notes_en = {code: str(text) for code, text in NOTES.items()}
    with translation.override("sv"):
        assert all(str(NOTES[code]) != notes_en[code] for code in NOTES)


def test_ratios_too_far_apart_to_show_are_explained_not_crashed(visitor):
    intervention = f.intervention()
    for yi in (-600.0, 600.0):
        outcome_record(
            evaluation=f.evaluation(intervention),
            measure="invented",
            direction="mixed",
            timepoint_months=6,
            effect_measure="OR",
            reported={"yi": yi, "vi": 0.01},
            actor=None,
            comparison_key="Invented extreme outcome",
        )
    html = page(visitor, intervention, "en")
    assert "too far apart to show a pooled ratio" in html
    assert "<svg" not in html


def test_outcomes_stored_without_the_service_are_checked_before_display(visitor):
    intervention = f.intervention()
    f.outcome(f.evaluation(intervention), effect_measure="RR", yi=0.1, vi=1e6)
    assert 'data-testid="synthesis"' not in page(visitor, intervention, "en")


@pytest.mark.parametrize(
    "persona",
    ["visitor", "reviewer", "editor", "panel_member", "coordinator", "provider", "admin"],
)
def test_every_role_sees_the_pooled_result(request, persona):
    intervention = pooled_intervention()
    html = page(request.getfixturevalue(persona), intervention, "sv")
    assert 'data-testid="forest-plot"' in html and 'data-testid="synthesis-table"' in html
