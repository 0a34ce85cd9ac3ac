"""Read-only window onto guidance documents and their versions (superusers only). Editors
work in the editor's desk, where staff reads of members' words are logged."""

from django.contrib import admin

from facit.core.admin import ReadOnlyAdmin, ReadOnlyInline
from facit.guidance.models import Document, Version


class VersionInline(ReadOnlyInline):
    model = Version
    fields = ["number", "note", "created_at"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "created_at"]
    inlines = [VersionInline]
