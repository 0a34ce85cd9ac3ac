from __future__ import annotations

import pytest

from tests.literature import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(reviewer, second_reviewer):
    review = f.review(reviewer.user, second_reviewer.user)
    f.batch(review, source="Invented source", imported=2)
    ref = f.reference(review)
    f.decide(ref, reviewer.user, "include")
    f.decide(ref, second_reviewer.user, "include")
    return review


def test_members_read_prisma_numbers(reviewer, review):
    body = reviewer.get(f"/api/v1/literature/reviews/{review.slug}/prisma").json()
    assert body["identified"] == 2 and body["screened"] == 1 and body["sought"] == 1
    assert body["sources"][0]["label"] == "Invented source"


def test_members_read_progress_per_stage(reviewer, review):
    stages = reviewer.get(f"/api/v1/literature/reviews/{review.slug}/progress").json()
    assert [s["stage"] for s in stages] == ["ta", "ft"]
    assert stages[0]["included"] == 1 and stages[0]["pairs"] == 1


@pytest.mark.parametrize("who", ["visitor", "editor", "third_reviewer"])
def test_others_get_the_error_shape(who, request, review):
    client = request.getfixturevalue(who)
    response = client.get(f"/api/v1/literature/reviews/{review.slug}/prisma")
    assert response.status_code in (401, 404)
    assert "error" in response.json() and response.json()["error"]["code"]
