"""Read-only window onto the directory (superusers only). Editors and providers change
services on the directory's own pages, through the services (moderation, protected
addresses, search index, audit)."""

from __future__ import annotations

from django.contrib import admin

from facit.core.admin import ReadOnlyAdmin, ReadOnlyInline
from facit.directory.models import (
    County,
    DutyToReportText,
    Location,
    Membership,
    Municipality,
    Organization,
    PendingChange,
    Phone,
    Service,
    ServiceArea,
    Taxonomy,
    TaxonomyTerm,
)


class PhoneInline(ReadOnlyInline):
    model = Phone
    fk_name = "service"
    fields = ["number", "description"]


class AreaInline(ReadOnlyInline):
    model = ServiceArea
    fields = ["scope", "name", "county", "municipality", "radius_km"]


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization", "status", "last_verified_at", "origin", "is_published"]
    list_filter = ["status", "origin", "is_published"]
    search_fields = ["name", "description"]
    exclude = ["search_text"]
    inlines = [PhoneInline, AreaInline]


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ["name", "origin", "is_published"]
    search_fields = ["name"]


@admin.register(Location)
class LocationAdmin(ReadOnlyAdmin):
    """Addresses are not shown: a protected address is never displayed, even here."""

    list_display = ["name", "location_type", "is_protected"]
    exclude = ["latitude", "longitude"]
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "county", "on_call_contact"]
    list_filter = ["county"]
    search_fields = ["name", "code"]


admin.site.register(County, ReadOnlyAdmin)
admin.site.register(Taxonomy, ReadOnlyAdmin)


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "name_sv", "taxonomy_detail"]
    search_fields = ["code", "name", "name_sv"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "organization", "created_at"]


@admin.register(PendingChange)
class PendingChangeAdmin(ReadOnlyAdmin):
    list_display = ["service", "proposed_by", "status", "created_at", "decided_by"]
    list_filter = ["status"]


@admin.register(DutyToReportText)
class DutyToReportTextAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "created_by", "origin"]
