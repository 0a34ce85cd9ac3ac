"""Seed functions of the domains, run in order by `manage.py seed`.

Each domain app appends a callable that loads its verified data idempotently and returns a
one-line summary, e.g. in its AppConfig.ready(): `register_seed(load_services)`.
"""

from collections.abc import Callable

_SEEDS: list[Callable[[], str]] = []


def register_seed(func: Callable[[], str]) -> None:
    if func not in _SEEDS:
        _SEEDS.append(func)


def registered_seeds() -> list[Callable[[], str]]:
    return list(_SEEDS)


_DEMO_SEEDS: list[Callable[[], str]] = []


def register_demo_seed(func: Callable[[], str]) -> None:
    """Invented demonstration data (only with FACIT_DEMO on; every page shows a banner)."""
    if func not in _DEMO_SEEDS:
        _DEMO_SEEDS.append(func)


def registered_demo_seeds() -> list[Callable[[], str]]:
    return list(_DEMO_SEEDS)
