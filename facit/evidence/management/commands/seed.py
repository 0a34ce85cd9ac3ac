from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from facit.evidence.seed import SEED_FILE, SeedError, seed_interventions


class Command(BaseCommand):
    help = (
        "Load the verified seed data (idempotent). A broken entry is named and nothing is loaded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interventions", type=Path, default=SEED_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = seed_interventions(options["interventions"])
        except SeedError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        self.stdout.write(f"Loaded {count} interventions from {options['interventions']}.")
        for hook in self._other_seeds():
            self.stdout.write(hook())

    def _other_seeds(self) -> list[Any]:
        """Other domains register their seed functions in facit.core.seeds."""
        from facit.core.seeds import registered_seeds

        return registered_seeds()
