"""Recent sign-in: identity data only within N minutes of entering password and code.

``recent_sign_in_required(when=...)`` wraps a view; when the request asks for something
sensitive (``when(request)`` is true) and the last full sign-in (password plus TOTP, at
sign-in or on the re-authentication page) is older than settings.FACIT_REAUTH_MINUTES,
the person is sent to ``accounts:reauth`` and then back.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

SESSION_KEY = "facit_authenticated_at"

View = Callable[..., HttpResponse]


def mark_signed_in(request: HttpRequest) -> None:
    """Called when the second factor succeeds: the session id is renewed (no fixation
    across the TOTP step) and the time of this full sign-in is kept."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = time.time()


def signed_in_recently(request: HttpRequest) -> bool:
    at = request.session.get(SESSION_KEY)
    limit = float(settings.FACIT_REAUTH_MINUTES) * 60
    return at is not None and time.time() - float(at) <= limit


def recent_sign_in_required(
    when: Callable[[HttpRequest], bool] = lambda request: True,
) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if when(request) and not signed_in_recently(request):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('accounts:reauth')}?{query}")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
