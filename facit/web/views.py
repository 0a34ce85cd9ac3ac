from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@csrf_exempt  # leaving must work from any page, even with an expired token
@never_cache
def exit_now(request: HttpRequest) -> HttpResponse:
    """Quick exit: end the session, ask the browser to forget this site, go somewhere neutral."""
    logout(request)
    response = HttpResponseRedirect(settings.FACIT_EXIT_URL)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    response["Referrer-Policy"] = "no-referrer"
    return response
