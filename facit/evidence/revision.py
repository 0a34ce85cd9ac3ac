"""The revision of the evidence data: one row every writing service bumps inside its
transaction, read with one query by whatever caches a view of the data (the map).

The row lives in the database, so every process (each web worker) sees a committed write on
its next read; a rolled-back bump leaves the row as it was. Signal handlers bump it too, as a
safety net for a write that does not pass a service (the admin, a fixture); writes that skip
signals (`QuerySet.update`, `bulk_create`, `bulk_update`) must call `evidence_changed`.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from facit.evidence.models import EvidenceRevision

ROW = 1


def current() -> tuple[int, str]:
    """(value, token) of the revision: one primary-key read."""
    row = EvidenceRevision.objects.filter(pk=ROW).values_list("value", "token").first()
    return row if row is not None else (0, "")


def evidence_changed() -> None:
    """Bump the evidence revision inside the caller's transaction,
    when there is one: every service writing evidence data calls this."""
    token = uuid.uuid4().hex
    with transaction.atomic():
        updated = EvidenceRevision.objects.filter(pk=ROW).update(value=F("value") + 1, token=token)
        if not updated:  # the table was emptied (a flushed test database)
            EvidenceRevision.objects.create(pk=ROW, value=1, token=token)


def _on_write(sender: Any, **kwargs: Any) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label != "evidence" or sender is EvidenceRevision:
        return
    if kwargs.get("raw"):  # loaddata
        return
    if "action" in kwargs and not kwargs["action"].startswith("post_"):
        return
    evidence_changed()


def connect() -> None:
    """Bump on every save, delete and many-to-many change of an evidence model."""
    post_save.connect(_on_write, dispatch_uid="evidence-revision-save")
    post_delete.connect(_on_write, dispatch_uid="evidence-revision-delete")
    m2m_changed.connect(_on_write, dispatch_uid="evidence-revision-m2m")
