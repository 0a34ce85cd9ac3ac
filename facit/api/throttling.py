"""Rate limits for anonymous API use, per client IP, on a cache every worker shares.

django-ninja's throttles keep each client's request history in a Django cache; facit gives
them the ``throttle`` cache alias, which is Redis when REDIS_URL is set and otherwise a
file-based cache under var/ (both shared by all gunicorn workers of the host; a
per-process memory cache would let every worker allow the full rate).

The client IP is REMOTE_ADDR; behind a TLS-terminating proxy (BEHIND_TLS_PROXY) it is the
address that proxy appended to X-Forwarded-For. A client-supplied X-Forwarded-For is never
trusted on its own, so sending a new one per request does not evade the limit.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle, BaseThrottle


def client_ip(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR") or "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or remote
    return remote


class AnonymousIpThrottle(AnonRateThrottle):
    """Anonymous requests (no API auth, no signed-in session) per IP, in ``scope``.

    The rate ("20/m") is read from the setting named ``setting`` on every request, so it
    can be changed per deployment (and per test); an empty rate means no limit."""

    def __init__(self, setting: str, scope: str = "anon") -> None:
        self.scope = scope
        self.setting = setting
        super().__init__(getattr(settings, setting, "") or "1/s")
        self.cache = caches["throttle"]

    def allow_request(self, request: HttpRequest) -> bool:
        rate = getattr(settings, self.setting, "")
        if not rate:
            return True
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)
        self.cache = caches["throttle"]
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if getattr(request, "auth", None) is not None or (user and user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


def anonymous_api_throttles() -> list[BaseThrottle]:
    """The limit every anonymous API request counts against (FACIT_API_ANON_RATE)."""
    return [AnonymousIpThrottle("FACIT_API_ANON_RATE", scope="api")]
