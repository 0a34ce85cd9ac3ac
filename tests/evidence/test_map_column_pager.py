"""A map with interventions as its columns is paged like one with them as rows: the page
and the API say which columns are shown of how many."""

import pytest

from facit.evidence.gapmap.axes import ROWS_PER_PAGE
from tests import factories as f


@pytest.fixture
def many(db):
    for i in range(ROWS_PER_PAGE + 3):
        f.intervention(name=f"Påhittad insats {i:03d}")


def test_the_page_counts_the_columns_of_a_column_paged_map(many, client):
    page = client.get("/sv/evidence/?rows=focus&cols=intervention&page=2").content.decode()
    total = ROWS_PER_PAGE + 3
    assert f"Kolumner {ROWS_PER_PAGE + 1}–{total} av {total} (sida 2 av 2)" in page


def test_the_api_returns_the_column_values_and_count_of_a_column_paged_map(many, client):
    body = client.get("/api/v1/evidence-map?rows=focus&cols=intervention&page=2").json()
    assert body["col_count"] == ROWS_PER_PAGE + 3
    assert len(body["col_values"]) == 3
    assert body["pages"] == 2
