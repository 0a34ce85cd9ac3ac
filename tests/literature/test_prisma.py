from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from facit.literature import selectors, services
from facit.literature.models import ImportBatch
from tests.literature import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def constructed(reviewer, second_reviewer):
    """A review built by hand: 2 searches (PubMed-like 7 hits, all imported; another 5 hits,
    4 imported), 1 file without a search (2 records); 2 duplicates merged away.
    Unique: 11. Title/abstract: 4 excluded, 1 pending, 1 conflict, 5 included.
    Full text: 1 not retrieved, 2 excluded "Wrong outcome", 1 pending, 1 included."""
    a, b = reviewer.user, second_reviewer.user
    review = f.review(a, b)
    day = datetime.date(2026, 1, 15)
    s1 = services.search_log_add(
        review=review, database="Database one", query="q", searched_on=day, hits=7, actor=a
    )
    s2 = services.search_log_add(
        review=review, database="Database two", query="q", searched_on=day, hits=5, actor=a
    )
    b1 = f.batch(review, search=s1, imported=7)
    b2 = f.batch(review, search=s2, imported=4)
    b3 = f.batch(review, source="Hand search", imported=2)
    refs = [f.reference(review, batch_obj=b1) for _ in range(7)]
    refs += [f.reference(review, batch_obj=b2) for _ in range(4)]
    refs += [f.reference(review, batch_obj=b3) for _ in range(2)]
    dup1, dup2 = refs.pop(), refs.pop()
    for dup in (dup1, dup2):
        dup.duplicate_of = refs[0]
        dup.save()
    assert len(refs) == 11
    plan = ["exclude"] * 4 + ["pending", "conflict"] + ["include"] * 5
    for ref, what in zip(refs, plan, strict=True):
        if what == "pending":
            continue
        if what == "conflict":
            f.decide(ref, a, "include")
            f.decide(ref, b, "exclude")
            continue
        f.decide(ref, a, what)
        f.decide(ref, b, what)
    lost = services.reason_add(
        review=review, label="Invented: not found", not_retrieved=True, actor=a
    )
    wrong = review.reasons.all()[2]  # "Wrong outcome" in the active language
    full = refs[6:]
    for ref, (what, reason) in zip(
        full,
        [
            ("exclude", lost),
            ("exclude", wrong),
            ("exclude", wrong),
            ("pending", None),
            ("include", None),
        ],
        strict=True,
    ):
        if what == "pending":
            continue
        f.decide(ref, a, what, stage="ft", reason=reason)
        f.decide(ref, b, what, stage="ft", reason=reason)
    return review


def test_prisma_numbers_add_up_on_a_constructed_review(constructed):
    p = selectors.prisma(constructed)
    assert [(s.identified, s.imported) for s in p.sources] == [(7, 7), (5, 4), (2, 2)]
    assert p.identified == 14
    assert p.not_imported == 1
    assert p.duplicates == 2
    assert p.screened == 11
    assert (p.screen_excluded, p.screen_pending, p.screen_conflicts, p.sought) == (4, 1, 1, 5)
    assert p.not_retrieved == 1
    assert p.assessed == 4
    wrong = constructed.reasons.all()[2]
    assert p.ft_excluded == [(wrong.label, 2)]
    assert p.ft_pending == 1
    assert p.included == 1
    assert all(p.checks().values()), p.checks()


def test_a_failed_import_counts_for_nothing(constructed):
    f.batch(constructed, status=ImportBatch.Status.FAILED, imported=0, source="Broken")
    assert selectors.prisma(constructed).identified == 14


def test_prisma_page_shows_an_accessible_svg_and_the_table(constructed, reviewer):
    html = reviewer.get(reverse("literature:prisma", args=[constructed.slug])).content.decode()
    assert 'role="img"' in html
    assert '<title id="prisma-title">' in html and '<desc id="prisma-desc">' in html
    assert 'data-testid="prisma-table"' in html
    assert "(n = 14)" in html


def test_prisma_svg_downloads_as_a_file(constructed, reviewer):
    response = reviewer.get(reverse("literature:prisma_svg", args=[constructed.slug]))
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert body.startswith("<?xml") and "<svg" in body and "(n = 11)" in body
