"""Gives each request an id (kept in the log context and the X-Request-ID header, and handed
to the jobs the request starts) and writes one access line per request."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from facit.core.jobs import JobsUnavailable
from facit.core.logs import new_request_id, request_id_var

access_log = logging.getLogger("facit.access")


def route_of(request: HttpRequest) -> str:
    """The URL pattern that answered, never the path itself: a path or query string can hold
    what a person typed (a name, a search), and ids say who looked at what."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route:
        return "/" + match.route
    if request.path.startswith(settings.STATIC_URL):
        return settings.STATIC_URL
    return "(no route)"


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = new_request_id(request.headers.get("X-Request-ID"))
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            access_log.info(
                "%s %s %s",
                request.method,
                route_of(request),
                response.status_code,
                extra={
                    "method": request.method,
                    "route": route_of(request),
                    "status_code": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, JobsUnavailable):
            # The job's transaction was rolled back: nothing was accepted, so nothing is lost.
            response = render(
                request, "core/unavailable.html", {"message": str(exception)}, status=503
            )
            response["Retry-After"] = "60"
            return response
        return None
