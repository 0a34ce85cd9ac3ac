"""The map's axis registry, paging of rows=intervention, the age-band filter and the
normalised country filter."""

import pytest
from django.urls import reverse

from facit.evidence import vocabularies as vocab
from facit.evidence.gapmap import axes
from facit.evidence.gapmap.queries import Filters, evidence_map
from facit.evidence.gapmap.selectors import filters_from_query
from facit.evidence.registry.countries import normalise
from facit.evidence.registry.selectors import interventions_filtered
from tests import factories as f


def test_the_registry_names_every_axis_the_api_accepts():
    from facit.evidence.gapmap.api import Axis

    assert set(Axis.__args__) == set(axes.AXES)
    assert {"design", "outcome_domain"} == axes.STUDY_AXES
    assert all(a.label and a.orm_lookup for a in axes.REGISTRY.values())


@pytest.mark.django_db
def test_rows_by_intervention_come_a_page_at_a_time_and_every_row_is_on_some_page():
    for n in range(7):
        i = f.intervention(name=f"Intervention {n:02d} (invented)")
        f.outcome(f.evaluation(i), outcome_domain="knowledge")
    seen = []
    for page in (1, 2, 3):
        emap = evidence_map("intervention", "outcome_domain", page=page, per_page=3)
        assert (emap.pages, emap.row_count, emap.page) == (3, 7, page)
        assert all(cell.row in {r.code for r in emap.rows} for cell in emap.cells.values())
        seen += [r.label for r in emap.rows]
    assert seen == sorted(seen) and len(set(seen)) == 7
    past_the_end = evidence_map("intervention", "outcome_domain", page=9, per_page=3)
    assert past_the_end.page == 3 and len(past_the_end.rows) == 1
    unpaged = evidence_map("intervention", "outcome_domain")
    assert len(unpaged.rows) == 7  # the exports hold every row


@pytest.mark.django_db
def test_the_api_pages_rows_by_intervention_and_documents_the_page_parameter(client, monkeypatch):
    monkeypatch.setattr(axes, "ROWS_PER_PAGE", 2)
    for n in range(3):
        f.outcome(f.evaluation(f.intervention(name=f"Paged {n} (invented)")))
    first = client.get("/api/v1/evidence-map?rows=intervention&cols=outcome_domain").json()
    assert (first["row_count"], first["page"], first["pages"], first["per_page"]) == (3, 1, 2, 2)
    second = client.get("/api/v1/evidence-map?rows=intervention&cols=outcome_domain&page=2")
    assert len(first["row_values"]) == 2 and len(second.json()["row_values"]) == 1
    assert {c["row"] for c in second.json()["cells"]} == set(second.json()["row_values"])
    schema = client.get("/api/v1/openapi.json").json()
    params = schema["paths"]["/api/v1/evidence-map"]["get"]["parameters"]
    page = next(p for p in params if p["name"] == "page")
    assert "rows=intervention" in page["description"]
    assert any(p["name"] == "age_band" for p in params)


@pytest.mark.django_db
def test_the_map_page_links_to_the_next_page_of_interventions(client):
    for n in range(axes.ROWS_PER_PAGE + 1):
        f.outcome(f.evaluation(f.intervention(name=f"Row {n:03d} (invented)")))
    url = reverse("evidence:map")
    html = client.get(url, {"rows": "intervention", "cols": "outcome_domain"}).content.decode()
    assert 'data-testid="map-pager"' in html and 'rel="next"' in html
    assert f"Row {axes.ROWS_PER_PAGE:03d}" not in html
    second = client.get(url, {"rows": "intervention", "cols": "outcome_domain", "page": "2"})
    assert f"Row {axes.ROWS_PER_PAGE:03d}" in second.content.decode()
    assert 'rel="prev"' in second.content.decode()


@pytest.mark.django_db
def test_an_intervention_matches_every_age_band_its_range_overlaps():
    young = f.intervention(age_min=4, age_max=8)
    teen = f.intervention(age_min=13, age_max=15)
    from_ten = f.intervention(age_min=10)
    unstated = f.intervention()

    def matched(*bands: str) -> set[int]:
        filters = Filters(age_bands=list(bands))
        on_map = {
            c.row
            for c in evidence_map("intervention", "focus", filters).cells.values()
            if c.interventions
        }
        listed = {
            i.slug for i in interventions_filtered(filters_from_query({"age_band": bands[0]}))
        }
        if len(bands) == 1:
            assert on_map == listed  # the map and the list share the rule
        return {i.pk for i in (young, teen, from_ten, unstated) if i.slug in on_map}

    assert matched("0-5") == {young.pk}
    assert matched("6-12") == {young.pk, from_ten.pk}
    assert matched("13-17") == {teen.pk, from_ten.pk}
    assert matched("18-plus") == {from_ten.pk}
    assert matched("not-stated") == {unstated.pk}
    assert matched("0-5", "13-17") == {young.pk, teen.pk, from_ten.pk}


@pytest.mark.django_db
def test_the_api_filters_the_map_by_age_band(client):
    f.intervention(age_min=13, age_max=17, focus=("prevent-demand",))
    f.intervention(age_min=3, age_max=5, focus=("prevent-perpetration",))
    body = client.get("/api/v1/evidence-map?age_band=13-17").json()
    assert {c["row"] for c in body["cells"]} == {"prevent-demand"}
    assert client.get("/api/v1/evidence-map?age_band=teen").status_code == 422


@pytest.mark.parametrize(
    ("text", "codes", "unmatched"),
    [
        ("USA (Boston)", ["us"], []),
        ("Bangladesh, India, Nepal, Pakistan (various NGOs)", ["bd", "in", "np", "pk"], []),
        ("Sverige", ["se"], []),
        ("multiple", [], ["multiple"]),
        (
            "United Kingdom (since 2002); Netherlands version run by de Waag",
            ["gb"],
            ["Netherlands version run by de Waag"],
        ),
        ("", [], []),
    ],
)
def test_country_text_becomes_iso_codes_and_what_names_no_country_is_kept_not_guessed(
    text, codes, unmatched
):
    assert normalise(text) == (codes, unmatched)


@pytest.mark.django_db
def test_the_seed_links_iso_countries_and_counts_what_it_could_not_normalise(client):
    from django.core.management import call_command

    from facit.evidence.models import Intervention, Term

    call_command("seed")
    codes = set(Term.objects.filter(vocabulary=vocab.COUNTRY).values_list("code", flat=True))
    assert "multiple" not in codes and {"us", "se", "gb"} <= codes
    assert all(len(c) == 2 or c == vocab.COUNTRY_UNMATCHED.code for c in codes)
    unmatched = Intervention.objects.filter(countries__code=vocab.COUNTRY_UNMATCHED.code)
    assert unmatched.exists()
    assert all(i.country_text for i in unmatched)  # the raw text is kept
    html = client.get(reverse("evidence:map"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert f"land som inte kunde tolkas ({unmatched.count()})" in html
    assert "Förenta staterna" in html or "USA" in html
