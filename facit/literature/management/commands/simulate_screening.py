"""Simulate active-learning screening on a labelled dataset and report how much work it saves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

KEYS = (
    "records",
    "included",
    "wss95",
    "recall_at_10pct",
    "screened_to_95",
    "screened_to_100",
    "seconds",
)


class Command(BaseCommand):
    help = (
        "Replay screening of DATA.csv (columns title, abstract, label_included) with the "
        "ranking model, starting from one included and one excluded record drawn with --seed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("data", help="CSV with title, abstract and label_included")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        from facit.literature.ranking import RankingError, simulate_csv

        path = Path(options["data"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            result = dict(simulate_csv(path, seed=options["seed"]))
        except RankingError as exc:
            raise CommandError(str(exc)) from exc
        summary = {key: result[key] for key in KEYS}
        if options["json"]:
            self.stdout.write(json.dumps(summary))
            return
        for key in KEYS:
            self.stdout.write(f"{key}: {summary[key]}")
