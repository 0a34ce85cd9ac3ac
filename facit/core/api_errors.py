"""The API's one error shape:

{"error": {"code": "validation_error", "message": "...",
           "fields": [{"field": "body.measure", "reason": "..."}]}}
"""

from __future__ import annotations

import functools
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from facit.core.concurrency import EditConflict


class ApiError(Exception):
    """Raise from a handler to answer with a given status, code and message."""

    def __init__(
        self, status: int, code: str, message: str, fields: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or []


def error_body(
    code: str, message: str, fields: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    """("body", "payload", "studies", 2, "sd1i") -> "body.studies[2].sd1i".

    django-ninja puts the handler's argument name after "body"; callers never see it, so it
    is left out.
    """
    parts = list(loc)
    if len(parts) > 2 and parts[0] == "body" and isinstance(parts[1], str):
        del parts[1]
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(
        request: HttpRequest, status: int, code: str, message: str, fields: Any = None
    ) -> HttpResponse:
        return api.create_response(request, error_body(code, message, fields), status=status)

    def refuse_nul(view: Any) -> Any:
        """PostgreSQL text cannot hold NUL: a query or path with one is invalid input."""

        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            bad = [f"query.{k}" for k, vs in request.GET.lists() if any("\x00" in v for v in vs)]
            if "\x00" in request.path or any("\x00" in k for k in request.GET):
                bad.append("path" if "\x00" in request.path else "query")
            if bad:
                fields = [{"field": f, "reason": "NUL characters are not allowed"} for f in bad]
                return respond(
                    request, 422, "validation_error", "The request has invalid fields.", fields
                )
            return view(request, *args, **kwargs)

        return wrapped

    api.add_decorator(refuse_nul, mode="view")

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = [
            {"field": _field_name(err.get("loc", ())), "reason": str(err.get("msg", ""))}
            for err in exc.errors
        ]
        return respond(request, 422, "validation_error", "The request has invalid fields.", fields)

    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(request, exc.status, exc.code, exc.message, exc.fields)

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "not_found", "No such object.")

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, "forbidden", "You may not do this.")

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, "unauthenticated", "Sign in first.")

    @api.exception_handler(EditConflict)
    def _conflict(request: HttpRequest, exc: EditConflict) -> HttpResponse:
        return respond(request, 409, "edit_conflict", str(exc))

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, "http_error", str(exc))

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        import logging

        from django.db import InterfaceError, OperationalError

        if isinstance(exc, OperationalError | InterfaceError):
            # The database cannot be reached (restarting, say): try again, not a bug.
            logging.getLogger("facit.api").warning(
                "database unavailable", extra={"error": type(exc).__name__}
            )
            response = respond(request, 503, "unavailable", "Temporarily unavailable; try again.")
            response["Retry-After"] = "10"
            return response
        logging.getLogger("facit.api").exception("Unhandled API error")
        return respond(request, 500, "server_error", "Something went wrong on our side.")


class ErrorFieldOut(Schema):
    field: str
    reason: str


class ErrorDetailOut(Schema):
    code: str
    message: str
    fields: list[ErrorFieldOut] = []


class ErrorOut(Schema):
    """The one error shape, as documented in both APIs' OpenAPI documents."""

    error: ErrorDetailOut


def responses(ok: Any, *errors: int) -> dict[int, Any]:
    """``response=`` of an operation: ``ok`` for 200, the error shape for each status in
    ``errors`` and for the 422 (invalid input) and 429 (rate limit) every operation answers."""
    return {200: ok, **{status: ErrorOut for status in sorted({*errors, 422, 429})}}
