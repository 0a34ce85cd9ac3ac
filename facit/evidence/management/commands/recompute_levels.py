from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from facit.core.jobs import job_start
from facit.evidence.registry.services import interventions_recompute_all
from facit.evidence.tasks import recompute_levels


class Command(BaseCommand):
    help = "Recompute every intervention's evidence level (after a change of the rules)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--background", action="store_true", help="enqueue as a background job")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["background"]:
            job = job_start(
                kind="evidence.recompute_levels", task=recompute_levels, label="Recompute levels"
            )
            self.stdout.write(f"Enqueued job {job.pk}")
            return
        self.stdout.write(f"Recomputed {interventions_recompute_all()} interventions.")
