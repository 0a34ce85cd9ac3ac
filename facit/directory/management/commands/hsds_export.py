from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Export the published directory as HSDS 3.0: DIR/json/<kind>_list.json and the "
        "tabular data package in DIR/tabular/. Protected addresses are never exported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir")

    def handle(self, *args: Any, dir: str, **options: Any) -> None:
        from facit.directory.hsds_io import export_all

        written = export_all(Path(dir))
        for path in written:
            self.stdout.write(str(path))
