from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from facit.web import selectors


def home(request: HttpRequest) -> HttpResponse:
    context = {"figures": selectors.key_figures(), "changes": selectors.recent_changes()}
    return render(request, "web/home.html", context)


def search(request: HttpRequest) -> HttpResponse:
    results = selectors.site_search(request.GET.get("q", "")[:200])
    groups = [
        (_("Interventions"), results.interventions, _("No intervention matched.")),
        (_("Support services"), results.services, _("No support service matched.")),
        (_("Guidelines and materials"), results.guidelines, _("No published guideline matched.")),
    ]
    return render(request, "web/search.html", {"results": results, "groups": groups})


@csrf_exempt  # leaving must work from any page, even with an expired token
@never_cache
def exit_now(request: HttpRequest) -> HttpResponse:
    """Quick exit: end the session, ask the browser to forget this site, go somewhere neutral."""
    logout(request)
    response = HttpResponseRedirect(settings.FACIT_EXIT_URL)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    response["Referrer-Policy"] = "no-referrer"
    return response
