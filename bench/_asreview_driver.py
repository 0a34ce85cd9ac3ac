"""Runs ASReview LAB's default model inside its own venv (bench/.venv-asreview).

Called by bench_screening.py through a subprocess: a JSON request on stdin, a JSON
answer on stdout. Never imported by facit.
"""

import json
import sys
import time

import numpy as np
import pandas as pd
from asreview import ActiveLearningCycle
from asreview.models.models import get_ai_config
from asreview.simulation.simulate import Simulate


class _SettledStopper:
    """Stop once ``found`` relevant records are labelled and at least ``labeled`` in all,
    or after ``most`` labels: the metrics the benchmark reads cannot change after that."""

    def __init__(self, found: int | None, labeled: int, most: int | None) -> None:
        self.found, self.labeled, self.most = found, labeled, most

    def stop(self, results, labels) -> bool:
        n = len(results)
        if n >= len(labels) or (self.most is not None and n >= self.most):
            return True
        if self.found is None:
            return int(results["label"].sum()) >= int(np.sum(labels))
        return int(results["label"].sum()) >= self.found and n >= self.labeled


def main() -> None:
    request = json.load(sys.stdin)
    np.random.seed(request.get("seed", 0))
    frame = pd.read_csv(request["csv"])
    labels = frame["label_included"].astype(int).to_numpy()
    config = get_ai_config()
    cycle = ActiveLearningCycle.from_meta(config["value"])
    stopper = _SettledStopper(
        request.get("stop_found"), request.get("min_labeled", 0), request.get("max_labeled")
    )
    sim = Simulate(
        frame[["title", "abstract"]],
        labels,
        cycles=[cycle],
        stopper=stopper,
        print_progress=False,
    )
    for index in request["priors"]:
        sim.label([int(index)])
    started = time.perf_counter()
    sim.review()
    seconds = time.perf_counter() - started
    results = sim._results
    times = results["time"].to_numpy()[len(request["priors"]) :]
    step_times = np.diff(times) if len(times) > 1 else np.array([seconds])
    json.dump(
        {
            "model": config["name"],
            "asreview_version": __import__("asreview").__version__,
            "order": results["record_id"].astype(int).tolist(),
            "labels_in_order": results["label"].astype(int).tolist(),
            "seconds": seconds,
            "seconds_per_step": float(np.median(step_times)),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
