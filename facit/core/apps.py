from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    name = "facit.core"
    label = "core"
    verbose_name = "facit core"


class FacitAdminConfig(admin_apps.AdminConfig):
    """Django's admin with facit's site: read-only, superusers only (facit.core.admin)."""

    default = False
    default_site = "facit.core.admin.SuperuserAdminSite"
