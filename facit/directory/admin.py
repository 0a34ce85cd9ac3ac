"""Staff UI for editors who moderate the directory."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from facit.core.admin import VersionedAdminMixin
from facit.directory.models import (
    Address,
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
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from facit.directory.services import locations_protection_sync, service_index


class PhoneInline(admin.TabularInline):
    model = Phone
    fk_name = "service"
    fields = ["number", "description"]
    extra = 0


class AreaInline(admin.TabularInline):
    model = ServiceArea
    fields = ["scope", "name", "county", "municipality", "latitude", "longitude", "radius_km"]
    extra = 0


class SalInline(admin.TabularInline):
    model = ServiceAtLocation
    fields = ["location", "description"]
    raw_id_fields = ["location"]
    extra = 0


@admin.register(Service)
class ServiceAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "organization", "status", "last_verified_at", "origin", "is_published"]
    list_filter = ["status", "origin", "is_published"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["organization"]
    filter_horizontal = ["interventions"]
    readonly_fields = ["last_verified_by"]
    exclude = ["search_text"]
    inlines = [PhoneInline, AreaInline, SalInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        service_index(service=form.instance)


@admin.register(Organization)
class OrganizationAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "origin", "is_published"]
    search_fields = ["name"]


class AddressInline(admin.StackedInline):
    model = Address
    extra = 0


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "location_type", "latitude", "longitude", "is_protected"]
    search_fields = ["name"]
    readonly_fields = ["is_protected"]
    inlines = [AddressInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        locations_protection_sync()


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "county", "on_call_contact"]
    list_filter = ["county"]
    search_fields = ["name", "code"]
    readonly_fields = ["code", "name", "county", "latitude", "longitude"]


admin.site.register(County)
admin.site.register(Taxonomy)


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_sv", "taxonomy_detail"]
    search_fields = ["code", "name", "name_sv"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "created_at"]
    autocomplete_fields = ["organization"]


@admin.register(PendingChange)
class PendingChangeAdmin(admin.ModelAdmin):
    list_display = ["service", "proposed_by", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in PendingChange._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(DutyToReportText)
class DutyToReportTextAdmin(admin.ModelAdmin):
    list_display = ["created_at", "created_by", "origin"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # versions are immutable: add a new one in the referral guide
