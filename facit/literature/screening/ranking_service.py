"""Active learning for screening: rank unscreened references by predicted relevance.

The text features of a review (TF-IDF over title and abstract) are fitted once and cached,
in this process and on disk, keyed by the model's identity and the set of references; only the classifier is
retrained as decisions arrive. Retraining always runs as a background job (Django's tasks
API), never inside the request or the decision's transaction: a decision is a short
transaction on one reference row, and the ranking's writes to many rows cannot deadlock
with it. Runs of one review are serialised on the review's row.

"Relevant" for training and for the stopping aid means: included at title/abstract, or,
while not settled, included or marked maybe by a reviewer.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from facit.accounts.models import User
from facit.core.jobs import JobsUnavailable, job_start
from facit.core.models import Job
from facit.literature.models import Outcome, Reference, Review, ScreeningDecision, Stage
from facit.literature.ranking import Ranker, RankerConfig, RankingError, stopping_stats

logger = logging.getLogger(__name__)

TOP = 500  # relevance is stored for the best-ranked unscreened references only
RECALL_TARGET = 0.95
CONFIDENCE = 0.95
WINDOW = 100

_cache: dict[int, tuple[str, Ranker]] = {}
_lock = threading.Lock()


def _corpus(review: Review) -> tuple[list[int], list[str]]:
    rows = review.references.unique().order_by("id").values_list("id", "title", "abstract")
    ids = [r[0] for r in rows]
    return ids, [f"{r[1]} {r[2]}" for r in rows]


def model_config() -> RankerConfig:
    """The model that ranks every review (one place, so a test can swap it)."""
    return RankerConfig()


def _fingerprint(ids: list[int], config: RankerConfig) -> str:
    """Names the fitted features: the model's identity and the set of references. A
    changed model (config, version or scikit-learn) gives a new name, so features saved by
    the old model are never reused."""
    digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:20]
    return f"{config.identity()}-{digest}"


def _cache_dir(review: Review, fingerprint: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "ranking" / f"review-{review.pk}" / fingerprint


def _drop_other_caches(directory: Path) -> None:
    """Remove the review's features saved for other references or by other models."""
    with contextlib.suppress(OSError):
        for sibling in directory.parent.iterdir():
            if sibling != directory and sibling.is_dir():
                shutil.rmtree(sibling, ignore_errors=True)


def features_for(review: Review) -> tuple[list[int], Ranker]:
    """The fitted features of the review's current references, from cache when possible."""
    ids, texts = _corpus(review)
    config = model_config()
    fingerprint = _fingerprint(ids, config)
    with _lock:
        cached = _cache.get(review.pk)
        if cached is not None and cached[0] == fingerprint:
            return ids, cached[1]
        directory = _cache_dir(review, fingerprint)
        try:
            ranker = Ranker.load(directory, expected=config)
        except RankingError:
            ranker = Ranker(config)
            ranker.fit_features(texts)
            # The in-process cache still works without the disk; the disk is only a speed-up.
            with contextlib.suppress(OSError):
                ranker.save(directory)
            _drop_other_caches(directory)
        _cache[review.pk] = (fingerprint, ranker)
        return ids, ranker


def screening_labels(review: Review) -> tuple[dict[int, int], list[int]]:
    """Label per screened reference (1 relevant, 0 not) and labels in screening order."""
    refs = dict(review.references.unique().values_list("id", "ta_outcome"))
    first_seen: dict[int, Any] = {}
    votes: dict[int, set[str]] = {}
    rows = (
        ScreeningDecision.objects.filter(reference_id__in=list(refs), stage=Stage.TITLE_ABSTRACT)
        .order_by("created_at", "id")
        .values_list("reference_id", "decision", "created_at")
    )
    for ref_id, decision, at in rows:
        first_seen.setdefault(ref_id, at)
        votes.setdefault(ref_id, set()).add(decision)
    labels: dict[int, int] = {}
    for ref_id in first_seen:
        outcome = refs[ref_id]
        if outcome in (Outcome.INCLUDE, Outcome.EXCLUDE):
            labels[ref_id] = int(outcome == Outcome.INCLUDE)
        else:
            labels[ref_id] = int(bool(votes[ref_id] & {"include", "maybe"}))
    order = sorted(first_seen, key=lambda r: first_seen[r])
    return labels, [labels[r] for r in order]


def review_rank(*, review_id: int, progress: Callable[..., None] | None = None) -> dict[str, Any]:
    """Retrain on the decisions so far, store relevance of the best unscreened references,
    and the stopping aid. Returns the state that the screening page shows."""
    started = time.perf_counter()
    review = Review.objects.get(pk=review_id)
    if progress:
        progress(0, 3, "features")
    ids, ranker = features_for(review)
    labels, in_order = screening_labels(review)
    index = {pk: i for i, pk in enumerate(ids)}
    state: dict[str, Any] = {"updated_at": timezone.now().isoformat(), "trained_on": len(labels)}
    if not ids or not labels:
        state.update(ready=False, seconds=time.perf_counter() - started)
        _save_state(review, state)
        return state
    if progress:
        progress(1, 3, "training")
    result = ranker.rank({index[pk]: y for pk, y in labels.items() if pk in index})
    stats = stopping_stats(
        in_order, len(ids), recall_target=RECALL_TARGET, confidence=CONFIDENCE, window=WINDOW
    )
    state.update(
        ready=True,
        n_total=stats.n_total,
        n_screened=stats.n_screened,
        n_relevant=stats.n_included,
        since_last_inclusion=stats.since_last_inclusion,
        estimated_recall=stats.estimated_recall,
        recall_interval=list(stats.recall_interval) if stats.recall_interval else None,
        recall_lower_bound=stats.recall_lower_bound,
        estimated_missing=stats.estimated_missing,
        curve=recall_curve(in_order),
        p_value=stats.p_value,
        stop=stats.stop,
        codes=list(stats.codes),
        seconds=time.perf_counter() - started,
    )
    with transaction.atomic():  # the relevance scores and the state they belong to, together
        _store_relevance(review, [(ids[i], float(result.scores[i])) for i in result.order[:TOP]])
        _save_state(review, state)
    if progress:
        progress(3, 3, "done")
    return state


CURVE_POINTS = 40


def recall_curve(labels_in_order: list[int]) -> list[list[int]]:
    """[screened, relevant found] after each of at most CURVE_POINTS steps, from (0, 0)."""
    n = len(labels_in_order)
    if n == 0:
        return [[0, 0]]
    steps = sorted({round(n * i / CURVE_POINTS) for i in range(1, CURVE_POINTS + 1)})
    found, points, done = 0, [[0, 0]], 0
    for step in steps:
        found += sum(labels_in_order[done:step])
        done = step
        points.append([step, found])
    return points


@transaction.atomic
def _store_relevance(review: Review, scored: list[tuple[int, float]]) -> None:
    # Two runs of one review wait for each other here; decisions never lock the review row,
    # so they never wait for a run, and a run only ever waits for them (no cycle).
    Review.objects.select_for_update().filter(pk=review.pk).first()
    Reference.objects.filter(review=review, relevance__isnull=False).update(relevance=None)
    table = connection.ops.quote_name(Reference._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET relevance = %s WHERE id = %s",  # noqa: S608 (table name from metadata)
            sorted((score, pk) for pk, score in scored),
        )


@transaction.atomic
def _save_state(review: Review, state: dict[str, Any]) -> None:
    # Read the job marker from the locked row, not from this run's stale copy, so that a
    # run finishing while another is being queued loses neither the state nor the marker.
    fresh = Review.objects.select_for_update().get(pk=review.pk).ranking_state
    if fresh.get("job"):
        state["job"] = fresh["job"]
    if fresh.get("refresh_pending"):  # a later decision's refresh is still owed
        state["refresh_pending"] = True
    Review.objects.filter(pk=review.pk).update(ranking_state=state)
    review.ranking_state = state


def ranking_start(*, review: Review, actor: User, while_running: bool = False) -> Job | None:
    """Retrain in the background unless a run is already queued or running (with
    `while_running`, a run already under way does not count: it may have missed news)."""
    from facit.literature.tasks import rank_references_task

    with transaction.atomic():  # the job is enqueued when this commits
        fresh = Review.objects.select_for_update().get(pk=review.pk)
        running = fresh.ranking_state.get("job")
        busy = [Job.Status.QUEUED] if while_running else [Job.Status.QUEUED, Job.Status.RUNNING]
        if running and Job.objects.filter(pk=running, status__in=busy).exists():
            review.ranking_state = fresh.ranking_state
            return None
        job = job_start(
            kind="literature.rank",
            task=rank_references_task,
            created_by=actor,
            label=_("Ranking of %(review)s") % {"review": review.title},
            review_id=review.pk,
        )
        state = {**fresh.ranking_state, "job": str(job.pk)}
        Review.objects.filter(pk=review.pk).update(ranking_state=state)
    review.ranking_state = state
    return job


def ranking_maybe_refresh(*, review: Review, actor: User) -> bool:
    """After a decision (committed): retrain in the background unless a run is waiting.
    A run that is already queued will see this decision too.

    When the task queue is unreachable the decision stays saved and nothing fails: the
    review is marked `refresh_pending`, and the refresh is queued by the next decision or
    the next view of the screening page that finds the queue back (`ranking_retry_pending`).
    A run reads every decision made so far, so one late run catches up on all of them.
    Returns False when the refresh had to be put off."""
    review.refresh_from_db(fields=["ranking_state"])
    try:
        ranking_start(review=review, actor=actor, while_running=True)
    except JobsUnavailable:
        _mark_refresh_pending(review, pending=True)
        logger.warning("ranking refresh put off: queue unavailable", extra={"review": review.pk})
        return False
    if review.ranking_state.get("refresh_pending"):
        _mark_refresh_pending(review, pending=False)
    return True


def ranking_retry_pending(*, review: Review, actor: Any) -> bool:
    """Queue a refresh put off while the queue was down; True when one is still owed."""
    if not review.ranking_state.get("refresh_pending"):
        return False
    return not ranking_maybe_refresh(review=review, actor=actor)


def _mark_refresh_pending(review: Review, *, pending: bool) -> None:
    with transaction.atomic():
        fresh = Review.objects.select_for_update().get(pk=review.pk)
        state = dict(fresh.ranking_state)
        if pending:
            state["refresh_pending"] = True
        else:
            state.pop("refresh_pending", None)
        Review.objects.filter(pk=review.pk).update(ranking_state=state)
    review.ranking_state = state


_ADVICE = {
    "target_met": lambda: _(
        "The statistical stopping rule is met: with 95 percent confidence, at least 95 percent of the relevant references have been found. Stopping now is defensible."
    ),
    "keep_screening": lambda: _(
        "Keep screening: the statistical stopping rule cannot yet rule out that fewer than 95 percent of the relevant references have been found."
    ),
    "all_screened": lambda: _("Every reference has been screened."),
    "no_inclusions_yet": lambda: _("Nothing has been included yet, so recall cannot be estimated."),
}


def assumptions() -> list[str]:
    return [
        _(
            "Relevant means included at title and abstract, or, while undecided, included or marked maybe by a reviewer."
        ),
        _(
            "The estimated recall follows how the share of relevant references has fallen along the screening order: two curves, one with a long tail of late finds and one with a short tail, are fitted to every decision and extended over the references not yet screened. The interval holds the uncertainty of the curves and of chance, and never claims more than the stopping rule can confirm."
        ),
        _(
            "Checked against simulated reviews where the truth is known: the 90 percent interval held the true recall in most of them, and the estimate errs low rather than high."
        ),
        _(
            "The stopping rule (Callaghan and Müller-Hansen 2020, Systematic Reviews 9:273) treats recently screened references as a random draw from themselves and the unscreened ones; this is conservative when the ranking works."
        ),
        _(
            "A long run of exclusions alone is a hint, not a reason to stop. The ranking learns only from your decisions; it can miss relevant references written in words it has not seen included."
        ),
    ]


def ranking_status(review: Review) -> dict[str, Any]:
    """What the screening page shows about ranking and stopping."""
    state = dict(review.ranking_state)
    job = None
    if state.get("job"):
        job = Job.objects.filter(pk=state["job"]).first()
        if job is not None and job.finished:
            job = None
    recall = state.get("estimated_recall")
    advice = [_ADVICE[c]() for c in state.get("codes", []) if c in _ADVICE]
    if "long_run_without_inclusion" in state.get("codes", []):
        advice.append(
            _(
                "Many references screened since the last inclusion: a hint only; rely on the statistical rule."
            )
        )
    from facit.literature.screening.recall_chart import chart

    interval = state.get("recall_interval")
    bound = state.get("recall_lower_bound")
    return {
        "ready": bool(state.get("ready")),
        "trained_on": state.get("trained_on", 0),
        "n_total": state.get("n_total"),
        "n_screened": state.get("n_screened"),
        "n_relevant": state.get("n_relevant"),
        "stop": bool(state.get("stop")),
        "estimated_recall": recall,
        "estimated_recall_pct": round(100 * recall) if recall is not None else None,
        "interval_pct": [round(100 * v) for v in interval] if interval else None,
        "lower_bound_pct": round(100 * bound) if bound is not None else None,
        "target_pct": round(100 * RECALL_TARGET),
        "confidence_pct": round(100 * CONFIDENCE),
        "chart": chart(state),
        "advice": " ".join(advice),
        "assumptions": assumptions(),
        "why_not": _(
            "The ranking starts after the first decisions; until then references appear in import order."
        ),
        "can_refresh": job is None,
        "refresh_pending": bool(state.get("refresh_pending")),
        "job": job,
    }
