"""Leave-one-dataset-out model choice for the screening ranker (helper of bench_screening).

Every candidate model is simulated on every labelled dataset in ``data/screening`` with
the same seeded priors as ASReview's default model. For each held-out dataset the
candidate with the best score on the *other* datasets is chosen, and only then is its
score on the held-out dataset read. The selection score is the worst (lowest) per-dataset
mean WSS@95 gain over ASReview, ties broken by the mean gain: a model is preferred for
never losing, not for a high average carried by a few datasets.

Simulations stop once ceil(0.95·R) relevant records are found and ceil(0.10·N) records are
screened: nothing after that changes WSS@95 or recall@10%, and the last few relevant
records can take most of a full run.
"""

from __future__ import annotations

import csv
import json
import os
import statistics
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from facit.literature.ranking import (
    Ranker,
    RankerConfig,
    ceil_fraction,
    draw_priors,
    labelled_columns,
    read_labelled_csv,
    recall_at,
    screened_until,
    wss,
)

ROOT = Path(__file__).resolve().parents[1]
# Every labelled CSV in data/screening takes part: a dataset dropped there joins the
# leave-one-dataset-out table without any change here. FACIT_SCREENING_DATA names another
# folder of labelled CSVs (data/screening's columns, or the names ASReview reads) to run on
# instead.
DATA = Path(os.environ.get("FACIT_SCREENING_DATA") or ROOT / "data" / "screening")
DATASETS = tuple(sorted(path.stem for path in DATA.glob("*.csv")))
VENV = Path(__file__).resolve().parent / ".venv-asreview"
DRIVER = Path(__file__).resolve().parent / "_asreview_driver.py"
ASREVIEW_VERSION = "3.0.8"
# asreview 3.x declares Python 3.10–3.13; prefer 3.12, the most settled of those here.
PYTHONS = (
    "/root/.pyenv/versions/3.12.1/bin/python3",
    "/root/.pyenv/versions/3.13.0/bin/python3",
)

# The candidates the leave-one-dataset-out choice picks from. All start from ASReview's
# own default (ELAS u4: word 1-2-gram TF-IDF, linear SVM, balanced weights); each adds
# one idea from the screening literature. Explored too, with a cheaper batched
# simulation, and dropped before this list as clearly worse or too slow: balance ratios
# 3 and 30, SVM C 0.3, character 3-5-grams (alone or as a committee member; 5x slower),
# logistic regression as a member (slow), naive Bayes at equal weight.
CANDIDATES: dict[str, RankerConfig] = {
    "elas_u4": RankerConfig.asreview_default(),
    "svm+nb_2:1": RankerConfig(classifiers=("svm", "nb"), member_weights=(2.0, 1.0)),
    "svm+nb_3:1": RankerConfig(classifiers=("svm", "nb"), member_weights=(3.0, 1.0)),
    "svm+nb_late10": RankerConfig(
        classifiers=("svm", "nb"), member_weights=(2.0, 1.0), nb_min_inclusions=10
    ),
    "svm_committee_C": RankerConfig(
        classifiers=("svm", "svm", "svm"),
        member_weights=(1.0, 1.0, 1.0),
        member_c=(0.04, 0.11, 0.3),
    ),
}


@dataclass(frozen=True)
class Run:
    """One simulated review: WSS@95 and recall@10% from one seed's priors."""

    wss95: float
    recall10: float


def priors_for(name: str, seed: int) -> tuple[int, int]:
    _, labels = load(name)
    return draw_priors(labels, seed=seed)


_loaded: dict[str, tuple[list[str], list[int]]] = {}


def load(name: str) -> tuple[list[str], list[int]]:
    if name not in _loaded:
        _loaded[name] = read_labelled_csv(DATA / f"{name}.csv")
    return _loaded[name]


def score_order(labels_in_order: Sequence[int], n_total: int, n_relevant: int) -> Run:
    to_95 = screened_until(labels_in_order, found=ceil_fraction(0.95, n_relevant)) or n_total
    return Run(
        wss95=wss(max(to_95, 2), n_total=n_total),
        recall10=recall_at(labels_in_order, n_total=n_total, n_relevant=n_relevant),
    )


def stop_point(n_total: int, n_relevant: int) -> tuple[int, int]:
    """Relevant records to find and records to screen before the metrics are settled."""
    return ceil_fraction(0.95, n_relevant), ceil_fraction(0.10, n_total)


def simulate_ours(
    name: str, seed: int, config: RankerConfig, *, batch: int = 1, ranker: Ranker | None = None
) -> Run:
    """The data/screening/README.md protocol for facit's ranker, stopped when settled.

    ``batch`` > 1 labels that many top records per retrain: a cheaper approximation for
    exploring models, never used for the reported figures. ``ranker``: an exploration's own
    Ranker (its features are fitted here) instead of one built from ``config``.
    """
    texts, labels = load(name)
    y = np.asarray(labels, dtype=np.int64)
    need_found, need_screened = stop_point(len(y), int(y.sum()))
    ranker = ranker or Ranker(config)
    ranker.fit_features(texts)
    screened = list(priors_for(name, seed))
    found = int(y[screened].sum())
    while (found < need_found or len(screened) < need_screened) and len(screened) < len(y):
        indices = np.asarray(screened, dtype=np.int64)
        scores = ranker.scores(indices, y[indices])
        scores[indices] = -np.inf
        if batch == 1:
            chosen = [int(np.argmax(scores))]  # first maximum: ties go to the lowest index
        else:
            chosen = np.argsort(-scores, kind="stable")[:batch].tolist()
            chosen = chosen[: len(y) - len(screened)]
        screened.extend(chosen)
        found += int(y[chosen].sum())
    return score_order(y[screened].tolist(), len(y), int(y.sum()))


def asreview_python() -> Path:
    """The venv's interpreter, creating the venv and installing asreview if needed."""
    python = VENV / "bin" / "python"
    if python.exists():
        return python
    base = next((p for p in PYTHONS if Path(p).exists()), None)
    if base is None:
        raise SystemExit("no Python 3.12 or 3.13 found for the ASReview baseline venv")
    print(f"creating {VENV} with {base} and installing asreview {ASREVIEW_VERSION} ...", flush=True)
    subprocess.run([base, "-m", "venv", str(VENV)], check=True)
    # Run from the venv, not the repository: `python -m pip` puts the working directory on
    # sys.path, where facit.egg-info made pip report facit's own requirements as missing.
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", f"asreview=={ASREVIEW_VERSION}"],
        check=True,
        cwd=VENV,
    )
    return python


def run_asreview(
    csv_path: Path,
    priors: Sequence[int],
    *,
    max_labeled: int | None = None,
    stop_found: int | None = None,
    min_labeled: int = 0,
) -> dict:
    request: dict = {"csv": str(csv_path), "priors": list(priors), "min_labeled": min_labeled}
    if max_labeled is not None:
        request["max_labeled"] = max_labeled
    if stop_found is not None:
        request["stop_found"] = stop_found
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    done = subprocess.run(
        [str(asreview_python()), str(DRIVER)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=tempfile.gettempdir(),  # asreview writes a cache file into its cwd
    )
    return json.loads(done.stdout)


def _normalised_csv(name: str) -> Path:
    """The dataset with the columns the ASReview driver reads (title, abstract,
    label_included), whatever names the file used; the values as read, record order kept."""
    source = DATA / f"{name}.csv"
    with open(source, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    columns = labelled_columns(list(rows[0]) if rows else [])
    title, abstract = columns["title"], columns["abstract"]
    _, labels = load(name)
    out = Path(tempfile.gettempdir()) / f"facit-screening-{os.getpid()}-{name}.csv"
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "abstract", "label_included"])
        for row, label in zip(rows, labels, strict=True):
            writer.writerow([row[title] if title else "", row[abstract] if abstract else "", label])
    return out


def simulate_asreview(name: str, seed: int) -> Run:
    _, labels = load(name)
    inc, exc = priors_for(name, seed)
    need_found, need_screened = stop_point(len(labels), sum(labels))
    theirs = run_asreview(
        _normalised_csv(name), [inc, exc], stop_found=need_found, min_labeled=need_screened
    )
    if theirs["asreview_version"] != ASREVIEW_VERSION:
        raise SystemExit(f"expected asreview {ASREVIEW_VERSION}, got {theirs['asreview_version']}")
    if theirs["order"][:2] != [inc, exc]:
        raise SystemExit(f"{name}: ASReview did not start from the priors {inc}, {exc}")
    return score_order(theirs["labels_in_order"], len(labels), sum(labels))


@dataclass
class Table:
    """Mean WSS@95 per (model, dataset) over the seeds, ASReview as model "asreview"."""

    wss: dict[str, dict[str, float]]
    recall10: dict[str, dict[str, float]]

    def gain(self, model: str, dataset: str) -> float:
        return self.wss[model][dataset] - self.wss["asreview"][dataset]


def collect(
    models: dict[str, RankerConfig],
    datasets: Iterable[str],
    seeds: Sequence[int],
    *,
    log: Callable[[str], object] = print,
) -> Table:
    wss_table: dict[str, dict[str, float]] = {"asreview": {}, **{m: {} for m in models}}
    r10_table: dict[str, dict[str, float]] = {"asreview": {}, **{m: {} for m in models}}
    for name in datasets:
        runs: dict[str, list[Run]] = {"asreview": [simulate_asreview(name, s) for s in seeds]}
        for model, config in models.items():
            runs[model] = [simulate_ours(name, s, config) for s in seeds]
        for model, model_runs in runs.items():
            wss_table[model][name] = statistics.mean(r.wss95 for r in model_runs)
            r10_table[model][name] = statistics.mean(r.recall10 for r in model_runs)
        log(
            f"  {name}: " + " ".join(f"{model}={wss_table[model][name]:.4f}" for model in runs),
        )
    return Table(wss_table, r10_table)


def selection_key(table: Table, model: str, datasets: Iterable[str]) -> tuple[float, float]:
    gains = [table.gain(model, d) for d in datasets]
    return (min(gains), statistics.mean(gains))


def choose(table: Table, models: Iterable[str], datasets: Sequence[str]) -> str:
    return max(models, key=lambda m: selection_key(table, m, datasets))


def leave_one_out(table: Table, models: Sequence[str], datasets: Sequence[str]) -> dict[str, str]:
    """Held-out dataset -> the model chosen on all the others."""
    return {held: choose(table, models, [d for d in datasets if d != held]) for held in datasets}
