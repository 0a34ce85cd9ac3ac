"""Read-only window onto the panel (superusers only): pseudonyms and consent texts.

MemberIdentity is deliberately NOT registered: identities are read only through
facit.panel.selectors.identity_for (coordinator role, audited). Comments and assessments
are not registered either, so every staff read of members' words goes through the logged
pages. Members are created, paused and erased on the coordinator's pages.
"""

from django.contrib import admin

from facit.core.admin import ReadOnlyAdmin
from facit.panel.models import ConsentText, Member


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["pseudonym", "paused_at", "left_at"]
    fields = ["pseudonym", "paused_at", "left_at", "leave_choice"]
    search_fields = ["pseudonym"]


@admin.register(ConsentText)
class ConsentTextAdmin(ReadOnlyAdmin):
    list_display = ["purpose", "number", "published_at"]
