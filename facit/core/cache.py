"""A Redis cache that falls back instead of failing: with Redis away, a read misses and a
write is skipped, so pages still render (slower) and the outage is logged once a minute."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("facit.cache")

_FALLBACK_ERRORS: tuple[type[BaseException], ...]
try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    _FALLBACK_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)
except ImportError:  # pragma: no cover - redis is installed with django-rq
    _FALLBACK_ERRORS = (OSError,)


class FallbackRedisCache(RedisCache):
    _last_warning = 0.0

    def _fallback(self, operation: str, exc: BaseException) -> None:
        now = time.monotonic()
        if now - FallbackRedisCache._last_warning > 60:
            FallbackRedisCache._last_warning = now
            logger.warning(
                "cache unavailable, serving without it",
                extra={"operation": operation, "error": type(exc).__name__},
            )

    def ping(self) -> None:
        """Raises when Redis cannot be reached (used by /readyz; no fallback here)."""
        self._cache.get_client(write=True).ping()

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except _FALLBACK_ERRORS as exc:
            self._fallback("get", exc)
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except _FALLBACK_ERRORS as exc:
            self._fallback("get_many", exc)
            return {}

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except _FALLBACK_ERRORS as exc:
            self._fallback("set", exc)

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except _FALLBACK_ERRORS as exc:
            self._fallback("add", exc)
            return False

    def set_many(self, data: Any, timeout: Any = None, version: int | None = None) -> list[Any]:
        try:
            return super().set_many(data, timeout, version)
        except _FALLBACK_ERRORS as exc:
            self._fallback("set_many", exc)
            return list(data)

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except _FALLBACK_ERRORS as exc:
            self._fallback("delete", exc)
            return False

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except _FALLBACK_ERRORS as exc:
            self._fallback("incr", exc)
            raise ValueError("cache unavailable") from exc

    def touch(self, key: Any, timeout: Any = None, version: int | None = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except _FALLBACK_ERRORS as exc:
            self._fallback("touch", exc)
            return False

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except _FALLBACK_ERRORS as exc:
            self._fallback("has_key", exc)
            return False
