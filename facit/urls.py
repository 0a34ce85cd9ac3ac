from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from facit.api.urls import urlpatterns as api_urlpatterns
from facit.core.health import healthz, readyz
from facit.web.views import exit_now

urlpatterns = [
    path("exit/", exit_now, name="exit"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    *api_urlpatterns,
    path("", include("facit.directory.hsds_api")),
]

urlpatterns += i18n_patterns(
    path("", include("facit.web.urls")),
    path("accounts/", include("facit.accounts.urls")),
    path("jobs/", include("facit.core.urls")),
    path("evidence/", include("facit.evidence.urls")),
    path("literature/", include("facit.literature.urls")),
    path("directory/", include("facit.directory.urls")),
    path("guidance/", include("facit.guidance.urls")),
    path("panel/", include("facit.panel.urls")),
    prefix_default_language=True,
)

handler404 = "facit.web.errors.not_found"
handler500 = "facit.web.errors.server_error"
handler403 = "facit.web.errors.forbidden"
