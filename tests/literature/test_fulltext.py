"""Full-text PDFs: stored through Django's storage, size-limited, checked by content, and
served to the review's members only."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from facit.literature.models import FullText
from tests.literature import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def setup(reviewer, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    review = f.review(reviewer.user)
    return review, f.reference(review)


def _upload(client, review, ref, content, name="study.pdf"):
    url = reverse("literature:fulltext_upload", args=[review.slug, ref.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content, "application/pdf")})


def test_a_member_attaches_a_pdf_stored_through_the_storage_api_and_opens_it(reviewer, setup):
    review, ref = setup
    assert _upload(reviewer, review, ref, PDF).status_code == 302
    stored = FullText.objects.get(reference=ref)
    assert default_storage.exists(stored.file.name)
    assert "study" not in stored.file.name  # the stored name says nothing about the work
    response = reviewer.get(reverse("literature:fulltext_download", args=[review.slug, ref.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(reviewer, setup):
    review, ref = setup
    response = _upload(reviewer, review, ref, b"<html><script>alert(1)</script></html>")
    assert response.status_code == 302
    assert not FullText.objects.exists()
    page = reviewer.get(response["Location"]).content.decode()
    assert "inte en PDF" in page or "not a PDF" in page


def test_a_file_over_the_size_limit_is_refused_with_the_limit_stated(reviewer, setup, settings):
    settings.LITERATURE_FULLTEXT_MAX_BYTES = 1000
    review, ref = setup
    big = PDF[:-6] + b" " * 2000 + b"%%EOF\n"
    response = _upload(reviewer, review, ref, big)
    assert not FullText.objects.exists()
    page = reviewer.get(response["Location"]).content.decode()
    assert "1000" in page.replace("\xa0", "") or "1,0" in page or "1000 byte" in page


def test_people_outside_the_review_never_get_the_file(reviewer, second_reviewer, editor, setup):
    review, ref = setup
    _upload(reviewer, review, ref, PDF)
    url = reverse("literature:fulltext_download", args=[review.slug, ref.pk])
    assert second_reviewer.get(url).status_code == 403  # a reviewer, but not a member
    assert editor.get(url).status_code == 403
    assert _upload(second_reviewer, review, ref, PDF).status_code == 403
    stored = FullText.objects.get(reference=ref)
    assert not stored.file.url.startswith("/static/")


def test_replacing_the_full_text_removes_the_old_file(
    reviewer, setup, django_capture_on_commit_callbacks
):
    review, ref = setup
    _upload(reviewer, review, ref, PDF)
    first = FullText.objects.get(reference=ref).file.name
    with django_capture_on_commit_callbacks(execute=True):
        _upload(reviewer, review, ref, PDF.replace(b"1.4", b"1.7"))
    assert FullText.objects.count() == 1
    assert not default_storage.exists(first)
