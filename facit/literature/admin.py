"""Read-only window onto the literature domain (superusers only).

Screening decisions are not shown at all: blinding holds even here. Everything is done on
the reviewer pages, through the services.
"""

from __future__ import annotations

from django.contrib import admin

from facit.core.admin import ReadOnlyAdmin
from facit.literature.models import ImportBatch, Reference, Review


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["title", "slug"]
    search_fields = ["title", "question"]
    exclude = ["members"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["filename", "review", "status", "imported", "duplicates", "created_at"]
    list_filter = ["status"]
    exclude = ["data"]


@admin.register(Reference)
class ReferenceAdmin(ReadOnlyAdmin):
    list_display = ["title", "year", "doi", "ta_outcome", "ft_outcome"]
    list_filter = ["ta_outcome", "ft_outcome"]
    search_fields = ["title", "doi", "pmid"]
    raw_id_fields = ["duplicate_of", "batch"]
