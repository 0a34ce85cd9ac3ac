from django.contrib import admin

from facit.accounts.models import User
from facit.core.admin import ReadOnlyAdmin


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    """Read-only: roles and deactivation go through the admin role's staff page (audited)."""

    list_display = ["username", "is_active", "is_superuser", "last_login"]
    search_fields = ["username"]
    exclude = ["password"]
