import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths a signed-in but not yet verified person may still reach.
_OPEN_PREFIXES = ("/static/", "/exit/", "/i18n/")
_OPEN_NAMES = ("accounts:login", "accounts:logout", "accounts:otp_verify", "accounts:otp_setup")


class RequireTwoFactorMiddleware:
    """Every account signs in with a second factor (TOTP) before it sees anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        path = request.path_info
        if path.startswith(_OPEN_PREFIXES) or path in {reverse(n) for n in _OPEN_NAMES}:
            return self.get_response(request)
        if path.startswith("/api/"):
            return JsonResponse(
                {"error": {"code": "two_factor_required", "message": "Two-factor sign-in needed."}},
                status=401,
            )
        return redirect(f"{reverse('accounts:otp_verify')}?next={request.get_full_path()}")


class CoordinatorIdleTimeoutMiddleware:
    """The coordinator (who may see panel identities) is signed out after
    settings.COORDINATOR_IDLE_TIMEOUT seconds without a request."""

    SESSION_KEY = "coordinator_last_seen"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.contrib import messages
        from django.contrib.auth import logout
        from django.utils.translation import gettext as _

        from facit.accounts.roles import COORDINATOR

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.has_role(COORDINATOR):
            return self.get_response(request)
        now = time.time()
        last = request.session.get(self.SESSION_KEY)
        if last is not None and now - float(last) > settings.COORDINATOR_IDLE_TIMEOUT:
            logout(request)
            messages.info(request, _("You were signed out after a while without activity."))
            return redirect("accounts:login")
        request.session[self.SESSION_KEY] = now
        return self.get_response(request)
