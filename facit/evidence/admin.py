"""Staff UI for the evidence team (Django admin, permission-checked by role)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from facit.core.admin import VersionedAdminMixin
from facit.core.jobs import job_start
from facit.evidence.models import (
    Appraisal,
    ClearinghouseRating,
    Evaluation,
    Intervention,
    Outcome,
    Term,
)
from facit.evidence.services import appraisal_disagreements, intervention_recompute
from facit.evidence.synthesis_services import OutcomeInputError, effect_or_none
from facit.evidence.tasks import recompute_levels


class EvaluationInline(admin.TabularInline):
    model = Evaluation
    fields = ["title", "year", "design", "sample_size", "independent"]
    extra = 0
    show_change_link = True


class RatingInline(admin.TabularInline):
    model = ClearinghouseRating
    extra = 0


@admin.register(Intervention)
class InterventionAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "evidence_level", "evaluation_count", "origin", "is_published"]
    list_filter = ["evidence_level", "origin", "is_published", "focus", "target_groups"]
    search_fields = ["name", "description"]
    filter_horizontal = ["focus", "target_groups", "settings", "countries"]
    readonly_fields = [
        "evidence_level",
        "level_reasons",
        "level_flags",
        "level_rules_version",
        "evaluation_count",
    ]
    inlines = [EvaluationInline, RatingInline]
    actions = ["recompute_all_levels"]

    @admin.action(description=_("Recompute every evidence level (background job)"))
    def recompute_all_levels(self, request: HttpRequest, queryset: Any) -> HttpResponse:
        job = job_start(
            kind="evidence.recompute_levels",
            task=recompute_levels,
            created_by=request.user,
            label=str(_("Recompute levels")),
        )
        return redirect("core:job", job_id=job.pk)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        intervention_recompute(intervention=form.instance)


class OutcomeForm(forms.ModelForm):
    """Computes the effect size from the reported statistics, as outcome_record does."""

    class Meta:
        model = Outcome
        fields = [
            "measure",
            "comparison_key",
            "direction",
            "timepoint_months",
            "effect_measure",
            "reported",
            "n_total",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            effect = effect_or_none(data.get("effect_measure", ""), data.get("reported") or {})
        except OutcomeInputError as exc:
            raise forms.ValidationError(f"{exc.field}: {exc.reason}") from None
        self.instance.yi = effect.yi if effect else None
        self.instance.vi = effect.vi if effect else None
        self.instance.effect_notes = (
            [{"code": n.code, "text": n.text} for n in effect.notes] if effect else []
        )
        if effect:
            data["effect_measure"] = effect.measure
        return data


class OutcomeInline(admin.TabularInline):
    model = Outcome
    form = OutcomeForm
    fields = [*OutcomeForm.Meta.fields, "yi", "vi"]
    readonly_fields = ["yi", "vi"]
    extra = 0


class AppraisalInline(admin.StackedInline):
    model = Appraisal
    extra = 0
    fields = ["role", "appraiser", "design_confirmed", "overall", "domains", "notes"]


@admin.register(Evaluation)
class EvaluationAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "intervention", "year", "design", "disagreement"]
    list_filter = ["design", "origin"]
    search_fields = ["title", "authors", "doi"]
    autocomplete_fields = ["intervention"]
    inlines = [OutcomeInline, AppraisalInline]

    @admin.display(description="appraisers disagree on")
    def disagreement(self, obj: Evaluation) -> str:
        return ", ".join(appraisal_disagreements(evaluation=obj)) or "–"

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        intervention_recompute(intervention=form.instance.intervention)


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["vocabulary", "code", "label_sv", "label_en", "position"]
    list_filter = ["vocabulary"]
    search_fields = ["code", "label_sv", "label_en"]
