from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "facit.core"
    label = "core"
    verbose_name = _("facit core")


class FacitAdminConfig(admin_apps.AdminConfig):
    """Django's admin with facit's site: read-only, superusers only (facit.core.admin)."""

    default = False
    default_site = "facit.core.admin.SuperuserAdminSite"
