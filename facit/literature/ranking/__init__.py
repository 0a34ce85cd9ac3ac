"""Active-learning screening engine: ranking, stopping aid and simulation (no Django)."""

from .errors import RankingError
from .metrics import ceil_fraction, recall_at, screened_until, wss
from .ranker import Ranker, RankerConfig, RankResult, balanced_sample_weight
from .simulation import (
    LABELLED_COLUMNS,
    SimulationResult,
    draw_priors,
    labelled_columns,
    read_labelled_csv,
    simulate,
    simulate_csv,
)
from .stopping import EXPLANATIONS, StoppingStats, hypergeometric_p, stopping_stats

__all__ = [
    "EXPLANATIONS",
    "LABELLED_COLUMNS",
    "RankResult",
    "Ranker",
    "RankerConfig",
    "RankingError",
    "SimulationResult",
    "StoppingStats",
    "balanced_sample_weight",
    "ceil_fraction",
    "draw_priors",
    "hypergeometric_p",
    "labelled_columns",
    "read_labelled_csv",
    "recall_at",
    "screened_until",
    "simulate",
    "simulate_csv",
    "stopping_stats",
    "wss",
]
