from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _

from facit.core.audit import audit_record
from facit.core.models import AuditEvent, Job


class VersionedAdminMixin:
    """Refuses to save an admin form that was loaded before someone else saved the object."""

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if kwargs.get("fields"):
            kwargs["fields"] = [f for f in kwargs["fields"] if f != "loaded_version"]
        base = super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]

        class VersionedForm(base):  # type: ignore[misc, valid-type]
            loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, **kw)
                if self.instance.pk:
                    self.fields["loaded_version"].initial = self.instance.version

            def clean(self) -> dict[str, Any]:
                data = super().clean()
                loaded = data.get("loaded_version")
                if self.instance.pk and loaded is not None:
                    current = (
                        type(self.instance)
                        .objects.filter(pk=self.instance.pk)
                        .values_list("version", flat=True)
                        .first()
                    )
                    if current != loaded:
                        raise forms.ValidationError(
                            _(
                                "Someone else saved this after you opened it. Reload the page to see their changes; yours were not saved."
                            )
                        )
                return data

        return VersionedForm

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        names = [f for _, opts in fieldsets for f in opts["fields"]]
        if "loaded_version" not in names:
            fieldsets = [*fieldsets, (None, {"fields": ["loaded_version"], "classes": ["hidden"]})]
        return fieldsets

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            loaded = form.cleaned_data.get("loaded_version")
            bumped = (
                type(obj).objects.filter(pk=obj.pk, version=loaded).update(version=F("version") + 1)
            )
            if not bumped:
                raise forms.ValidationError(_("Someone else saved this at the same moment."))
            obj.version = loaded + 1
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        audit_record(
            actor=request.user,
            action=f"{obj._meta.label_lower}.{'update' if change else 'create'}",
            target=obj,
            detail={"fields": sorted(form.changed_data)},
        )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "target_type", "target_id"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "target_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "status", "done", "total"]
    readonly_fields = [f.name for f in Job._meta.fields]
