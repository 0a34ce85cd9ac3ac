from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Import HSDS 3.0 data: a JSON object, list or *_package, a directory of such files, "
        "or a tabular data package (directory or zip). Everything is validated first. Schema "
        "errors refuse the import whole, each listed with its JSON path or CSV row and "
        "column. Referential and semantic problems in schema-valid data (a parent not in the "
        "data, a coordinate out of range) are warnings: the offending value is dropped and the "
        "rest imported. --strict refuses those too."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument(
            "--strict",
            action="store_true",
            help="refuse the import on referential and semantic problems too (all or nothing)",
        )

    def handle(self, *args: Any, path: str, strict: bool = False, **options: Any) -> None:
        from facit.directory.hsds import HsdsValidationError
        from facit.directory.services import hsds_import

        if not Path(path).exists():
            raise CommandError(f"{path}: no such file or directory")
        try:
            summary = hsds_import(path=path, actor=None, strict=strict)
        except HsdsValidationError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} problem(s); nothing was imported.") from None
        for warning in summary.warnings:
            self.stderr.write(f"warning: {warning} (dropped)")
        self.stdout.write(str(summary))
        if summary.warnings:
            self.stdout.write(f"{len(summary.warnings)} warning(s); see above.")
