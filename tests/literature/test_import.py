"""Importing files into a review: all or nothing, errors naming the place, through the
command line and through the upload page (background job), and duplicate merging."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from facit.literature.models import DuplicateCandidate, ImportBatch, Reference
from tests.literature import factories as f

pytestmark = pytest.mark.django_db


def ris(*records: tuple[str, str, str]) -> bytes:
    """RIS text of invented records (title, DOI, abstract)."""
    out = []
    for title, doi, abstract in records:
        out.append("TY  - JOUR\n")
        out.append(f"TI  - {title}\n")
        out.append("AU  - Doe, Jane\nPY  - 2020\n")
        if doi:
            out.append(f"DO  - {doi}\n")
        if abstract:
            out.append(f"AB  - {abstract}\n")
        out.append("ER  - \n\n")
    return "".join(out).encode()


GOOD = ris(
    ("Invented first record about schools", "10.9999/inv.1", "Invented abstract one"),
    ("Invented second record about helplines", "10.9999/inv.2", ""),
    ("Invented third record about guardians", "", "Invented abstract three"),
)

BAD_INPUTS = {
    "truncated.ris": GOOD + b"TY  - JOUR\nTI  - Invented record cut off\nAU  - Doe, J\n",
    "unbalanced.bib": (
        b"@article{a, title={Invented one}, year={2020}}\n"
        b"@article{b, title={Invented {two}, year={2021}}\n"
        b"@article{c, title={Invented three}, year={2022}}\n"
    ),
    "no-title.csv": b"name,year\nInvented,2019\n",
    "picture.ris": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" + bytes(range(256)),
    "empty.ris": b"",
    "mixed.ris": "TY  - JOUR\nTI  - Första\nER  - \n".encode()
    + b"TY  - JOUR\nTI  - caf\xe9\nER  - \n",
}


@pytest.fixture
def review(reviewer):
    return f.review(reviewer.user)


def _cli(review, path, *extra):
    from io import StringIO

    out = StringIO()
    try:
        call_command("import_references", "--review", review.slug, str(path), *extra, stdout=out)
        failed = None
    except CommandError as exc:
        failed = exc
    return json.loads(out.getvalue()), failed


def test_cli_imports_a_good_file_and_prints_the_summary(review, tmp_path):
    path = tmp_path / "invented.ris"
    path.write_bytes(GOOD)
    summary, failed = _cli(review, path)
    assert failed is None
    assert summary["imported"] == 3 and summary["duplicates"] == 0 and summary["errors"] == []
    titles = set(review.references.values_list("title", flat=True))
    assert "Invented second record about helplines" in titles
    assert review.references.get(doi="10.9999/inv.1").abstract == "Invented abstract one"


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_cli_bad_file_imports_nothing_names_the_place_and_fails(review, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(BAD_INPUTS[name])
    summary, failed = _cli(review, path)
    assert failed is not None, "the command must exit non-zero"
    assert summary["imported"] == 0
    (error,) = summary["errors"]
    assert error["reason"]
    assert error["message"].startswith(("line", "file"))
    assert Reference.objects.count() == 0
    assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED


def test_cli_exit_status_is_non_zero_on_a_broken_file(review, tmp_path, capsys):
    from django.core.management import ManagementUtility

    path = tmp_path / "truncated.ris"
    path.write_bytes(BAD_INPUTS["truncated.ris"])
    with pytest.raises(SystemExit) as info:
        ManagementUtility(
            ["manage.py", "import_references", "--review", review.slug, str(path)]
        ).execute()
    assert info.value.code != 0
    assert json.loads(capsys.readouterr().out)["errors"]


def test_truncated_ris_error_names_the_line_and_record(review, tmp_path):
    path = tmp_path / "truncated.ris"
    path.write_bytes(BAD_INPUTS["truncated.ris"])
    summary, _failed = _cli(review, path)
    (error,) = summary["errors"]
    assert error["record"] == 4
    assert error["line"] > 0


def test_cli_format_option_overrides_the_extension(review, tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes(b"title,abstract,doi\nInvented csv record,Invented,10.9999/inv.9\n")
    summary, failed = _cli(review, path, "--format", "csv")
    assert failed is None and summary["imported"] == 1


def _upload(client, review, name, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("literature:import_upload", args=[review.slug]),
            {"file": SimpleUploadedFile(name, data), "source": "Invented database"},
        )
    return response


def test_upload_runs_as_a_job_with_progress_and_imports(
    reviewer, review, django_capture_on_commit_callbacks
):
    response = _upload(reviewer, review, "invented.ris", GOOD, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.DONE and batch.imported == 3
    assert batch.job.status == "done" and batch.job.percent == 100
    assert batch.data == b""
    page = reviewer.get(response["Location"]).content.decode()
    assert "<progress" in page


@pytest.mark.parametrize("name", sorted(set(BAD_INPUTS) - {"empty.ris"}))
def test_upload_of_a_bad_file_imports_nothing_and_shows_where(
    reviewer, review, django_capture_on_commit_callbacks, name
):
    response = _upload(reviewer, review, name, BAD_INPUTS[name], django_capture_on_commit_callbacks)
    assert Reference.objects.count() == 0
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED and batch.job.status == "failed"
    page = reviewer.get(response["Location"]).content.decode()
    assert 'data-testid="import-error"' in page
    reason = batch.error["reason"]
    with translation.override("sv"):
        swedish = (
            translation.gettext(reason) % batch.error["params"]
            if batch.error["params"]
            else translation.gettext(reason)
        )
    assert swedish != reason  # the reason is shown in the page's language
    assert escape(swedish) in page


def test_upload_of_an_empty_file_is_refused_by_the_form(
    reviewer, review, django_capture_on_commit_callbacks
):
    response = _upload(reviewer, review, "empty.ris", b"", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert Reference.objects.count() == 0 and ImportBatch.objects.count() == 0
    assert "error-text" in response.content.decode()


def test_same_doi_in_two_files_is_merged_keeping_both_sources(review, tmp_path):
    first = tmp_path / "a.ris"
    first.write_bytes(ris(("Invented shared record", "10.9999/shared", "")))
    second = tmp_path / "b.ris"
    second.write_bytes(
        ris(
            (
                "Invented shared record.",
                "https://doi.org/10.9999/SHARED",
                "Invented abstract from B",
            )
        )
    )
    _cli(review, first)
    summary, _failed = _cli(review, second)
    assert summary["duplicates"] == 1
    unique = review.references.unique().get()
    assert unique.abstract == "Invented abstract from B"  # filled from the second source
    (merged,) = unique.merged.all()
    assert merged.batch.filename == "b.ris" and merged.raw  # the second source's data stay
    assert review.references.count() == 2


def test_uncertain_pairs_become_candidates_a_person_confirms_or_splits(reviewer, review, tmp_path):
    path = tmp_path / "c.ris"
    path.write_bytes(
        ris(
            ("Invented evaluation of a school programme for prevention", "", ""),
            ("Invented evaluation of a school programme for preventing", "", ""),
            ("Invented helpline study", "", ""),
            ("Invented helpline studies", "", ""),
        )
    )
    _cli(review, path)
    candidates = list(DuplicateCandidate.objects.filter(review=review))
    assert len(candidates) >= 1
    first = candidates[0]
    page = reviewer.get(reverse("literature:duplicates", args=[review.slug])).content.decode()
    assert first.first.title in page
    reviewer.post(
        reverse("literature:duplicate_decide", args=[review.slug, first.pk]), {"action": "merge"}
    )
    first.refresh_from_db()
    assert first.status == "merged"
    assert Reference.objects.filter(duplicate_of__isnull=False).count() == 1
    if len(candidates) > 1:
        other = candidates[1]
        reviewer.post(
            reverse("literature:duplicate_decide", args=[review.slug, other.pk]),
            {"action": "split"},
        )
        other.refresh_from_db()
        assert other.status == "split"


def test_exports_of_a_stage_reimport_to_the_same_titles(
    reviewer, second_reviewer, review, tmp_path
):
    review.members.add(second_reviewer.user)
    path = tmp_path / "invented.ris"
    path.write_bytes(GOOD)
    _cli(review, path)
    keep = review.references.get(doi="10.9999/inv.1")
    for user in (reviewer.user, second_reviewer.user):
        f.decide(keep, user, "include")
    url = reverse("literature:export", args=[review.slug, "ris"])
    body = reviewer.get(url, {"stage": "ta", "outcome": "include"}).content.decode()
    assert "Invented first record about schools" in body
    assert "Invented second record" not in body
    csv_body = reviewer.get(
        reverse("literature:export", args=[review.slug, "csv"]),
        {"stage": "ta", "outcome": "pending"},
    ).content.decode()
    assert csv_body.splitlines()[0].startswith("title")
    assert "Invented second record about helplines" in csv_body and "schools" not in csv_body


INVENTED_FORMATS = {
    "invented.bib": (
        b"@string{jex = {Invented Journal}}\n"
        b"@article{doe2019, title = {Invented {P}rogramme Study}, author = {Doe, Jane and Roe, Richard},\n"
        b"  journal = jex, year = {2019}, doi = {10.9999/BIB.1}, keywords = {prevention, schools}}\n"
        b"@book{roe2020, title={Invented Caf{\\'e} studies}, year=2020}\n"
    ),
    "invented.nbib": (
        b"PMID- 99999991\nOWN - NLM\nTI  - Invented title wrapped onto a\n      second line.\n"
        b"AB  - Invented abstract.\nFAU - Doe, Jane\nAU  - Doe J\nDP  - 2020 Mar 4\n"
        b"JT  - Invented Journal\nLID - 10.9999/MED.1 [doi]\n\nPMID- 99999992\nTI  - Invented second.\n"
    ),
    "invented.csv": (
        b"Title,Abstract,Authors,Year,DOI\n"
        b"Invented csv one,Invented abstract,Doe J; Roe R,2018,10.9999/csv.1\n"
        b'"Invented csv, two",,Doe J,2019,\n'
    ),
    "invented.json": json.dumps(
        {
            "results": [
                {
                    "id": "https://openalex.org/W0",
                    "doi": "https://doi.org/10.9999/OA.1",
                    "title": "Invented open work",
                    "publication_year": 2021,
                    "abstract_inverted_index": {"Invented": [0], "words": [1]},
                    "authorships": [{"author": {"display_name": "Jane Doe"}}],
                }
            ]
        }
    ).encode(),
}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("invented.bib", 2),
        ("invented.nbib", 2),
        ("invented.csv", 2),
        ("invented.json", 1),
    ],
)
def test_every_format_imports_through_the_cli(review, tmp_path, name, expected):
    path = tmp_path / name
    path.write_bytes(INVENTED_FORMATS[name])
    summary, failed = _cli(review, path)
    assert failed is None, summary
    assert summary["imported"] == expected == review.references.count()
    assert all(ref.title.startswith("Invented") for ref in review.references.all())


@pytest.mark.parametrize("phase", ["queued", "storing"])
def test_an_import_whose_worker_was_killed_shows_failed_not_queued(
    reviewer, review, django_capture_on_commit_callbacks, phase
):
    from types import SimpleNamespace

    from facit.core.rq_worker import job_lost

    # The upload queues the job, but no worker ever finishes it: the worker is killed.
    with django_capture_on_commit_callbacks(execute=False):
        response = reviewer.post(
            reverse("literature:import_upload", args=[review.slug]),
            {"file": SimpleUploadedFile("invented.ris", GOOD), "source": "Invented database"},
        )
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(status=phase)
    # RQ's handler for an abandoned job, as the production worker runs it.
    job_lost(SimpleNamespace(kwargs={"job_id": str(batch.job_id)}), OSError, None, None)
    batch.job.refresh_from_db()
    assert batch.job.status == "failed"

    status_url = reverse("literature:import_status", args=[review.slug, batch.pk])
    page = reviewer.get(status_url).content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and batch.data == b""
    assert 'data-status="failed"' in page and 'data-testid="import-error"' in page
    assert "hx-trigger" not in page  # the page stops polling
    assert "bakgrundsarbetet stannade" in reviewer.get(response["Location"]).content.decode()
    assert Reference.objects.count() == 0


def test_a_running_import_is_left_alone_by_the_page(
    reviewer, review, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        reviewer.post(
            reverse("literature:import_upload", args=[review.slug]),
            {"file": SimpleUploadedFile("invented.ris", GOOD), "source": "Invented database"},
        )
    batch = ImportBatch.objects.get()
    reviewer.get(reverse("literature:import_status", args=[review.slug, batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.QUEUED
