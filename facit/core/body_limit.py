"""Refuse oversized request bodies before Django reads them.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE covers form fields only; uploaded files are spooled
to disk whatever their size. This middleware looks at Content-Length first: a signed-in
user may send up to FACIT_MAX_REQUEST_BYTES (the largest import plus its form), anyone
else FACIT_MAX_ANON_REQUEST_BYTES. A larger body answers 413 with a page in the
visitor's language that says the limit (under /api/: the API's JSON error shape), and is
never parsed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def body_limit(request: HttpRequest) -> int:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return int(settings.FACIT_MAX_REQUEST_BYTES)
    return int(settings.FACIT_MAX_ANON_REQUEST_BYTES)


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request)
        if length > limit and request.path.startswith("/api/"):
            from facit.core.api_errors import error_body

            too_large = JsonResponse(
                error_body("request_too_large", f"The request body is larger than {limit} bytes."),
                status=413,
            )
            too_large["Connection"] = "close"
            return too_large
        if length > limit:
            response = render(
                request,
                "core/request_too_large.html",
                {"size": length, "limit": limit},
                status=413,
            )
            response["Connection"] = "close"  # do not read the rest of the body
            return response
        return self.get_response(request)
