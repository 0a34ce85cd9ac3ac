"""An editor edits an intervention's registry fields on a page of its own: reached from the
intervention page (for editors only), saved through `intervention_update` (audited), a
stale form refused with 409 and nothing kept, errors per field, in Swedish."""

from __future__ import annotations

import pytest
from django.urls import reverse

from facit.core.models import AuditEvent
from facit.evidence import vocabularies as vocab
from facit.evidence.models import Intervention
from tests import factories as ef

pytestmark = pytest.mark.django_db


def _form(intervention: Intervention, **changes):
    data = {
        "loaded_version": intervention.version,
        "name": intervention.name,
        "description": "Invented description.",
        "focus": [ef.term(vocab.FOCUS, "prevent-victimisation").pk],
        "target_groups": [ef.term(vocab.TARGET_GROUP, "children").pk],
        "settings": [ef.term(vocab.SETTING, "school").pk],
        "prevention_level": ef.term(vocab.PREVENTION_LEVEL, "universal").pk,
        "age_min": "6",
        "age_max": "12",
        "manual_available": "true",
        "delivery": "Invented delivery",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_intervention_page_links_to_the_edit_page_for_editors_only(editor, reviewer, visitor):
    intervention = ef.intervention()
    page = reverse("evidence:intervention_detail", args=[intervention.slug])
    edit = reverse("evidence:intervention_edit", args=[intervention.slug])
    assert edit in editor.get(page).content.decode()
    assert edit not in reviewer.get(page).content.decode()
    assert edit not in visitor.get(page).content.decode()
    assert reviewer.get(edit).status_code == 403
    assert visitor.get(edit).status_code == 302


def test_an_editor_saves_the_registry_fields_through_the_service_and_it_is_audited(editor):
    intervention = ef.intervention(name="Invented programme")
    edit = reverse("evidence:intervention_edit", args=[intervention.slug])
    html = editor.get(edit).content.decode()
    assert "Lägsta ålder (år)" in html and "Manual finns" in html and "Målgrupper" in html
    response = editor.post(
        edit,
        _form(
            intervention,
            name="Invented programme, renamed",
            focus=[ef.term(vocab.FOCUS, "professional-capacity").pk],
            target_groups=[
                ef.term(vocab.TARGET_GROUP, "children").pk,
                ef.term(vocab.TARGET_GROUP, "guardians").pk,
            ],
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:intervention_detail", args=[intervention.slug])
    fresh = Intervention.objects.get(pk=intervention.pk)
    assert fresh.name == "Invented programme, renamed"
    assert fresh.version == intervention.version + 1
    assert (fresh.age_min, fresh.age_max, fresh.manual_available) == (6, 12, True)
    assert fresh.prevention_level.code == "universal"
    assert {t.code for t in fresh.focus.all()} == {"professional-capacity"}
    assert {t.code for t in fresh.target_groups.all()} == {"children", "guardians"}
    assert {t.code for t in fresh.settings.all()} == {"school"}
    event = AuditEvent.objects.for_target(fresh).get(action="evidence.intervention.update")
    assert event.actor == editor.user
    assert {"name", "focus", "target_groups", "age_min"} <= set(event.detail["fields"])
    assert "Invented programme, renamed" not in str(event.detail)  # fields, not content


def test_a_stale_form_is_refused_with_409_and_nothing_of_it_is_kept(editor):
    intervention = ef.intervention(name="Invented programme")
    edit = reverse("evidence:intervention_edit", args=[intervention.slug])
    stale = _form(intervention, name="The second editor's name")
    assert editor.post(edit, _form(intervention, name="The first editor's name")).status_code == 302
    response = editor.post(edit, stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Någon annan sparade insatsen efter att du öppnade den" in html
    assert "The first editor&#x27;s name" in html  # what is stored now, to compare
    fresh = Intervention.objects.get(pk=intervention.pk)
    assert fresh.name == "The first editor's name"
    assert fresh.version == intervention.version + 1


def test_errors_are_given_per_field_in_swedish_and_nothing_is_saved(editor):
    intervention = ef.intervention(name="Invented programme")
    edit = reverse("evidence:intervention_edit", args=[intervention.slug])
    response = editor.post(edit, _form(intervention, name="  ", age_min="15", age_max="9"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_name_error"' in html and "Ge insatsen ett namn." in html
    assert 'id="id_age_max_error"' in html
    assert "Den högsta åldern kan inte vara lägre än den lägsta." in html
    response = editor.post(edit, _form(intervention, age_min="-1", age_max="400"))
    html = response.content.decode()
    assert 'id="id_age_min_error"' in html and 'id="id_age_max_error"' in html
    fresh = Intervention.objects.get(pk=intervention.pk)
    assert fresh.name == "Invented programme" and fresh.version == intervention.version


def test_a_draft_intervention_is_editable_and_stays_a_draft(editor, visitor):
    intervention = ef.intervention(name="Invented draft", is_published=False)
    edit = reverse("evidence:intervention_edit", args=[intervention.slug])
    response = editor.post(edit, _form(intervention, name="Invented draft, described"))
    assert response["Location"] == reverse("evidence:drafts")
    fresh = Intervention.objects.get(pk=intervention.pk)
    assert fresh.name == "Invented draft, described" and not fresh.is_published
    page = reverse("evidence:intervention_detail", args=[intervention.slug])
    assert visitor.get(page).status_code == 404
