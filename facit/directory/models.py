"""The support directory: Open Referral HSDS 3.0 core objects plus facit's own additions
(places, verification, provider memberships, moderated edits, the referral guide's texts).

Field names follow the HSDS schemas (data/hsds-3.0/schema/) so that import and export map
one to one; ids are HSDS UUID strings. facit's additions are marked as such.
"""

from __future__ import annotations

import math
import uuid
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from facit.core.models import TimeStampedModel, VersionedModel

VERIFY_EVERY_DAYS = 365
MIN_AGE = 0  # the ages a service may state (validated and constrained)
MAX_AGE = 120
KM_PER_DEGREE = 111.195  # km per degree of latitude on a sphere of radius 6371.0088 km


def new_id() -> str:
    return str(uuid.uuid4())


def _id_field() -> models.CharField:
    return models.CharField(primary_key=True, max_length=36, default=new_id, editable=False)


def _link(to: str, related_name: str, **kw: Any) -> models.ForeignKey:
    return models.ForeignKey(
        to, null=True, blank=True, on_delete=models.CASCADE, related_name=related_name, **kw
    )


class DataOrigin(models.TextChoices):
    VERIFIED = "verified", _("Verified data file")
    IMPORTED = "imported", _("Imported HSDS data")
    ENTERED = "entered", _("Entered by an editor")
    DEMO = "demo", _("Invented demonstration data")


# --------------------------------------------------------------------------- places (facit)


class County(models.Model):
    code = models.CharField(primary_key=True, max_length=2)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """One of Sweden's municipalities with a representative point for distance search."""

    code = models.CharField(primary_key=True, max_length=4)
    name = models.CharField(max_length=100, db_index=True)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities")
    latitude = models.FloatField()
    longitude = models.FloatField()
    # The social services' on-call team (socialjour), where an editor has recorded it.
    on_call_contact = models.CharField(
        _("social services on-call contact"), max_length=300, blank=True
    )
    on_call_source = models.CharField(
        _("source of the on-call contact"), max_length=500, blank=True
    )
    on_call_verified_at = models.DateField(_("on-call contact verified"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


# --------------------------------------------------------------------------- HSDS core


class Taxonomy(models.Model):
    id = _id_field()
    name = models.CharField(max_length=200)
    description = models.TextField()
    uri = models.URLField(max_length=500, blank=True)
    version = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    id = _id_field()
    code = models.CharField(max_length=100, blank=True, db_index=True)
    name = models.CharField(max_length=200)
    description = models.TextField()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    taxonomy = models.CharField(max_length=200, blank=True)
    taxonomy_detail = models.ForeignKey(
        Taxonomy,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="terms",
        db_column="taxonomy_id",
    )
    language = models.CharField(max_length=20, blank=True)
    term_uri = models.URLField(max_length=500, blank=True)
    # facit: the Swedish label beside the (English) HSDS name; position for display order.
    name_sv = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["taxonomy_detail", "position", "name"]
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "sv").startswith("sv") and self.name_sv:
            return self.name_sv
        return self.name


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def published(self) -> OrganizationQuerySet:
        return self.filter(is_published=True)


class Organization(VersionedModel):
    id = _id_field()
    name = models.CharField(_("name"), max_length=300)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(max_length=500, blank=True)
    tax_status = models.CharField(max_length=100, blank=True)
    tax_id = models.CharField(max_length=100, blank=True)
    year_incorporated = models.PositiveSmallIntegerField(null=True, blank=True)
    legal_status = models.CharField(max_length=200, blank=True)
    logo = models.CharField(max_length=500, blank=True)
    uri = models.URLField(max_length=500, blank=True)
    parent_organization = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # facit
    sources = models.JSONField(_("sources"), default=list, blank=True)
    origin = models.CharField(max_length=10, choices=DataOrigin.choices, default=DataOrigin.ENTERED)
    is_published = models.BooleanField(_("published"), default=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class ServiceQuerySet(models.QuerySet["Service"]):
    def published(self) -> ServiceQuerySet:
        return self.filter(is_published=True, organization__is_published=True).exclude(
            status="defunct"
        )


def verifier_label(origin: str, label: str, *, by_editor: bool = False) -> str:
    """Who verified a service, as a reader is told: an editor's account is never named on
    public pages or in the API (the audit log keeps who it was); the verified data file by
    its name rather than its path in the repository; else the label stored with the service."""
    if by_editor:
        return str(_("an editor at facit"))
    if origin == DataOrigin.VERIFIED:
        return str(_("facit (verified data file)"))
    return label


class Service(VersionedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")
        DEFUNCT = "defunct", _("defunct")
        TEMPORARILY_CLOSED = "temporarily closed", _("temporarily closed")

    id = _id_field()
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="services", null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=300)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("web address"), max_length=500, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    interpretation_services = models.TextField(blank=True)
    application_process = models.TextField(_("how to get in touch"), blank=True)
    fees_description = models.TextField(_("fees"), blank=True)
    wait_time = models.CharField(max_length=300, blank=True)
    fees = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    eligibility_description = models.TextField(_("who it is for"), blank=True)
    minimum_age = models.FloatField(_("youngest age"), null=True, blank=True)
    maximum_age = models.FloatField(_("oldest age"), null=True, blank=True)
    assured_date = models.CharField(max_length=30, blank=True)
    assurer_email = models.EmailField(blank=True)
    licenses = models.TextField(blank=True)
    alert = models.TextField(blank=True)
    last_modified = models.DateTimeField(null=True, blank=True)
    # facit
    sources = models.JSONField(_("sources"), default=list, blank=True)
    origin = models.CharField(max_length=10, choices=DataOrigin.choices, default=DataOrigin.ENTERED)
    is_published = models.BooleanField(_("published"), default=True)
    last_verified_at = models.DateField(_("last verified"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_by_label = models.CharField(_("verified by"), max_length=200, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    # facit's addition: Swedish wording of the descriptive fields for Swedish pages (the
    # English stays for English pages and for HSDS)
    description_sv = models.TextField(_("description in Swedish"), blank=True)
    eligibility_description_sv = models.TextField(_("who it is for, in Swedish"), blank=True)
    interventions = models.ManyToManyField(
        "evidence.Intervention",
        blank=True,
        related_name="delivering_services",
        verbose_name=_("interventions it delivers"),
    )

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(minimum_age__gte=MIN_AGE, minimum_age__lte=MAX_AGE),
                name="service_minimum_age_range",
            ),
            models.CheckConstraint(
                condition=Q(maximum_age__isnull=True)
                | Q(maximum_age__gte=MIN_AGE, maximum_age__lte=MAX_AGE),
                name="service_maximum_age_range",
            ),
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=F("maximum_age")),
                name="service_age_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def verification_overdue(self) -> bool:
        if self.last_verified_at is None:
            return True
        return timezone.localdate() - self.last_verified_at > timedelta(days=VERIFY_EVERY_DAYS)

    @property
    def verified_by(self) -> str:
        return verifier_label(
            self.origin, self.verified_by_label, by_editor=self.last_verified_by_id is not None
        )

    def verify_due(self) -> date | None:
        if self.last_verified_at is None:
            return None
        return self.last_verified_at + timedelta(days=VERIFY_EVERY_DAYS)


class Location(TimeStampedModel):
    class Type(models.TextChoices):
        PHYSICAL = "physical", _("physical")
        POSTAL = "postal", _("postal")
        VIRTUAL = "virtual", _("virtual")

    id = _id_field()
    location_type = models.CharField(max_length=10, choices=Type.choices, default=Type.PHYSICAL)
    url = models.URLField(max_length=500, blank=True)
    organization = _link("Organization", "locations")
    name = models.CharField(max_length=300, blank=True)
    alternate_name = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    transportation = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = models.CharField(max_length=200, blank=True)
    external_identifier_type = models.CharField(max_length=200, blank=True)
    # facit: set when one of its addresses is protected; its coordinates are then never
    # published or used for distances either (they would reveal the address).
    is_protected = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        indexes = [models.Index(fields=["latitude", "longitude"])]

    def __str__(self) -> str:
        return self.name or self.id


class ServiceAtLocation(TimeStampedModel):
    id = _id_field()
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = models.TextField(blank=True)

    class Meta:
        verbose_name = _("service at location")
        verbose_name_plural = _("services at locations")

    def __str__(self) -> str:
        return f"{self.service_id} @ {self.location_id}"


class Address(models.Model):
    class Type(models.TextChoices):
        PHYSICAL = "physical", _("physical")
        POSTAL = "postal", _("postal")
        VIRTUAL = "virtual", _("virtual")

    id = _id_field()
    location = _link("Location", "addresses")
    attention = models.CharField(max_length=200, blank=True)
    address_1 = models.CharField(max_length=300)
    address_2 = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=200)
    region = models.CharField(max_length=200, blank=True)
    state_province = models.CharField(max_length=200)
    postal_code = models.CharField(max_length=20)
    country = models.CharField(max_length=2)
    address_type = models.CharField(max_length=10, choices=Type.choices)
    # facit: a protected address is never published (page, API, export): "contact by phone".
    is_protected = models.BooleanField(_("protected address"), default=False)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return f"{self.address_1}, {self.city}"


class Contact(models.Model):
    id = _id_field()
    organization = _link("Organization", "contacts")
    service = _link("Service", "contacts")
    service_at_location = _link("ServiceAtLocation", "contacts")
    location = _link("Location", "contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    department = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)

    def __str__(self) -> str:
        return self.name or self.id


class Phone(models.Model):
    id = _id_field()
    location = _link("Location", "phones")
    service = _link("Service", "phones")
    organization = _link("Organization", "phones")
    contact = _link("Contact", "phones")
    service_at_location = _link("ServiceAtLocation", "phones")
    number = models.CharField(_("number"), max_length=100)
    extension = models.FloatField(null=True, blank=True)
    type = models.CharField(max_length=30, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")

    def __str__(self) -> str:
        return self.number


class Schedule(models.Model):
    id = _id_field()
    service = _link("Service", "schedules")
    location = _link("Location", "schedules")
    service_at_location = _link("ServiceAtLocation", "schedules")
    valid_from = models.CharField(max_length=30, blank=True)
    valid_to = models.CharField(max_length=30, blank=True)
    dtstart = models.CharField(max_length=30, blank=True)
    timezone = models.FloatField(null=True, blank=True)
    until = models.CharField(max_length=30, blank=True)
    count = models.FloatField(null=True, blank=True)
    wkst = models.CharField(max_length=2, blank=True)
    freq = models.CharField(max_length=10, blank=True)
    interval = models.FloatField(null=True, blank=True)
    byday = models.CharField(max_length=100, blank=True)
    byweekno = models.CharField(max_length=100, blank=True)
    bymonthday = models.CharField(max_length=100, blank=True)
    byyearday = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    description_sv = models.TextField(blank=True)  # facit's addition: Swedish wording
    opens_at = models.CharField(max_length=20, blank=True)
    closes_at = models.CharField(max_length=20, blank=True)
    schedule_link = models.URLField(max_length=500, blank=True)
    attending_type = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")

    def __str__(self) -> str:
        return self.description or f"{self.byday} {self.opens_at}-{self.closes_at}"


class ServiceArea(models.Model):
    """Where a service serves. facit reads `scope` (national, county, municipality or a
    radius around a point) for search; the HSDS fields describe it for others."""

    class Scope(models.TextChoices):
        NATIONAL = "national", _("the whole country")
        COUNTY = "county", _("a county")
        MUNICIPALITY = "municipality", _("a municipality")
        RADIUS = "radius", _("a distance around a point")
        OTHER = "other", _("as described")

    id = _id_field()
    service = _link("Service", "service_areas")
    name = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    description_sv = models.TextField(blank=True)  # facit's addition: Swedish wording
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=50, blank=True)
    uri = models.CharField(max_length=500, blank=True)
    # facit
    scope = models.CharField(max_length=12, choices=Scope.choices, default=Scope.OTHER)
    county = models.ForeignKey(
        County, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    radius_km = models.FloatField(null=True, blank=True)
    # The circle's bounding box, so that search reads only the circles near a place.
    min_latitude = models.FloatField(null=True, blank=True, editable=False)
    max_latitude = models.FloatField(null=True, blank=True, editable=False)
    min_longitude = models.FloatField(null=True, blank=True, editable=False)
    max_longitude = models.FloatField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")
        indexes = [
            models.Index(fields=["scope", "county"]),
            models.Index(fields=["scope", "municipality"]),
            models.Index(fields=["scope", "min_latitude", "max_latitude"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(scope="county") | Q(county__isnull=False), name="area_county_set"
            ),
            models.CheckConstraint(
                condition=~Q(scope="municipality") | Q(municipality__isnull=False),
                name="area_municipality_set",
            ),
            models.CheckConstraint(
                condition=~Q(scope="radius")
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    radius_km__gt=0,
                    radius_km__lte=200,
                ),
                name="area_radius_set",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.get_scope_display()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.set_bounds()
        super().save(*args, **kwargs)

    def set_bounds(self) -> None:
        """Fill the bounding box from the circle (call before bulk writes; save() does it)."""
        self.min_latitude = self.max_latitude = self.min_longitude = self.max_longitude = None
        lat, lon, radius = self.latitude, self.longitude, self.radius_km
        if (
            self.scope == self.Scope.RADIUS
            and lat is not None
            and lon is not None
            and radius is not None
        ):
            dlat = radius / KM_PER_DEGREE
            widest = math.radians(min(89.9, abs(lat) + dlat))
            dlon = radius / (KM_PER_DEGREE * max(0.001, math.cos(widest)))
            self.min_latitude, self.max_latitude = lat - dlat, lat + dlat
            self.min_longitude, self.max_longitude = lon - dlon, lon + dlon


class Language(models.Model):
    id = _id_field()
    service = _link("Service", "languages")
    location = _link("Location", "languages")
    phone = _link("Phone", "languages")
    name = models.CharField(max_length=100, blank=True)
    code = models.CharField(max_length=20, blank=True, db_index=True)
    note = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name or self.code


class CostOption(models.Model):
    id = _id_field()
    service = _link("Service", "cost_options")
    valid_from = models.CharField(max_length=30, blank=True)
    valid_to = models.CharField(max_length=30, blank=True)
    option = models.CharField(max_length=300, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    amount = models.FloatField(null=True, blank=True)
    amount_description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.option or self.id


class Attribute(models.Model):
    """Links a taxonomy term to any HSDS object (facit: eligibility, channel, cost...)."""

    id = _id_field()
    link_id = models.CharField(max_length=36, db_index=True)
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.CASCADE, related_name="attributes", null=True, blank=True
    )
    link_type = models.CharField(max_length=100, blank=True)
    link_entity = models.CharField(max_length=50, blank=True)
    value = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["taxonomy_term", "link_id"])]

    def __str__(self) -> str:
        return f"{self.link_entity} {self.link_id}: {self.taxonomy_term_id}"


class HsdsExtra(models.Model):
    """HSDS objects facit does not model (program, funding, accessibility, ...), kept as
    imported so that an export gives them back."""

    kind = models.CharField(max_length=40)
    object_id = models.CharField(max_length=36)
    data = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="hsds_extra_unique")
        ]

    # --------------------------------------------------------------------------- providers

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class Membership(models.Model):
    """A provider account may edit the services of this organisation (moderated)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organization}"


class PendingChange(models.Model):
    """A provider's proposed edit of a service, applied only when an editor approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="pending_changes")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(default=dict)
    base_version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")

    def __str__(self) -> str:
        return f"{self.service_id} ({self.status})"


# --------------------------------------------------------------------------- referral guide


class DutyToReportText(models.Model):
    """One version of the referral guide's text on the duty to report concern. The newest
    version is shown; older ones stay as the record of what was shown when."""

    summary = models.TextField(_("summary"))
    legal_reference = models.TextField(_("legal reference"))
    sources = models.JSONField(_("sources"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin = models.CharField(max_length=10, choices=DataOrigin.choices, default=DataOrigin.ENTERED)
    # facit's additions: the Swedish wording shown on Swedish pages, and a note for editors
    # only (never shown to the public).
    summary_sv = models.TextField(_("summary in Swedish"), blank=True)
    legal_reference_sv = models.TextField(_("legal reference in Swedish"), blank=True)
    editor_note = models.TextField(_("note for editors"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]
        verbose_name = _("duty-to-report text")
        verbose_name_plural = _("duty-to-report texts")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"


# --------------------------------------------------------------------------- Barnahus


class Barnahus(models.Model):
    """A Barnahus from data/barnahus_se.json: only what a stored source stated, with the
    municipalities a source names as covered (how that is known: coverage_note)."""

    id = models.SlugField(primary_key=True, max_length=100)
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=200, blank=True)
    email = models.CharField(_("e-mail"), max_length=200, blank=True)
    website = models.URLField(_("web address"), max_length=500, blank=True)
    hours = models.CharField(_("opening hours"), max_length=300, blank=True)
    serves = models.TextField(_("who it is for"), blank=True)
    partners = models.TextField(_("who works there"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    coverage_note = models.TextField(_("how the coverage is known"), blank=True)
    # Swedish wording of the descriptive fields (data/directory_sv.json)
    address_sv = models.TextField(blank=True)
    hours_sv = models.CharField(max_length=300, blank=True)
    serves_sv = models.TextField(blank=True)
    partners_sv = models.TextField(blank=True)
    notes_sv = models.TextField(blank=True)
    coverage_note_sv = models.TextField(blank=True)
    coverage_expanded = models.BooleanField(
        default=False, help_text="coverage expanded from 'all municipalities of the county'"
    )
    sources = models.JSONField(_("sources"), default=list)
    municipalities = models.ManyToManyField(Municipality, related_name="barnahus", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "Barnahus"
        verbose_name_plural = "Barnahus"

    def __str__(self) -> str:
        return self.name

    def text(self, name: str) -> str:
        """A descriptive field in the page's language (Swedish where translated)."""
        if (get_language() or "sv").startswith("sv"):
            return getattr(self, f"{name}_sv") or getattr(self, name)
        return str(getattr(self, name))

    def is_translated(self, name: str) -> bool:
        value = getattr(self, name)
        return not value or bool(getattr(self, f"{name}_sv"))


class BarnahusNote(models.Model):
    """A network fact, a recorded gap or the police's advice, from data/barnahus_se.json."""

    class Kind(models.TextChoices):
        NETWORK = "network", _("network")
        GAP = "gap", _("gap reported")
        ADVICE = "advice", _("advice")

    id = models.SlugField(primary_key=True, max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField()
    text_sv = models.TextField(blank=True)
    sources = models.JSONField(default=list)
    municipalities = models.ManyToManyField(Municipality, related_name="barnahus_notes", blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.id

    def localized(self) -> str:
        if (get_language() or "sv").startswith("sv"):
            return self.text_sv or self.text
        return self.text
