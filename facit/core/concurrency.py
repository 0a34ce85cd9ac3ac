"""Optimistic locking: an edit made from a stale copy is refused, never silently applied."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F


class EditConflict(Exception):
    """Someone else saved the object after the editor loaded it."""

    def __init__(self, obj: models.Model, expected: int) -> None:
        self.obj = obj
        self.expected = expected
        super().__init__(
            f"{obj._meta.verbose_name} was changed by someone else (version {expected} is stale)"
        )


def save_versioned(obj: Any, *, expected_version: int, update_fields: list[str]) -> None:
    """Write `update_fields` of `obj` only if its stored version is still `expected_version`."""
    values = {name: getattr(obj, name) for name in update_fields}
    if "updated_at" in {f.name for f in obj._meta.concrete_fields}:
        from django.utils import timezone

        values["updated_at"] = obj.updated_at = timezone.now()
    changed = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, version=expected_version)
        .update(version=F("version") + 1, **values)
    )
    if changed == 0:
        raise EditConflict(obj, expected_version)
    obj.version = expected_version + 1


def update_versioned(
    obj: Any, *, expected_version: int, data: dict[str, Any], actor: Any, action: str
) -> Any:
    """Set `data` on `obj`, save it only if nobody saved since `expected_version`, and audit
    which fields changed (never their content)."""
    from facit.core.audit import audit_record

    for name, value in data.items():
        setattr(obj, name, value)
    save_versioned(obj, expected_version=expected_version, update_fields=list(data))
    audit_record(actor=actor, action=action, target=obj, detail={"fields": sorted(data)})
    return obj
