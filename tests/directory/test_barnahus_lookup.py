"""barnahus_for answers in two queries what it answered in three: the same Barnahus, gaps
and advice for every seeded municipality."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from facit.directory.barnahus import COVERED, GAP, barnahus_for
from facit.directory.models import Barnahus, BarnahusNote, Municipality
from facit.directory.seed import barnahus_load


@pytest.fixture
def loaded(db):
    from django.core.management import call_command

    call_command("seed")
    barnahus_load()


def test_every_municipality_gets_the_barnahus_gaps_and_advice_the_sources_name(loaded):
    advice = BarnahusNote.objects.filter(kind=BarnahusNote.Kind.ADVICE).first()
    statuses = set()
    for place in Municipality.objects.all():
        answer = barnahus_for(place)
        assert answer.barnahus == list(
            Barnahus.objects.filter(municipalities=place).order_by("name")
        )
        assert answer.gaps == list(
            BarnahusNote.objects.filter(kind=BarnahusNote.Kind.GAP, municipalities=place)
        )
        assert answer.advice == advice
        statuses.add(answer.status)
    assert {COVERED, GAP} <= statuses


def test_the_lookup_takes_two_queries(loaded):
    place = Municipality.objects.filter(barnahus__isnull=False).first()
    with CaptureQueriesContext(connection) as queries:
        barnahus_for(place)
    assert len(queries) == 2


def test_a_barnahus_page_lists_its_municipalities_and_links_its_sources(loaded, client):
    from django.urls import reverse

    barnahus = Barnahus.objects.exclude(sources=[]).order_by("pk").first()
    html = client.get(reverse("directory:barnahus_detail", args=[barnahus.pk])).content.decode()
    for place in barnahus.municipalities.all():
        assert place.name in html
    for src in barnahus.sources:
        if src.startswith("http"):
            assert f'<a href="{src}"'.replace("&", "&amp;") in html


def test_the_honest_answer_for_a_municipality_without_a_barnahus_links_the_polices_advice(
    loaded, client
):
    from django.urls import reverse

    advice = BarnahusNote.objects.get(kind=BarnahusNote.Kind.ADVICE)
    html = client.get(reverse("directory:search"), {"municipality": "Västervik"}).content.decode()
    assert "114 14" in html
    for src in advice.sources:
        assert f'<a href="{src}"' in html


def test_a_verified_service_names_the_data_file_not_its_path_in_the_repository(loaded, client):
    """The public result says who verified a service in words, not 'facit data/services_se.json'."""
    page = client.get("/sv/directory/search/?municipality=Malm%C3%B6").content.decode()
    assert "av facit (verifierad datafil)" in page
    assert "data/services_se.json" not in page
