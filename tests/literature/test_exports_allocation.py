"""The review's allocation of records to reviewers (PRISMA 2020 item 8) is stated in every
export of a stage (RIS, CSV) and in the PRISMA download, for each of the three modes."""

from __future__ import annotations

import csv
import io

import pytest
import rispy
from django.urls import reverse

from facit.literature.models import Allocation
from tests.literature import factories as f

pytestmark = pytest.mark.django_db


def _export(client, review, fmt: str) -> str:
    url = reverse("literature:export", args=[review.slug, fmt])
    response = client.get(url, {"stage": "ta", "outcome": "all"})
    assert response.status_code == 200
    return response.content.decode()


def _review(reviewer, second_reviewer, allocation: str, n: int = 3):
    review = f.review(reviewer.user, second_reviewer.user, allocation_set=allocation)
    refs = [f.reference(review, title=f"Invented record {i}") for i in range(n)]
    return review, refs


@pytest.mark.parametrize(
    ("allocation", "said", "required"),
    [
        (Allocation.DUAL, "Dubbelgranskning: två oberoende granskare per post.", {"2"}),
        (Allocation.SINGLE, "Enkelgranskning: en granskare per post.", {"1"}),
    ],
)
def test_ris_and_csv_exports_state_the_allocation_mode(
    reviewer, second_reviewer, allocation, said, required
):
    review, _refs = _review(reviewer, second_reviewer, allocation)
    entries = rispy.loads(_export(reviewer, review, "ris"))
    assert len(entries) == 3
    assert all(said in e["notes"] for e in entries)
    rows = list(csv.DictReader(io.StringIO(_export(reviewer, review, "csv"))))
    assert len(rows) == 3
    assert {r["screening_allocation"] for r in rows} == {f"{allocation}: {said}"}
    assert {r["independent_reviewers"] for r in rows} == required


def test_a_dual_share_export_states_the_share_the_kappa_and_which_records_were_paired(
    reviewer, second_reviewer
):
    review, refs = _review(reviewer, second_reviewer, Allocation.DUAL_SHARE, n=80)
    dual = [r for r in refs if review.is_dual(r.pk)]
    assert len(dual) >= 4
    for i, ref in enumerate(refs):
        f.decide(ref, reviewer.user, "include" if i % 3 == 0 else "exclude")
    for i, ref in enumerate(dual):
        # The second reviewer agrees on all but the first paired record.
        first = refs.index(ref) % 3 == 0
        f.decide(ref, second_reviewer.user, "include" if first != (i == 0) else "exclude")
    rows = list(csv.DictReader(io.StringIO(_export(reviewer, review, "csv"))))
    allocation = rows[0]["screening_allocation"]
    assert allocation.startswith("dual_share: ")
    assert f"{review.dual_share} %" in allocation and "kappa" in allocation
    assert f"{len(dual)} par" in allocation
    paired = {r["title"] for r in rows if r["independent_reviewers"] == "2"}
    assert paired == {r.title for r in dual}
    entries = rispy.loads(_export(reviewer, review, "ris"))
    for entry in entries:
        assert any("kappa" in n for n in entry["notes"])
        two = "Denna post: två oberoende granskare." in entry["notes"]
        assert two == (entry["title"] in paired)


def test_the_exported_csv_imports_again_without_its_allocation_columns(reviewer, second_reviewer):
    from facit.literature.imports.formats import parse_file

    review, _refs = _review(reviewer, second_reviewer, Allocation.SINGLE)
    records = parse_file(_export(reviewer, review, "csv").encode(), filename="export.csv")
    assert sorted(r.title for r in records) == [f"Invented record {i}" for i in range(3)]


@pytest.mark.parametrize(
    ("allocation", "said"),
    [
        (Allocation.DUAL, "Dubbelgranskning"),
        (Allocation.SINGLE, "Enkelgranskning"),
        (Allocation.DUAL_SHARE, "slumpvis"),
    ],
)
def test_the_prisma_download_states_the_allocation_mode(
    reviewer, second_reviewer, allocation, said
):
    review, _refs = _review(reviewer, second_reviewer, allocation)
    svg = reviewer.get(reverse("literature:prisma_svg", args=[review.slug])).content.decode()
    assert said in svg
