"""Literature access beyond the role x URL matrix (tests/url_matrix.py, where the reviewer
is a member of the review): a reviewer who is not a member gets 403 everywhere, and the
screening POST needs the reviewer role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.literature import factories as f

pytestmark = pytest.mark.django_db

ROLES_DENIED = ["editor", "panel_member", "coordinator", "provider", "admin"]


def _endpoints(review, ref, candidate_pk: int) -> list[tuple[str, str]]:
    s = review.slug
    return [
        ("get", reverse("literature:review_detail", args=[s])),
        ("get", reverse("literature:review_edit", args=[s])),
        ("post", reverse("literature:search_add", args=[s])),
        ("post", reverse("literature:member_add", args=[s])),
        ("post", reverse("literature:reason_add", args=[s])),
        ("get", reverse("literature:import_upload", args=[s])),
        ("get", reverse("literature:import_detail", args=[s, ref.batch_id])),
        ("get", reverse("literature:duplicates", args=[s])),
        ("post", reverse("literature:duplicate_decide", args=[s, candidate_pk])),
        ("get", reverse("literature:screen", args=[s, "ta"])),
        ("post", reverse("literature:screen", args=[s, "ta"])),
        ("get", reverse("literature:conflicts", args=[s, "ta"])),
        ("post", reverse("literature:conflict_resolve", args=[s, "ta", ref.pk])),
        ("get", reverse("literature:reference_detail", args=[s, ref.pk])),
        ("get", reverse("literature:extract", args=[s, ref.pk])),
        ("post", reverse("literature:decision_undo", args=[s, "ta"])),
        ("post", reverse("literature:fulltext_upload", args=[s, ref.pk])),
        ("get", reverse("literature:fulltext_download", args=[s, ref.pk])),
        ("post", reverse("literature:ranking_refresh", args=[s])),
        ("get", reverse("literature:prisma", args=[s])),
        ("get", reverse("literature:prisma_svg", args=[s])),
        ("get", reverse("literature:export", args=[s, "csv"])),
    ]


@pytest.fixture
def setup(reviewer, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from facit.literature.models import DuplicateCandidate
    from facit.literature.services import fulltext_attach

    settings.MEDIA_ROOT = tmp_path
    review = f.review(reviewer.user)
    ref = f.reference(review)
    pdf = SimpleUploadedFile("invented.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    fulltext_attach(reference=ref, upload=pdf, actor=reviewer.user)
    other = f.reference(review, batch_obj=ref.batch)
    cand = DuplicateCandidate.objects.create(review=review, first=ref, second=other, score=95)
    return review, ref, cand.pk


@pytest.mark.parametrize("role", ["visitor", *ROLES_DENIED])
def test_a_screening_decision_needs_the_reviewer_role(role, request, setup):
    """The matrix (tests/url_matrix.py) requests the screening page; its POST is here."""
    client = request.getfixturevalue(role)
    review, ref, _cand = setup
    response = client.post(reverse("literature:screen", args=[review.slug, "ta"]))
    if role == "visitor":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 403
    assert not ref.decisions.exists()


def test_a_reviewer_who_is_not_a_member_gets_403(second_reviewer, setup):
    review, ref, cand = setup
    for method, url in _endpoints(review, ref, cand):
        assert getattr(second_reviewer, method)(url).status_code == 403, url
    # ... but may list their own reviews and start one
    assert second_reviewer.get(reverse("literature:review_list")).status_code == 200
    assert second_reviewer.get(reverse("literature:review_create")).status_code == 200


def test_a_member_reaches_every_page(reviewer, setup):
    """With a full text attached (the matrix's reference has none): every page answers."""
    review, ref, cand = setup
    got = {
        url: reviewer.get(url).status_code
        for method, url in _endpoints(review, ref, cand)
        if method == "get"
    }
    assert got == dict.fromkeys(got, 200) | {
        reverse("literature:extract", args=[review.slug, ref.pk]): 302  # not included yet
    }


def test_a_reviewer_creates_a_review_and_becomes_its_member(reviewer):
    response = reviewer.post(
        reverse("literature:review_create"),
        {"title": "Invented review title", "question": "Invented?", "inclusion_criteria": "x"},
    )
    assert response.status_code == 302
    from facit.literature.models import Review

    review = Review.objects.get(title="Invented review title")
    assert review.is_member(reviewer.user)
    assert review.reasons.count() == 5


def test_members_are_added_by_username_only_if_they_are_reviewers(
    reviewer, second_reviewer, editor, setup
):
    review, _ref, _cand = setup
    url = reverse("literature:member_add", args=[review.slug])
    reviewer.post(url, {"username": editor.user.username})
    assert not review.is_member(editor.user)
    reviewer.post(url, {"username": second_reviewer.user.username})
    assert review.is_member(second_reviewer.user)


def test_editing_from_a_stale_copy_is_refused(reviewer, setup):
    review, _ref, _cand = setup
    url = reverse("literature:review_edit", args=[review.slug])
    data = {"title": "T1", "question": "Q", "loaded_version": review.version}
    assert reviewer.post(url, data).status_code == 302
    response = reviewer.post(url, {**data, "title": "T2"})
    assert response.status_code == 200
    review.refresh_from_db()
    assert review.title == "T1"
