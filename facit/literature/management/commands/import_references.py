"""Import a reference file into a review from the command line, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from facit.literature.models import Review

FORMATS = ["ris", "bibtex", "pubmed", "csv", "openalex"]


class Command(BaseCommand):
    help = (
        "Import RIS, BibTeX, PubMed/MEDLINE, CSV or OpenAlex JSON into a review. Prints a "
        "JSON summary (imported, duplicates, errors); exits non-zero when the file has an "
        "error, in which case nothing is imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--review", required=True, help="slug of the review")
        parser.add_argument("file", help="path of the file to import")
        parser.add_argument("--format", choices=FORMATS, default=None, dest="fmt")
        parser.add_argument("--source", default="", help="database or source, for PRISMA")

    def handle(self, *args: Any, **options: Any) -> None:
        from facit.literature.imports.services import batch_create, references_import

        review = Review.objects.filter(slug=options["review"]).first()
        if review is None:
            raise CommandError(f"no review with the slug {options['review']!r}")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        batch = batch_create(
            review=review,
            data=b"",  # read here, so the file is not also stored in the database
            filename=path.name,
            fmt=options["fmt"] or "",
            source=options["source"] or path.name,
        )
        summary = references_import(batch=batch, data=data)
        self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False))
        if summary.errors:
            raise CommandError(f"{path.name}: {summary.errors[0]['message']}; nothing was imported")
