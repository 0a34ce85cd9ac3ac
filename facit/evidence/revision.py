"""The revision of the evidence data: one row every writing service bumps inside its
transaction, read with one query by whatever caches a view of the data (the map).

The row lives in the database, so every process (each web worker) sees a committed write on
its next read; a rolled-back bump leaves the row as it was. Signal handlers bump it too, as a
safety net for a write that does not pass a service (the admin, a fixture); writes that skip
signals (`QuerySet.update`, `bulk_create`, `bulk_update`) must call `facit.evidence.services.evidence_changed`.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from facit.evidence.models import EvidenceRevision

ROW = 1


def current() -> tuple[int, str]:
    """(value, token) of the revision: one primary-key read."""
    row = EvidenceRevision.objects.filter(pk=ROW).values_list("value", "token").first()
    return row if row is not None else (0, "")


def _on_write(sender: Any, **kwargs: Any) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label != "evidence" or sender is EvidenceRevision:
        return
    if kwargs.get("raw"):  # loaddata
        return
    if "action" in kwargs and not kwargs["action"].startswith("post_"):
        return
    from facit.evidence.services import evidence_changed

    evidence_changed()


def connect() -> None:
    """Bump on every save, delete and many-to-many change of an evidence model."""
    post_save.connect(_on_write, dispatch_uid="evidence-revision-save")
    post_delete.connect(_on_write, dispatch_uid="evidence-revision-delete")
    m2m_changed.connect(_on_write, dispatch_uid="evidence-revision-m2m")
