"""The computed map, kept per process and keyed on the evidence revision.

Every write to the evidence data bumps the revision in the database inside its transaction
(facit.evidence.revision), so a key that holds the revision read *before* the computation can
never serve data older than that revision: each process (web worker) recomputes once after a
write, on its next request, and serves the stored result until the next write; storing an
entry of a newer revision drops those of older ones. The entries hold the computed data
(cells, ordered axis values, gap statements), never HTML.

Each key also names the database (tests and benchmarks use several) and the rest of the
normalised query: the axes, the filters and the language of the labels.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import connection

from facit.evidence import revision

T = TypeVar("T")

# Entries per process; a map of 5,000 intervention rows is a few MB at most.
MAX_ENTRIES = 64

_lock = threading.Lock()
_entries: OrderedDict[Hashable, Any] = OrderedDict()


def key_for(kind: str, query: Hashable) -> Hashable:
    """The full key: database, revision (read now: one query), kind and query."""
    return (connection.alias, connection.settings_dict["NAME"], revision.current(), kind, query)


def cached[T](kind: str, query: Hashable, compute: Callable[[], T]) -> T:
    """The stored value of `compute()` for this query at the current revision; computed
    (and stored) when absent. The revision is read before computing, so a write committed
    during the computation leaves the entry under the older revision, never the newer."""
    key = key_for(kind, query)
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]  # type: ignore[no-any-return]
    value = compute()
    with _lock:
        # entries of another revision of the same database can never be served again
        stale = [k for k in _entries if k[:2] == key[:2] and k[2] != key[2]]  # type: ignore[index]
        for k in stale:
            del _entries[k]
        _entries[key] = value
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _entries.clear()


def size() -> int:
    with _lock:
        return len(_entries)
