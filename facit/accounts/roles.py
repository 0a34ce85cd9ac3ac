"""Roles are Django groups; their model permissions are declared here and synced on migrate."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

REVIEWER = "reviewer"
EDITOR = "editor"
PANEL_MEMBER = "panel_member"
COORDINATOR = "coordinator"
PROVIDER = "provider"
ADMIN = "admin"

ROLE_LABELS = {
    REVIEWER: _("Reviewer (evidence team)"),
    EDITOR: _("Editor"),
    PANEL_MEMBER: _("Panel member"),
    COORDINATOR: _("Panel coordinator"),
    PROVIDER: _("Service provider"),
    ADMIN: _("Administrator"),
}

# Staff roles (is_staff is kept in step with these). The Django admin itself is for
# superusers only (facit.core.admin); staff work on facit's own pages.
STAFF_ROLES = {REVIEWER, EDITOR, COORDINATOR, ADMIN}

# "app_label" grants every model permission of the app; "app_label.codename" grants one.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    REVIEWER: ["evidence", "literature"],
    EDITOR: ["guidance", "directory", "evidence.view_intervention", "evidence.view_evaluation"],
    PANEL_MEMBER: [],
    COORDINATOR: ["panel"],
    PROVIDER: [],
    ADMIN: ["accounts.view_user", "auth.view_group", "core.view_auditevent"],
}


def sync_roles(sender: Any = None, **kwargs: Any) -> None:
    """Create the role groups and give them exactly the permissions declared above."""
    from django.contrib.auth.models import Group, Permission

    for role, grants in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        perms = Permission.objects.none()
        for grant in grants:
            app_label, _dot, codename = grant.partition(".")
            query = Permission.objects.filter(content_type__app_label=app_label)
            perms = perms | (query.filter(codename=codename) if codename else query)
        group.permissions.set(perms)
