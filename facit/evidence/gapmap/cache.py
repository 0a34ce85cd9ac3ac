"""Views of the evidence data (the computed map, the API's list, an intervention's page
data), kept per process and keyed on the evidence revision.

Every write to the evidence data bumps the revision in the database inside its transaction
(facit.evidence.revision), so a key that holds the revision read *before* the computation can
never serve data older than that revision: each process (web worker) serves the stored result
until the next write; storing an entry of a newer revision drops those of older ones. The
entries hold the computed data (cells, ordered axis values, gap statements), never HTML.

With Redis configured (settings.FACIT_MAP_SHARED_CACHE names the cache), a process that
misses asks the shared cache before computing and puts what it computed there: after a write
one worker computes the map and the others read it, instead of each computing it again.
Shared entries carry the same key, revision included, and expire after SHARED_TIMEOUT; with
Redis away, the shared cache misses and the process computes, as without it.

Each key also names the database (tests and benchmarks use several) and the rest of the
normalised query: the axes, the filters and the language of the labels.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import connection

from facit.evidence import revision

T = TypeVar("T")

# Entries per process and kind; a map of 5,000 intervention rows is a few MB at most. An
# intervention's page data is small and there is one per intervention and language.
MAX_ENTRIES = 64
MAX_ENTRIES_OF = {"intervention-page": 1024}
# Seconds a shared entry lives; entries of older revisions are never read again.
SHARED_TIMEOUT = 3600
_MISSING: Any = object()

_lock = threading.Lock()
# kind -> entries of that kind, least recently used first
_stores: dict[str, OrderedDict[Hashable, Any]] = {}


def key_for(kind: str, query: Hashable) -> Hashable:
    """The full key: database, revision (read now: one query), kind and query."""
    return (connection.alias, connection.settings_dict["NAME"], revision.current(), kind, query)


def cached[T](kind: str, query: Hashable, compute: Callable[[], T]) -> T:
    """The stored value of `compute()` for this query at the current revision; computed
    (and stored) when absent. The revision is read before computing, so a write committed
    during the computation leaves the entry under the older revision, never the newer."""
    key = key_for(kind, query)
    with _lock:
        store = _stores.get(kind)
        if store is not None and key in store:
            store.move_to_end(key)
            return store[key]  # type: ignore[no-any-return]
    shared = _shared()
    name = _shared_key(key)
    found = shared.get(name, _MISSING) if shared is not None else _MISSING
    value: T = compute() if found is _MISSING else found
    if found is _MISSING and shared is not None:
        shared.set(name, value, SHARED_TIMEOUT)
    with _lock:
        # entries of another revision of the same database can never be served again
        for entries in _stores.values():
            stale = [k for k in entries if k[:2] == key[:2] and k[2] != key[2]]  # type: ignore[index]
            for k in stale:
                del entries[k]
        store = _stores.setdefault(kind, OrderedDict())
        store[key] = value
        store.move_to_end(key)
        while len(store) > MAX_ENTRIES_OF.get(kind, MAX_ENTRIES):
            store.popitem(last=False)
    return value


def _shared() -> BaseCache | None:
    """The cache the web processes share (Redis), or None: each process on its own."""
    alias = getattr(settings, "FACIT_MAP_SHARED_CACHE", "")
    return caches[alias] if alias else None


def _shared_key(key: Hashable) -> str:
    """The key as a string every process spells alike: its parts are strings, numbers,
    None and tuples of them (sorted where order does not matter), whose repr is stable."""
    return "facit:evidence-map:" + hashlib.sha256(repr(key).encode()).hexdigest()


def clear() -> None:
    """Empty this process's store (the shared one is left to expire)."""
    with _lock:
        _stores.clear()


def size() -> int:
    with _lock:
        return sum(len(entries) for entries in _stores.values())
