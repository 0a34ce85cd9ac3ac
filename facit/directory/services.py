"""Writes to the directory: indexing, verification, moderated provider edits, protection of
addresses and the referral guide's duty-to-report text. Every write is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from facit.accounts import roles
from facit.accounts.models import User
from facit.core.audit import audit_record
from facit.core.concurrency import save_versioned
from facit.directory.models import (
    Address,
    Attribute,
    Barnahus,
    BarnahusNote,
    County,
    DataOrigin,
    DutyToReportText,
    Location,
    Membership,
    Municipality,
    Organization,
    PendingChange,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    Taxonomy,
    TaxonomyTerm,
)
from facit.directory.textsearch import index_text

# What a provider may propose to change on a service.
PROVIDER_FIELDS = (
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "application_process",
    "fees_description",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "alert",
)


def ages_validate(minimum: float | None, maximum: float | None) -> None:
    """Ages a service may state: 0–120, the youngest not above the oldest (the database
    holds the same rule as constraints)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from facit.directory.models import MAX_AGE, MIN_AGE

    errors: dict[str, str] = {}
    for name, value in (("minimum_age", minimum), ("maximum_age", maximum)):
        if value is not None and not MIN_AGE <= value <= MAX_AGE:
            errors[name] = _("An age must be between %(min)s and %(max)s.") % {
                "min": MIN_AGE,
                "max": MAX_AGE,
            }
    if not errors and minimum is not None and maximum is not None and minimum > maximum:
        errors["maximum_age"] = _("The oldest age cannot be below the youngest.")
    if errors:
        raise ValidationError(errors)


class ChangeNotPending(Exception):
    """The proposed change was already approved or rejected."""


def service_index(*, service: Service) -> None:
    """Recompute the stemmed search text of one service (names, texts, term labels)."""
    labels = [
        f"{t.name} {t.name_sv}"
        for a in Attribute.objects.filter(link_id=service.pk).select_related("taxonomy_term")
        if (t := a.taxonomy_term) is not None
    ]
    organization = service.organization if service.organization_id else None
    org = organization.name if organization is not None else ""
    text = index_text(
        service.name,
        service.alternate_name,
        service.description,
        service.eligibility_description,
        org,
        *labels,
    )
    Service.objects.filter(pk=service.pk).update(search_text=text)
    service.search_text = text


def services_index_all() -> int:
    count = 0
    for service in Service.objects.select_related("organization").iterator():
        service_index(service=service)
        count += 1
    return count


def locations_protection_sync() -> int:
    """A location with a protected address also hides its coordinates."""
    protected = Exists(Address.objects.filter(location_id=OuterRef("pk"), is_protected=True))
    changed = Location.objects.filter(protected, is_protected=False).update(is_protected=True)
    changed += Location.objects.filter(~protected, is_protected=True).update(is_protected=False)
    return changed


@transaction.atomic
def address_set_protected(*, address: Address, protected: bool, actor: User) -> Address:
    Address.objects.filter(pk=address.pk).update(is_protected=protected)
    address.is_protected = protected
    locations_protection_sync()
    audit_record(
        actor=actor,
        action="directory.address.protect" if protected else "directory.address.unprotect",
        target=address,
    )
    return address


@transaction.atomic
def service_verify(*, service: Service, actor: User) -> Service:
    """Record that someone checked the service's details today."""
    service.last_verified_at = timezone.localdate()
    service.last_verified_by = actor
    Service.objects.filter(pk=service.pk).update(
        last_verified_at=service.last_verified_at, last_verified_by=actor
    )
    audit_record(actor=actor, action="directory.service.verify", target=service)
    return service


def user_can_edit_organization(
    user: User | AnonymousUser, organization: Organization | None
) -> bool:
    """Editors edit every organisation; providers only those they are members of."""
    if organization is None or not isinstance(user, User):
        return False
    if user.has_role(roles.EDITOR):
        return True
    if not user.has_role(roles.PROVIDER):
        return False
    return Membership.objects.filter(user=user, organization=organization).exists()


@transaction.atomic
def membership_add(*, user: User, organization: Organization, actor: User) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, organization=organization)
    audit_record(
        actor=actor,
        action="directory.membership.add",
        target=organization,
        detail={"user": user.get_username()},
    )
    return membership


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in PROVIDER_FIELDS}


@transaction.atomic
def change_propose(
    *, service: Service, data: dict[str, Any], actor: User, expected_version: int
) -> PendingChange:
    """A provider's edit: stored for an editor's approval, the service is untouched."""
    if not user_can_edit_organization(actor, service.organization):
        raise PermissionDenied
    cleaned = _clean(data)
    ages_validate(
        cleaned.get("minimum_age", service.minimum_age),
        cleaned.get("maximum_age", service.maximum_age),
    )
    changed = {k: v for k, v in cleaned.items() if getattr(service, k) != v}
    change = PendingChange.objects.create(
        service=service, proposed_by=actor, data=changed, base_version=expected_version
    )
    audit_record(
        actor=actor,
        action="directory.change.propose",
        target=service,
        detail={"fields": sorted(changed), "change": change.pk},
    )
    return change


def _locked_pending(change: PendingChange) -> PendingChange:
    """The change's row, locked until the decision commits, re-read and re-checked: of two
    concurrent decisions the second waits and then finds it decided (ChangeNotPending)."""
    locked = PendingChange.objects.select_for_update().get(pk=change.pk)
    if locked.status != PendingChange.Status.PENDING:
        raise ChangeNotPending
    return locked


def _decide(change: PendingChange, *, status: str, actor: User, note: str) -> None:
    if change.status != PendingChange.Status.PENDING:
        raise ChangeNotPending
    change.status = status
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.decision_note = note
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


@transaction.atomic
def change_approve(*, change: PendingChange, actor: User, note: str = "") -> Service:
    """Apply the proposal; refuses (EditConflict) when the service changed meanwhile."""
    if not actor.has_role(roles.EDITOR):
        raise PermissionDenied
    change = _locked_pending(change)
    service = Service.objects.select_for_update().get(pk=change.service_id)
    data = _clean(change.data)
    ages_validate(
        data.get("minimum_age", service.minimum_age), data.get("maximum_age", service.maximum_age)
    )
    for name, value in data.items():
        setattr(service, name, value)
    service.last_modified = timezone.now()
    save_versioned(
        service,
        expected_version=change.base_version,
        update_fields=[*data, "last_modified"],
    )
    _decide(change, status=PendingChange.Status.APPROVED, actor=actor, note=note)
    service_index(service=service)
    audit_record(
        actor=actor,
        action="directory.change.approve",
        target=service,
        detail={"fields": sorted(data), "change": change.pk},
    )
    return service


@transaction.atomic
def change_reject(*, change: PendingChange, actor: User, note: str = "") -> PendingChange:
    if not actor.has_role(roles.EDITOR):
        raise PermissionDenied
    change = _locked_pending(change)
    _decide(change, status=PendingChange.Status.REJECTED, actor=actor, note=note)
    audit_record(
        actor=actor,
        action="directory.change.reject",
        target=change.service,
        detail={"change": change.pk},
    )
    return change


@transaction.atomic
def duty_text_create(
    *, summary: str, legal_reference: str, sources: list[str], actor: User
) -> DutyToReportText:
    """A new version of the duty-to-report text (older versions are kept)."""
    if not actor.has_role(roles.EDITOR):
        raise PermissionDenied
    text = DutyToReportText.objects.create(
        summary=summary, legal_reference=legal_reference, sources=sources, created_by=actor
    )
    audit_record(actor=actor, action="directory.duty_text.create", target=text)
    return text


def duty_text_current() -> DutyToReportText | None:
    return DutyToReportText.objects.order_by("-created_at", "-id").first()


# --------------------------------------------------------------------------- HSDS import


def _hsds_upsert(
    kind: str, records: dict[str, dict[str, Any]], new_defaults: dict[str, Any]
) -> int:
    """Create the objects not yet stored and update the others, field for field."""
    from facit.directory.hsds_io import MODELS, by_attname, fields_for

    if not records:
        return 0
    model = MODELS[kind]
    manager = model._default_manager
    existing = set(manager.filter(pk__in=list(records)).values_list("pk", flat=True))
    fresh, changed = [], []
    update_fields: set[str] = set()
    for oid, record in records.items():
        values = fields_for(kind, record)
        update_fields |= set(values)
        if oid in existing:
            changed.append(model(pk=oid, **values))
        else:
            fresh.append(model(pk=oid, **{**new_defaults, **values}))
    manager.bulk_create(fresh, batch_size=500)
    if changed:
        fields = by_attname(model)
        manager.bulk_update(changed, sorted(fields[a].name for a in update_fields), batch_size=500)
    return len(records)


def hsds_dataset_import(*, dataset: Any, actor: Any, source: str = "") -> Any:
    """Write a validated HSDS dataset in one transaction (all or nothing) and audit it.

    ``actor`` None is the command line (``manage.py hsds_import``); a person must be an
    editor (editors moderate the directory). Returns an ImportSummary."""
    from facit.directory.hsds_io import MODELS, ImportSummary
    from facit.directory.models import DataOrigin, HsdsExtra

    if actor is not None and not actor.has_role(roles.EDITOR):
        raise PermissionDenied("only editors import HSDS data")
    new_defaults: dict[str, dict[str, Any]] = {
        "organization": {"origin": DataOrigin.IMPORTED},
        "service": {"origin": DataOrigin.IMPORTED},
    }
    counts: dict[str, int] = {}
    with transaction.atomic():
        for kind in MODELS:
            counts[kind] = _hsds_upsert(kind, dataset.table(kind), new_defaults.get(kind, {}))
        for kind, table in dataset.tables():
            if kind in MODELS:
                continue
            for oid, record in table.items():
                HsdsExtra.objects.update_or_create(
                    kind=kind, object_id=oid, defaults={"data": record}
                )
                counts[kind] = counts.get(kind, 0) + 1
        locations_protection_sync()
        for service in Service.objects.filter(pk__in=list(dataset.services)).select_related(
            "organization"
        ):
            service_index(service=service)
        audit_record(
            actor=actor,
            action="directory.hsds.import",
            detail={"counts": {k: v for k, v in counts.items() if v}, "source": source[:200]},
        )
    return ImportSummary(counts)


def hsds_import(*, path: Any, actor: Any, strict: bool = False) -> Any:
    """Check and import the HSDS data at ``path`` (a JSON file, a directory of them, or a
    tabular data package as a directory or zip). Schema errors raise HsdsValidationError and
    nothing is stored; with ``strict`` referential and semantic problems do too, otherwise
    they come back as the summary's warnings, each with its JSON path."""
    from facit.directory.hsds_io import import_path

    if actor is not None and not actor.has_role(roles.EDITOR):
        raise PermissionDenied("only editors import HSDS data")
    return import_path(path, actor=actor, strict=strict)


# --- Loading the verified data (data/services_se.json, municipalities.csv, barnahus_se.json)
# `facit.directory.seed` reads the files and works out each row; the writes are here. No
# person acts: each load is audited as the system. Loading again updates in place.


@transaction.atomic
def taxonomy_seed(*, taxonomy: dict[str, Any], terms: list[dict[str, Any]]) -> int:
    """facit's taxonomy (`taxonomy` holds its id and fields) and its terms (each with its id)."""
    row, _ = Taxonomy.objects.update_or_create(
        id=taxonomy["id"], defaults={k: v for k, v in taxonomy.items() if k != "id"}
    )
    for term in terms:
        TaxonomyTerm.objects.update_or_create(
            id=term["id"],
            defaults={**{k: v for k, v in term.items() if k != "id"}, "taxonomy_detail": row},
        )
    audit_record(actor=None, action="directory.taxonomy_seed", detail={"terms": len(terms)})
    return len(terms)


@transaction.atomic
def places_seed(*, counties: dict[str, str], municipalities: list[dict[str, Any]]) -> None:
    """Counties (code -> name) and municipalities. The on-call contact an editor recorded is
    kept: only the file's columns are updated."""
    County.objects.bulk_create(
        [County(code=code, name=name) for code, name in counties.items()],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name"],
    )
    Municipality.objects.bulk_create(
        [Municipality(**row) for row in municipalities],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "county", "latitude", "longitude"],
    )
    from facit.directory.search import places_invalidate

    places_invalidate()
    audit_record(
        actor=None,
        action="directory.places_seed",
        detail={"counties": len(counties), "municipalities": len(municipalities)},
    )


@transaction.atomic
def verified_service_seed(
    *,
    organization: dict[str, Any],
    service: dict[str, Any],
    areas: list[dict[str, Any]],
    phone: dict[str, Any] | None,
    schedule: dict[str, Any] | None,
    attributes: list[dict[str, Any]],
) -> Service:
    """One verified organisation and its service; its areas, phone, schedule and attributes
    are replaced by the file's. Each dict holds the row's id and fields."""
    org, _ = Organization.objects.update_or_create(
        id=organization["id"], defaults={k: v for k, v in organization.items() if k != "id"}
    )
    row, _ = Service.objects.update_or_create(
        id=service["id"],
        defaults={**{k: v for k, v in service.items() if k != "id"}, "organization": org},
    )
    ServiceArea.objects.filter(service=row).delete()
    for area in areas:
        ServiceArea.objects.update_or_create(
            id=area["id"],
            defaults={**{k: v for k, v in area.items() if k != "id"}, "service": row},
        )
    Phone.objects.filter(service=row).delete()
    if phone is not None:
        Phone.objects.create(**phone, service=row)
    Schedule.objects.filter(service=row).delete()
    if schedule is not None:
        Schedule.objects.create(**schedule, service=row)
    Attribute.objects.filter(link_id=row.id).delete()
    for attribute in attributes:
        Attribute.objects.create(**attribute, link_id=row.id)
    audit_record(actor=None, action="directory.service_seed", target=row)
    return row


@transaction.atomic
def duty_to_report_seed(*, wording: dict[str, Any], sources: list[str]) -> bool:
    """The first verified version of the guide's duty-to-report text; a verified version
    loaded before the Swedish wording existed gets it. An editor's version is never touched.
    Returns whether anything was written."""
    current = DutyToReportText.objects.order_by("-created_at", "-id").first()
    if current is not None:
        if current.origin == DataOrigin.VERIFIED and not current.summary_sv:
            DutyToReportText.objects.filter(pk=current.pk).update(**wording)
            audit_record(actor=None, action="directory.duty_to_report_seed", target=current)
            return True
        return False
    text = DutyToReportText.objects.create(**wording, sources=sources, origin=DataOrigin.VERIFIED)
    audit_record(actor=None, action="directory.duty_to_report_seed", target=text)
    return True


@transaction.atomic
def barnahus_seed(
    *,
    entries: list[tuple[str, dict[str, Any], list[Any]]],
    notes: list[tuple[str, dict[str, Any], list[Any]]],
) -> tuple[int, int]:
    """The Barnahus and the network's notes, each as (id, fields, municipality codes); those
    no longer in the file go."""
    ids = []
    for pk, defaults, codes in entries:
        barnahus, _ = Barnahus.objects.update_or_create(id=pk, defaults=defaults)
        barnahus.municipalities.set(codes)
        ids.append(barnahus.pk)
    Barnahus.objects.exclude(id__in=ids).delete()
    note_ids = []
    for pk, defaults, codes in notes:
        note, _ = BarnahusNote.objects.update_or_create(id=pk, defaults=defaults)
        note.municipalities.set(codes)
        note_ids.append(pk)
    BarnahusNote.objects.exclude(id__in=note_ids).delete()
    audit_record(
        actor=None,
        action="directory.barnahus_seed",
        detail={"barnahus": len(ids), "notes": len(note_ids)},
    )
    return len(ids), len(note_ids)
