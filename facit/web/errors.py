import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# Shown when the database cannot be reached: plain HTML that needs no database to render.
_UNAVAILABLE = """<!doctype html><html lang="sv"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tillfälligt otillgänglig – facit</title></head><body>
<main><h1>Tillfälligt otillgänglig</h1>
<p>facit kan inte nå sin databas just nu. Försök igen om en liten stund.</p>
<p lang="en">facit cannot reach its database right now. Please try again in a moment.</p>
</main></body></html>"""


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"status": 404}, status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"status": 403}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DatabaseError) and "connection" in str(exc).lower()
    ):
        response = HttpResponse(_UNAVAILABLE, status=503)
        response["Retry-After"] = "10"
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "web/error.html", {"status": 500}, status=500)
