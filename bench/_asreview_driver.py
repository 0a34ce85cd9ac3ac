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


def main() -> None:
    request = json.load(sys.stdin)
    np.random.seed(request.get("seed", 0))
    frame = pd.read_csv(request["csv"])
    labels = frame["label_included"].astype(int).to_numpy()
    config = get_ai_config()
    cycle = ActiveLearningCycle.from_meta(config["value"])
    max_labeled = request.get("max_labeled")
    sim = Simulate(
        frame[["title", "abstract"]],
        labels,
        cycles=[cycle],
        stopper=max_labeled,
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
