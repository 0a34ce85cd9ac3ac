"""The extraction desk: blinded dual extraction, field-by-field disagreements, consensus."""

import pytest
from django.urls import reverse

from facit.core.concurrency import EditConflict
from facit.core.models import AuditEvent
from facit.evidence.appraisal import desk
from facit.evidence.models import Extraction, Intervention
from facit.evidence.registry.services import intervention_recompute
from tests import factories as f


@pytest.fixture
def provisional_trial(db):
    """An invented trial with a provisional reading, as the seed loads one."""
    intervention = f.intervention()
    evaluation = f.evaluation(intervention, design="rct", main_outcome="invented knowledge measure")
    f.provisional_reading(evaluation)
    f.outcome(evaluation, direction="favourable", months=3, provenance="provisional")
    intervention_recompute(intervention=intervention)
    return evaluation


def _post(client, evaluation, action="extract", prefix="", **fields):
    data = {
        "design_class": "rct",
        "controlled": "true",
        "sample_size": "120",
        "sustained_months": "3",
        "measure": "invented knowledge measure",
        "outcome_domain": "knowledge",
        "direction": "favourable",
        "timepoint_months": "3",
        "evidence_quote": "invented quote",
        "rob_overall": "moderate",
        "accepted_provisional": "on",
    }
    data.update(fields)
    body = {f"{prefix}{k}": v for k, v in data.items()}
    body["action"] = action
    return client.post(reverse("evidence:extract", args=[evaluation.pk]), body)


def test_the_desk_is_prefilled_with_the_provisional_reading_and_says_so(
    provisional_trial, reviewer
):
    page = reviewer.get(reverse("evidence:extract", args=[provisional_trial.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="prefilled-note"' in html
    assert "invented quote" in html


def test_the_provisional_reading_is_never_taken_over_silently(provisional_trial, reviewer):
    response = _post(reviewer, provisional_trial, accepted_provisional="")
    assert response.status_code == 200
    assert not Extraction.objects.filter(role="extractor").exists()


def test_a_second_extraction_is_hidden_until_the_reviewer_saved_their_own(
    provisional_trial, reviewer, second_reviewer
):
    _post(reviewer, provisional_trial, note="first reviewer's private reading")
    before = second_reviewer.get(reverse("evidence:extract", args=[provisional_trial.pk]))
    assert "first reviewer's private reading" not in before.content.decode()
    assert "dold tills du har sparat din" in before.content.decode()
    _post(second_reviewer, provisional_trial, direction="mixed", sample_size="110")
    after = second_reviewer.get(reverse("evidence:extract", args=[provisional_trial.pk]))
    html = after.content.decode()
    assert 'data-testid="disagreements"' in html
    diffs = desk.extraction_disagreements(evaluation=provisional_trial)
    assert set(diffs) == {"direction", "sample_size"}


def test_consensus_confirms_the_evaluation_and_the_level_is_no_longer_provisional(
    provisional_trial, reviewer, second_reviewer
):
    intervention = provisional_trial.intervention
    assert Intervention.objects.get(pk=intervention.pk).level_provisional
    _post(reviewer, provisional_trial)
    early = _post(reviewer, provisional_trial, action="consensus", prefix="consensus-")
    assert not Extraction.objects.filter(role="consensus").exists()
    assert early.status_code in (200, 302)
    _post(second_reviewer, provisional_trial)
    _post(second_reviewer, provisional_trial, action="consensus", prefix="consensus-")
    fresh = Intervention.objects.get(pk=intervention.pk)
    assert not fresh.level_provisional
    assert fresh.evidence_level == 3  # controlled and favourable, but followed up 3 months only
    outcome = provisional_trial.outcomes.get()
    assert outcome.provenance == "confirmed"
    assert AuditEvent.objects.filter(action="evidence.extraction.consensus").exists()


def test_a_third_reviewer_can_resolve_the_pair(
    provisional_trial, reviewer, second_reviewer, third_reviewer
):
    _post(reviewer, provisional_trial, direction="favourable")
    _post(second_reviewer, provisional_trial, direction="no_effect")
    page = third_reviewer.get(reverse("evidence:extract", args=[provisional_trial.pk]))
    assert 'data-testid="disagreements"' in page.content.decode()
    _post(
        third_reviewer,
        provisional_trial,
        action="consensus",
        prefix="consensus-",
        direction="mixed",
    )
    assert provisional_trial.extractions.get(role="consensus").direction == "mixed"


def test_a_stale_edit_of_an_extraction_is_refused(provisional_trial, reviewer):
    data = desk.provisional_initial(provisional_trial)
    first = desk.extraction_submit(
        evaluation=provisional_trial,
        extractor=reviewer.user,
        data=data,
        accepted_provisional=True,
    )
    desk.extraction_submit(
        evaluation=provisional_trial,
        extractor=reviewer.user,
        data={**data, "direction": "mixed"},
        accepted_provisional=True,
        expected_version=first.version,
    )
    with pytest.raises(EditConflict):
        desk.extraction_submit(
            evaluation=provisional_trial,
            extractor=reviewer.user,
            data={**data, "direction": "no_effect"},
            accepted_provisional=True,
            expected_version=1,
        )
    assert provisional_trial.extractions.get(role="extractor").direction == "mixed"


def test_the_desk_is_for_reviewers_only(provisional_trial, client):
    response = client.get(reverse("evidence:extract", args=[provisional_trial.pk]))
    assert response.status_code in (302, 403)


def test_a_draft_is_invisible_until_an_editor_publishes_it(db, editor, visitor):
    from facit.evidence.registry.services import intervention_create_draft

    draft = intervention_create_draft(name="Invented draft programme", actor=editor.user)
    f.evaluation(draft, design="rct", is_published=False)
    url = reverse("evidence:intervention_detail", args=[draft.slug])
    assert visitor.get(url).status_code == 404
    assert visitor.get("/api/v1/interventions?q=Invented+draft").json()["count"] == 0
    listing = editor.get(reverse("evidence:drafts")).content.decode()
    assert "Invented draft programme" in listing
    editor.post(reverse("evidence:drafts"), {"intervention": draft.pk, "version": draft.version})
    assert visitor.get(url).status_code == 200
    draft.refresh_from_db()
    assert draft.is_published and draft.evaluation_count == 1


def test_the_drafts_page_is_for_editors(db, reviewer):
    assert reviewer.get(reverse("evidence:drafts")).status_code in (302, 403)


def test_each_prefilled_field_says_where_its_value_comes_from(provisional_trial):
    # The provisional entry has no sample size; the evaluation records one.
    provisional_trial.sample_size = 80
    provisional_trial.save(update_fields=["sample_size"])
    initial, sources = desk.desk_start(provisional_trial)
    assert initial["sample_size"] == 80 and sources["sample_size"] == desk.SOURCE_RECORDED
    assert sources["direction"] == desk.SOURCE_PROVISIONAL
    assert sources["timepoint_months"] == desk.SOURCE_PROVISIONAL
    assert "sample_size" in sources and "effect_measure" not in sources


def test_the_desk_form_marks_prefilled_fields_and_leaves_the_others_unmarked():
    from facit.evidence.appraisal.forms import DeskSubmitForm, prefill_source_labels

    form = DeskSubmitForm(
        initial={"direction": "favourable"}, prefilled={"direction": desk.SOURCE_PROVISIONAL}
    )
    assert form["direction"].help_text == prefill_source_labels()[desk.SOURCE_PROVISIONAL]
    assert form["sample_size"].help_text == ""
    assert form["design_class"].field.choices[0] == ("", "–")


def test_english_texts_from_the_data_are_marked_on_swedish_intervention_pages(db, visitor):
    from facit.evidence.models import ClearinghouseRating

    intervention = f.intervention(origin="verified")
    ClearinghouseRating.objects.create(
        intervention=intervention,
        clearinghouse="Invented clearinghouse",
        rating="Invented promising",
        date="research last reviewed June 2019",
    )
    evaluation = f.evaluation(
        intervention,
        origin="verified",
        sample_size_text="229 invented children and caretakers",
        is_published=True,
    )
    Extraction.objects.create(
        evaluation=evaluation,
        role="provisional",
        provenance="provisional: one extractor, from the stated result",
        design_class="rct",
        direction="favourable",
        confidence="low",
        note="Invented note on a broad category of treatments",
    )
    intervention_recompute(intervention=intervention)
    html = visitor.get(
        reverse("evidence:intervention_detail", args=[intervention.slug])
    ).content.decode()
    assert '<span lang="en">229 invented children and caretakers</span>' in html
    assert '<span lang="en">Invented note on a broad category of treatments</span>' in html
    assert '<span lang="en">research last reviewed June 2019</span>' in html
