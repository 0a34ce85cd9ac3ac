"""Staff UI for the literature domain (read-mostly; screening happens on reviewer pages)."""

from __future__ import annotations

from django.contrib import admin

from facit.core.admin import VersionedAdminMixin
from facit.literature.models import (
    ExclusionReason,
    ImportBatch,
    Reference,
    Review,
    ScreeningDecision,
    SearchLog,
)


class ReasonInline(admin.TabularInline):
    model = ExclusionReason
    extra = 0


class SearchInline(admin.TabularInline):
    model = SearchLog
    extra = 0


@admin.register(Review)
class ReviewAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "slug"]
    search_fields = ["title", "question"]
    filter_horizontal = ["members"]
    inlines = [ReasonInline, SearchInline]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["filename", "review", "status", "imported", "duplicates", "created_at"]
    list_filter = ["status"]
    exclude = ["data"]


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "doi", "ta_outcome", "ft_outcome"]
    list_filter = ["ta_outcome", "ft_outcome"]
    search_fields = ["title", "doi", "pmid"]
    raw_id_fields = ["duplicate_of", "batch"]


@admin.register(ScreeningDecision)
class ScreeningDecisionAdmin(admin.ModelAdmin):
    list_display = ["reference", "stage", "reviewer", "decision", "created_at"]
    list_filter = ["stage", "decision"]
    raw_id_fields = ["reference"]
