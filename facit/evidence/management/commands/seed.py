from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from facit.evidence.seed import EXTRACTIONS_FILE, SEED_FILE, SeedError, seed_interventions


class Command(BaseCommand):
    help = (
        "Load the verified seed data and the provisional extraction of its evaluations "
        "(idempotent; what reviewers confirmed stays). A broken entry is named and nothing is loaded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interventions", type=Path, default=SEED_FILE)
        parser.add_argument("--extractions", type=Path, default=EXTRACTIONS_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = seed_interventions(options["interventions"], options["extractions"])
        except SeedError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        self.stdout.write(f"Loaded {count} interventions from {options['interventions']}.")
        self.stdout.write(f"Loaded the provisional extraction from {options['extractions']}.")
        self._distribution()
        for hook in self._other_seeds():
            self.stdout.write(hook())

    def _distribution(self) -> None:
        from facit.evidence.levels_text import level_label
        from facit.evidence.models import Intervention

        rows = Intervention.objects.values_list("evidence_level", "level_provisional")
        counts = Counter(rows)
        self.stdout.write("Evidence levels (provisional = rests on the one-extractor reading):")
        for level in range(1, 8):
            provisional, other = counts[(level, True)], counts[(level, False)]
            if provisional or other:
                self.stdout.write(
                    f"  level {level} ({level_label(level)}): {provisional + other}"
                    f" ({provisional} provisional)"
                )

    def _other_seeds(self) -> list[Any]:
        """Other domains register their seed functions in facit.core.seeds."""
        from facit.core.seeds import registered_seeds

        return registered_seeds()
