from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Import HSDS 3.0 data: a JSON object, list or *_package, a directory of such files, "
        "or a tabular data package (directory or zip). Everything is validated first; on any "
        "problem each one is listed with its JSON path or CSV row and column, and nothing "
        "is imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        from facit.directory.hsds import HsdsValidationError
        from facit.directory.hsds_io import import_path

        if not Path(path).exists():
            raise CommandError(f"{path}: no such file or directory")
        try:
            summary = import_path(path)
        except HsdsValidationError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} problem(s); nothing was imported.") from None
        self.stdout.write(str(summary))
