"""Admin for the coordinator: pseudonyms and consent texts only.

MemberIdentity is deliberately NOT registered: identities are read only through
facit.panel.selectors.identity_for (coordinator role, audited). Comments and assessments
are not registered either, so every staff read of members' words goes through the logged
pages.
"""

from django.contrib import admin

from facit.panel.models import ConsentText, Member


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["pseudonym", "paused_at", "left_at"]
    fields = ["pseudonym", "paused_at", "left_at", "leave_choice"]
    readonly_fields = ["left_at", "leave_choice"]
    search_fields = ["pseudonym"]


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    list_display = ["purpose", "number", "published_at"]
    readonly_fields = ["purpose", "number", "text_sv", "text_en", "published_at", "published_by"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # new versions are published from the coordinator's page
