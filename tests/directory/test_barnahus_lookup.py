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
