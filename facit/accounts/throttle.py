"""Sign-in throttling: per client IP across usernames, and a slower limit per username.

django-axes locks a username only together with the IP it is tried from, so nobody can
lock a named person out from elsewhere. Password spraying (many usernames from one IP) is
slowed by FACIT_LOGIN_IP_RATE; a slow attack on one username from many IPs meets
FACIT_LOGIN_USERNAME_RATE, which is generous enough that a stranger would need that many
attempts within the window to delay the person, and the delay ends with the window.
Both keep their history in the shared ``throttle`` cache.
"""

from __future__ import annotations

from django.http import HttpRequest

from facit.core.throttling import AnonymousIpThrottle, client_ip


class _LoginIpThrottle(AnonymousIpThrottle):
    def get_cache_key(self, request: HttpRequest) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class _LoginUsernameThrottle(AnonymousIpThrottle):
    def get_cache_key(self, request: HttpRequest) -> str | None:
        username = str(request.POST.get("username", "")).strip().casefold()[:150]
        if not username:
            return None
        return self.cache_format % {"scope": self.scope, "ident": username}


def login_throttled(request: HttpRequest) -> bool:
    """True when this sign-in attempt is over a limit (the attempt is not tried then)."""
    throttles = (
        _LoginIpThrottle("FACIT_LOGIN_IP_RATE", scope="login_ip"),
        _LoginUsernameThrottle("FACIT_LOGIN_USERNAME_RATE", scope="login_user"),
    )
    return not all(t.allow_request(request) for t in throttles)
