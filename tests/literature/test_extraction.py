from __future__ import annotations

import pytest
from django.urls import reverse

from facit.evidence.models import Evaluation, Intervention
from facit.evidence.registry.services import evaluation_publish, intervention_publish
from facit.literature import services
from facit.literature.models import Extraction
from tests import factories as ef
from tests.literature import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def included(reviewer, second_reviewer):
    review = f.review(reviewer.user, second_reviewer.user)
    ref = f.reference(
        review,
        title="Invented trial of an invented programme",
        authors=["Doe, J.", "Roe, R."],
        year=2021,
        journal="Invented Journal",
        doi="10.0000/invented.1",
    )
    for stage in ("ta", "ft"):
        f.decide(ref, reviewer.user, "include", stage=stage)
        f.decide(ref, second_reviewer.user, "include", stage=stage)
    ref.refresh_from_db()
    return review, ref


def test_extraction_form_is_prefilled_from_the_reference(included, reviewer):
    review, ref = included
    ef.term("design", "rct")
    html = reviewer.get(reverse("literature:extract", args=[review.slug, ref.pk])).content.decode()
    assert "Invented trial of an invented programme" in html
    assert "Doe, J., Roe, R." in html and "10.0000/invented.1" in html


def test_extraction_creates_the_evaluation_and_the_level_recomputes(included, reviewer):
    review, ref = included
    intervention = ef.intervention()
    assert intervention.evidence_level == 7
    design = ef.term("design", "rct")
    response = reviewer.post(
        reverse("literature:extract", args=[review.slug, ref.pk]),
        {
            "intervention": intervention.pk,
            "title": ref.title,
            "authors": "Doe, J., Roe, R.",
            "year": "2021",
            "journal": "Invented Journal",
            "doi": ref.doi,
            "design": design.pk,
            "sample_size": "120",
        },
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(intervention=intervention)
    assert evaluation.doi == "10.0000/invented.1" and evaluation.sample_size == 120
    assert Extraction.objects.get(reference=ref).evaluation == evaluation
    assert response["Location"] == reverse("evidence:extract", args=[evaluation.pk])
    # A draft until an editor publishes it: it counts for nothing before that.
    intervention.refresh_from_db()
    assert not evaluation.is_published
    assert intervention.evaluation_count == 0 and intervention.evidence_level == 7
    evaluation_publish(evaluation=evaluation, expected_version=evaluation.version, actor=None)
    intervention.refresh_from_db()
    assert intervention.evaluation_count == 1
    assert intervention.evidence_level != 7


def test_extraction_can_create_a_new_intervention(included, reviewer):
    _review, ref = included
    design = ef.term("design", "rct")
    extraction = services.extraction_create(
        reference=ref,
        actor=reviewer.user,
        new_intervention_name="Invented new programme",
        title=ref.title,
        design=design,
    )
    intervention = Intervention.objects.get(name="Invented new programme")
    assert extraction.evaluation.intervention == intervention
    # An unclassified intervention made from a study is a draft, not published at once.
    assert not intervention.is_published
    assert not Intervention.objects.published().filter(pk=intervention.pk).exists()


def test_only_full_text_inclusions_can_be_extracted(reviewer):
    review = f.review(reviewer.user)
    ref = f.reference(review)
    with pytest.raises(services.ScreeningError):
        services.extraction_create(
            reference=ref, actor=reviewer.user, new_intervention_name="x", title="x"
        )
    response = reviewer.get(reverse("literature:extract", args=[review.slug, ref.pk]))
    assert response.status_code == 302


def test_the_intervention_page_shows_reviewers_where_an_evaluation_came_from(
    included, reviewer, visitor
):
    review, ref = included
    design = ef.term("design", "rct")
    extraction = services.extraction_create(
        reference=ref,
        actor=reviewer.user,
        new_intervention_name="Invented linked programme",
        title=ref.title,
        design=design,
    )
    intervention = extraction.evaluation.intervention
    url = reverse("evidence:intervention_detail", args=[intervention.slug])
    assert visitor.get(url).status_code == 404  # a draft until an editor publishes it
    intervention_publish(
        intervention=intervention, expected_version=intervention.version, actor=None
    )
    assert review.title in reviewer.get(url).content.decode()
    assert review.title not in visitor.get(url).content.decode()


def test_the_review_page_lists_included_studies_with_a_way_into_extraction(
    included, reviewer, second_reviewer
):
    review, ref = included
    excluded = f.reference(review, title="Invented excluded record")
    f.decide(excluded, reviewer.user, "exclude", stage="ta")
    f.decide(excluded, second_reviewer.user, "exclude", stage="ta")
    detail = reverse("literature:review_detail", args=[review.slug])
    html = reviewer.get(detail).content.decode()
    assert "Invented trial of an invented programme" in html
    assert "Invented excluded record" not in html
    assert reverse("literature:extract", args=[review.slug, ref.pk]) in html
    design = ef.term("design", "rct")
    extraction = services.extraction_create(
        reference=ref,
        actor=reviewer.user,
        new_intervention_name="Invented listed programme",
        title=ref.title,
        design=design,
    )
    html = reviewer.get(detail).content.decode()
    assert reverse("literature:extract", args=[review.slug, ref.pk]) not in html
    assert reverse("evidence:extract", args=[extraction.evaluation.pk]) in html
    assert "utkast" in html  # the new evaluation is a draft until an editor publishes it


def test_a_review_with_no_full_text_inclusion_says_so(reviewer):
    review = f.review(reviewer.user)
    f.reference(review)
    html = reviewer.get(reverse("literature:review_detail", args=[review.slug])).content.decode()
    assert "Ingen studie är inkluderad i fulltext än." in html


def _desk_field_help(html: str, name: str) -> str:
    import re

    found = re.search(rf'<p class="help" id="id_{name}_helptext">([^<]*)</p>', html)
    return found.group(1) if found else ""


def test_the_desk_starts_from_what_the_literature_review_extracted_and_says_so(included, reviewer):
    from facit.evidence.appraisal import desk

    review, ref = included
    extraction = services.extraction_create(
        reference=ref,
        actor=reviewer.user,
        new_intervention_name="Invented extracted programme",
        title=ref.title,
        design=ef.term("design", "quasi-experimental"),
        sample_size=120,
        follow_up_months=6,
    )
    evaluation = extraction.evaluation
    initial, sources = desk.desk_start(evaluation)
    assert initial == {
        "design_class": "quasi_experimental",
        "sample_size": 120,
        "sustained_months": 6.0,
    }
    assert set(sources.values()) == {desk.SOURCE_LITERATURE}

    html = reviewer.get(reverse("evidence:extract", args=[evaluation.pk])).content.decode()
    assert 'data-testid="prefilled-note"' in html
    assert 'name="sample_size" value="120"' in html
    assert '<option value="quasi_experimental" selected>' in html
    for name in ("design_class", "sample_size", "sustained_months"):
        assert "litteraturöversiktens extraktion" in _desk_field_help(html, name), name
    # Nothing the review did not record is pre-filled, nor said to be.
    assert _desk_field_help(html, "direction") == ""
    assert '<option value="" selected>' in html  # the direction starts blank, not "favourable"
    # The included study's own page leads to the desk as well as the review's list.
    detail = reverse("literature:reference_detail", args=[review.slug, ref.pk])
    assert (
        reverse("evidence:extract", args=[evaluation.pk]) in reviewer.get(detail).content.decode()
    )


def test_a_reviewer_who_changes_the_literature_values_is_audited_as_changing_them(
    included, reviewer
):
    from facit.core.models import AuditEvent
    from facit.evidence.appraisal import desk

    _review, ref = included
    evaluation = services.extraction_create(
        reference=ref,
        actor=reviewer.user,
        new_intervention_name="Invented audited programme",
        title=ref.title,
        design=ef.term("design", "rct"),
        sample_size=120,
    ).evaluation
    desk.extraction_submit(
        evaluation=evaluation,
        extractor=reviewer.user,
        data={"design_class": "rct", "sample_size": 118, "direction": "favourable"},
        accepted_provisional=True,
    )
    event = AuditEvent.objects.get(action="evidence.extraction.submit")
    assert "sample_size" in event.detail["changed"]
    assert "design_class" not in event.detail["changed"]
