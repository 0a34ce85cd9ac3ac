"""Public evidence pages in Swedish and English, for every persona."""

import pytest
from django.urls import reverse

from facit.core.concurrency import EditConflict
from facit.evidence.models import Intervention
from facit.evidence.services import intervention_update

PAGES = [
    ("evidence:map", [], "Evidens- och kunskapsluckekarta", "Evidence and gap map"),
    ("evidence:intervention_list", [], "Insatser", "Interventions"),
    ("evidence:intervention_detail", ["prevent-it"], "Prevent It", "Prevent It"),
    ("evidence:levels", [], "Så beräknas evidensnivåerna", "How evidence levels are computed"),
]


@pytest.mark.parametrize(("name", "args", "swedish", "english"), PAGES)
def test_public_pages_in_swedish_and_english(client, seeded, name, args, swedish, english):
    from django.utils import translation

    with translation.override("sv"):
        sv = client.get(reverse(name, args=args))
    with translation.override("en"):
        en = client.get(reverse(name, args=args))
    assert sv.status_code == en.status_code == 200
    assert swedish in sv.content.decode()
    assert english in en.content.decode()


PERSONAS = ["visitor", "reviewer", "editor", "panel_member", "coordinator", "provider", "admin"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "name", ["evidence:map", "evidence:intervention_list", "evidence:levels", "evidence:compare"]
)
def test_every_persona_can_read_the_public_evidence_pages(request, db, persona, name):
    client = request.getfixturevalue(persona)
    assert client.get(reverse(name)).status_code == 200


def test_intervention_page_shows_level_reason_and_sources(client, seeded):
    page = client.get(reverse("evidence:intervention_detail", args=["prevent-it"])).content.decode()
    assert "Nivå 6" in page
    assert "har inga extraherade resultat" in page
    assert "https://isrctn.com/ISRCTN76841676" in page


def test_unknown_intervention_is_404(client, seeded):
    assert client.get(reverse("evidence:intervention_detail", args=["nope"])).status_code == 404


def test_compare_shows_two_to_four_side_by_side(client, seeded):
    page = client.get(reverse("evidence:compare") + "?i=prevent-it&i=preventell").content.decode()
    assert "Prevent It" in page and "PrevenTell" in page
    alone = client.get(reverse("evidence:compare") + "?i=prevent-it").content.decode()
    assert "Välj två till fyra" in alone


def test_map_exports_csv_json_and_eppi(client, seeded):
    csv = client.get(reverse("evidence:map_export", args=["csv"]))
    assert csv["Content-Type"].startswith("text/csv") and b"prevent-demand" in csv.content
    data = client.get(reverse("evidence:map_export", args=["json"])).json()
    assert data["cells"] and data["gaps"]
    eppi = client.get(reverse("evidence:map_export", args=["eppi.json"])).json()
    assert {s["SetName"] for s in eppi["CodeSets"]} >= {
        "Focus",
        "Target group",
        "Evidence level of the intervention",
    }
    assert len(eppi["References"]) == 75
    codes = {
        child["AttributeId"]
        for s in eppi["CodeSets"]
        for parent in s["Attributes"]["AttributesList"]
        for child in parent["Attributes"]["AttributesList"]
    }
    assert all(c["AttributeId"] in codes for r in eppi["References"] for c in r["Codes"])


def test_an_edit_from_a_stale_copy_is_refused_not_silently_applied(seeded, reviewer):
    first = Intervention.objects.get(slug="prevent-it")
    second = Intervention.objects.get(slug="prevent-it")
    intervention_update(
        intervention=first,
        expected_version=first.version,
        data={"cost_note": "A"},
        actor=reviewer.user,
    )
    with pytest.raises(EditConflict):
        intervention_update(
            intervention=second,
            expected_version=second.version,
            data={"cost_note": "B"},
            actor=reviewer.user,
        )
    assert Intervention.objects.get(slug="prevent-it").cost_note == "A"


def test_staff_admin_refuses_a_stale_form(seeded, reviewer, second_reviewer):
    i = Intervention.objects.get(slug="prevent-it")
    url = reverse("admin:evidence_intervention_change", args=[i.pk])
    form = reviewer.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    stale = i.version
    intervention_update(
        intervention=i,
        expected_version=i.version,
        data={"cost_note": "first"},
        actor=second_reviewer.user,
    )
    post = {
        "slug": i.slug,
        "name": i.name,
        "origin": i.origin,
        "is_published": "on",
        "sources": "[]",
        "cost_note": "second",
        "loaded_version": stale,
        "evaluations-TOTAL_FORMS": 0,
        "evaluations-INITIAL_FORMS": 0,
        "clearinghouse_ratings-TOTAL_FORMS": 0,
        "clearinghouse_ratings-INITIAL_FORMS": 0,
    }
    assert data  # the form loaded
    response = reviewer.post(url, post)
    assert response.status_code == 200
    assert "Någon annan sparade" in response.content.decode()
    assert Intervention.objects.get(pk=i.pk).cost_note == "first"


def test_map_has_a_plain_table_view_of_the_same_cells(client, seeded):
    page = client.get(reverse("evidence:map") + "?view=table").content.decode()
    assert 'class="evidence-list"' in page
    assert page.count("<tr>") == 1 + 6 * 7  # header + every focus x target group pair
    assert "Visa som karta" in page
