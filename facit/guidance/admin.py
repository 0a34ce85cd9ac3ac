"""Admin for editors: documents and their (read-only) versions. Comments are worked on in the
editor's desk, where staff reads of members' words are logged."""

from django.contrib import admin

from facit.guidance.models import Document, Version


class VersionInline(admin.TabularInline):
    model = Version
    fields = ["number", "note", "created_at"]
    readonly_fields = ("number", "note", "created_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "created_at"]
    inlines = [VersionInline]
