"""Results of the screening model search (helper of the ``_screening_*`` exploration
scripts; not run by make bench): one JSON line per simulated review, and the one report
they all print.

A line is ``{"rule": ..., "dataset": ..., "seed": ..., "wss95": ...}``. The report gives
each rule's mean WSS@95 gain over the baseline per dataset (over the seeds both have), its
mean, worst case and datasets at or above, and the leave-one-dataset-out choice: for each
held-out dataset, among the baseline (gain 0) and the rules run on every dataset, the best
worst-case gain on the other datasets, ties by the mean gain and then to the baseline.
"""

from __future__ import annotations

import json
import statistics
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from bench._screening_lodo import DATASETS

BASE = "elas_u4"


def run(
    path: Path,
    rules: list[str],
    seeds: list[int],
    datasets: list[str],
    simulate: Callable[[str, int, str], float],
) -> None:
    """Simulate each (rule, dataset, seed) not yet in ``path`` and append its line; the
    baseline is run beside the rules, so every gain has its pair."""
    done = set()
    if path.exists():
        for line in path.read_text().splitlines():
            row = json.loads(line)
            done.add((row["rule"], row["dataset"], row["seed"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    for seed in seeds:
        for name in datasets:
            for rule in dict.fromkeys([BASE, *rules]):
                if (rule, name, seed) in done:
                    continue
                row = {"rule": rule, "dataset": name, "seed": seed}
                row["wss95"] = simulate(name, seed, rule)
                with path.open("a") as out:
                    out.write(json.dumps(row) + "\n")
                print(json.dumps(row), flush=True)


def report(path: Path, title: str, order: tuple[str, ...] = ()) -> None:
    """Print the gain table (markdown, seeds in brackets) and the leave-one-out choice."""
    wss: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for line in path.read_text().splitlines():
        row = json.loads(line)
        wss[(row["rule"], row["dataset"])][row["seed"]] = row["wss95"]
    seen = {rule for rule, _ in wss} - {BASE}
    rules = [r for r in order if r in seen] + sorted(seen - set(order))
    gains: dict[str, dict[str, float]] = defaultdict(dict)
    seeds: dict[str, dict[str, int]] = defaultdict(dict)
    for rule in rules:
        for name in DATASETS:
            common = sorted(set(wss[(rule, name)]) & set(wss[(BASE, name)]))
            if common:
                gains[rule][name] = statistics.mean(
                    wss[(rule, name)][s] - wss[(BASE, name)][s] for s in common
                )
                seeds[rule][name] = len(common)
    complete = [r for r in rules if len(gains[r]) == len(DATASETS)]
    print(f"{title}: WSS@95 gain over {BASE}, mean over the seeds both have [seeds]")
    print("| held-out dataset | LODO choice | held-out gain | " + " | ".join(rules) + " |")
    for name in DATASETS:
        rest = [d for d in DATASETS if d != name]

        def key(rule: str, rest: list[str] = rest) -> tuple[float, float]:
            g = [0.0 if rule == BASE else gains[rule][d] for d in rest]
            return (min(g), statistics.mean(g))

        choice = max([BASE, *complete], key=key)
        held = 0.0 if choice == BASE else gains[choice][name]
        cells = " | ".join(
            f"{gains[r][name]:+.3f} ({seeds[r][name]})" if name in gains[r] else "–" for r in rules
        )
        print(f"| {name} | {choice} | {held:+.3f} | {cells} |")
    summaries: tuple[tuple[str, Callable[[list[float]], object]], ...] = (
        ("mean", lambda g: f"{statistics.mean(g):+.3f}"),
        ("worst", lambda g: f"{min(g):+.3f}"),
        ("at or above", lambda g: f"{sum(x >= 0 for x in g)}/{len(g)}"),
    )
    for label, summary in summaries:
        cells = " | ".join(
            str(summary(list(gains[r].values()))) if gains[r] else "–" for r in rules
        )
        print(f"| **{label}** | | | {cells} |")


def main(
    path: Path,
    title: str,
    simulate: Callable[[str, int, str], float],
    order: tuple[str, ...] = (),
) -> None:
    """The scripts' command line: ``RULE[,RULE...] SEED[,SEED...] [DATASET,...]`` runs the
    missing simulations; ``--report`` prints the table."""
    args = sys.argv[1:]
    if args == ["--report"]:
        report(path, title, order)
        return
    datasets = args[2].split(",") if len(args) > 2 else list(DATASETS)
    run(path, args[0].split(","), [int(s) for s in args[1].split(",")], datasets, simulate)
