"""Who may use panel pages, and how a refusal becomes a page. Guidance's member pages use
these too (this is the panel's public face for views, not its tables)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from facit.accounts.roles import COORDINATOR, PANEL_MEMBER
from facit.core.concurrency import EditConflict
from facit.core.permissions import role_required
from facit.panel.errors import Refused, http_status
from facit.panel.selectors import member_for_user


def refused_response(request: HttpRequest, exc: Refused) -> HttpResponse:
    """A refusal as a page with its status (400/403/404/409) and a plain message."""
    status = http_status(exc.code)
    return render(
        request,
        "panel/refused.html",
        {
            "message": exc.message,
            "status": status,
            "code": exc.code,
            "staff": not getattr(request.user, "has_role", lambda *_: False)(PANEL_MEMBER),
        },
        status=status,
    )


def conflict_response(request: HttpRequest) -> HttpResponse:
    from django.utils.translation import gettext as _

    return refused_response(
        request,
        Refused(
            _(
                "Someone else saved this document after you opened it. Nothing of yours was "
                "saved over theirs: open it again, see their version, and add your change."
            ),
            code="edit_conflict",
        ),
    )


def member_required(
    view: Callable[..., HttpResponse] | None = None, *, coordinator_home: bool = False
) -> Any:
    """Signed-in panel member with an active Member row, passed to the view as `member`.
    With `coordinator_home`, a coordinator who is not a member goes to their own page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            member = member_for_user(request.user)
            if member is None or not request.user.has_role(PANEL_MEMBER):
                if coordinator_home and request.user.has_role(COORDINATOR):
                    return redirect("panel:coordinator")
                raise PermissionDenied
            try:
                return view(request, *args, member=member, **kwargs)
            except Refused as exc:
                return refused_response(request, exc)

        return wrapped

    return decorator(view) if view is not None else decorator


def role_view(role: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Only `role` may use the view; a Refused raised inside becomes its page, a stale edit
    the conflict page (409)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @role_required(role)
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except Refused as exc:
                return refused_response(request, exc)
            except EditConflict:
                return conflict_response(request)

        return wrapped

    return decorator
