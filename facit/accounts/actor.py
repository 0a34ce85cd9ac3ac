"""The person a view acts for, typed, for the services' `actor: User`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from facit.accounts.models import User


def request_actor(request: HttpRequest) -> User:
    """The signed-in user behind a view the role decorators let through (403 otherwise)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
