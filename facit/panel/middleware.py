"""Panel members' sessions end after settings.PANEL_IDLE_TIMEOUT seconds without a request."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from facit.accounts.roles import PANEL_MEMBER

SESSION_KEY = "panel_last_seen"


class PanelIdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.has_role(PANEL_MEMBER):
            return self.get_response(request)
        if user.is_superuser:
            return self.get_response(request)
        now = time.time()
        last = request.session.get(SESSION_KEY)
        if last is not None and now - float(last) > settings.PANEL_IDLE_TIMEOUT:
            logout(request)
            messages.info(request, _("You were signed out after a while without activity."))
            return redirect("accounts:login")
        request.session[SESSION_KEY] = now
        return self.get_response(request)
