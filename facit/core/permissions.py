"""facit's one access layer, for views and API handlers alike.

- `role_required(*roles)`: a view decorator. Anonymous visitors go to sign-in; signed-in
  people without one of `roles` get 403. A superuser holds no role by being one.
- Object getters in the healthchecks style: they return the object the person may use, or
  raise Http404 (no such object) / PermissionDenied (not theirs). The API layer maps both to
  its one error shape; pages show the 404/403 pages.

This module is in core, so it names domain models through the app registry (never by
import): core is imported by the domain apps, not the other way round.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

View = Callable[..., HttpResponse]

REVIEWER = "reviewer"  # facit.accounts.roles.REVIEWER (core does not import accounts)


def _has_role(user: Any, *roles: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(*roles))


def role_required(*roles: str) -> Callable[[View], View]:
    """Anonymous visitors go to sign-in; signed-in people without one of `roles` get 403."""

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not _has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def get_object_for[M: models.Model](
    request: HttpRequest,
    queryset: models.QuerySet[M],
    allowed: Callable[[Any, M], bool],
    **lookup: Any,
) -> M:
    """The object matching `lookup` if `allowed(user, obj)`; else 404 (none) or 403."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    if not allowed(request.user, obj):
        raise PermissionDenied
    return obj


def get_review_for_member(request: HttpRequest, slug: str, *, hide: bool = False) -> Any:
    """The review `slug` (a literature Review) if the person is a reviewer and a member.

    Pages answer 403 for a review that is not theirs; with `hide=True` (the API) they answer
    404, so non-members learn nothing, not even whether the review exists.
    """
    review_model = apps.get_model("literature", "Review")
    review = review_model.objects.filter(slug=slug).first()
    user = request.user
    if review is None:
        raise Http404
    if not _has_role(user, REVIEWER) or not review.is_member(user):
        raise Http404 if hide else PermissionDenied
    return review


def review_member_required(view: View) -> View:
    """Reviewer role and membership of the review named by `slug`; passes the review on."""

    @role_required(REVIEWER)
    @functools.wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, get_review_for_member(request, slug), *args, **kwargs)

    return wrapped
