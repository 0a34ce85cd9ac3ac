"""Active learning for screening: rank unscreened references by predicted relevance.

Filled in with the ranking package (facit.literature.ranking)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from facit.literature.models import Review


def ranking_status(review: Review) -> dict[str, Any] | None:
    return None


def ranking_maybe_refresh(*, review: Review, actor: Any) -> None:
    return None


def ranking_start(*, review: Review, actor: Any) -> Any:
    return None


def review_rank(*, review_id: int, progress: Callable[..., None] | None = None) -> dict[str, Any]:
    return {}
