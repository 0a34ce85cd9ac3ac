"""Invented demonstration review (FACIT_DEMO only), so screening can be tried at once: the two
demo reviewers screen the evaluations in facit's own registry, imported as a RIS file through
the same import service as an upload. The review's title, question and criteria are invented
and say so; the records are the registry's citations (from data/, with their sources)."""

from __future__ import annotations

import rispy

from facit.evidence.citations import author_names

DEMO_TITLE = "Demo: Utvärderingar i facits register (påhittad översikt)"
DEMO_SLUG = "demo-utvarderingar"


def _registry_as_ris() -> bytes:
    from facit.evidence.models import Evaluation

    entries = []
    for evaluation in Evaluation.objects.published().order_by("pk"):
        entry: dict[str, str | list[str]] = {
            "type_of_reference": "JOUR",
            "title": evaluation.title_shown,
        }
        names = author_names(evaluation.authors)
        optional: dict[str, str | list[str] | None] = {
            "authors": [names] if names else None,
            "year": str(evaluation.year) if evaluation.year else None,
            "journal_name": evaluation.journal or None,
            "doi": evaluation.doi or None,
            "abstract": evaluation.main_outcome or None,
        }
        entry.update({key: value for key, value in optional.items() if value})
        entries.append(entry)
    return rispy.dumps(entries).encode()


def demo_review_load() -> str:
    from facit.accounts.models import User
    from facit.literature.imports.services import batch_create, references_import
    from facit.literature.models import Review
    from facit.literature.services import review_create, review_member_add

    first = User.objects.filter(username="demo-reviewer").first()
    second = User.objects.filter(username="demo-reviewer-2").first()
    if first is None or Review.objects.filter(slug=DEMO_SLUG).exists():
        return "literature: demo review already present or no demo reviewer"
    data = _registry_as_ris()
    if not data.strip():
        return "literature: no published evaluations to screen; run manage.py seed first"
    review = review_create(
        title=DEMO_TITLE,
        slug=DEMO_SLUG,
        question=(
            "Påhittad demonstrationsfråga: vilka av registrets utvärderingar mäter om en insats "
            "förebygger att barn utsätts för sexuella brott?"
        ),
        inclusion_criteria="Påhittat exempel: utvärderingen redovisar ett utfall hos barn.",
        exclusion_criteria="Påhittat exempel: utvärderingen redovisar inget utfall.",
        actor=first,
        highlight_include="children\nprevention",
        highlight_exclude="adults",
    )
    if second is not None:
        review_member_add(review=review, user=second, actor=first)
    batch = batch_create(
        review=review, data=data, filename="facit-register.ris", fmt="ris", actor=first
    )
    summary = references_import(batch=batch)
    return f"literature: invented demo review with {summary.imported} records created"
