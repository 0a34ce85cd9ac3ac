"""Public evidence pages in Swedish and English, for every persona."""

import pytest
from django.urls import reverse

from facit.core.concurrency import EditConflict
from facit.evidence.models import Intervention
from facit.evidence.registry.services import intervention_update

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


# Every persona reads the public evidence pages: see tests/url_matrix.py (exact statuses).


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


def test_the_admin_cannot_change_an_intervention_even_for_a_superuser(seeded, reviewer):
    """Edits go through intervention_update (optimistic lock, audit); the admin only reads."""
    from django.core.management import call_command

    from facit.accounts.models import User
    from tests.personas import verified_client

    i = Intervention.objects.get(slug="prevent-it")
    url = reverse("admin:evidence_intervention_change", args=[i.pk])
    assert reviewer.get(url).status_code == 403
    call_command("createsuperuser", username="root", email="", interactive=False, verbosity=0)
    root = verified_client(User.objects.get(username="root"))
    assert root.get(url).status_code == 200
    post = {"slug": i.slug, "name": i.name, "origin": i.origin, "cost_note": "second"}
    assert root.post(url, post).status_code == 403
    assert Intervention.objects.get(pk=i.pk).cost_note != "second"


def test_map_has_a_plain_table_view_of_the_same_cells(client, seeded):
    page = client.get(reverse("evidence:map") + "?view=table").content.decode()
    assert 'class="evidence-list"' in page
    assert page.count("<tr>") == 1 + 6 * 7  # header + every focus x target group pair
    assert "Visa som karta" in page
