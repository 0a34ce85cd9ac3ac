"""Read-only window onto the evidence registry (superusers only).

Interventions, evaluations and outcomes are written on the evidence team's pages, through
the services (which recompute levels and keep the audit log). Appraisals are not shown, so
blinding holds even here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from facit.core.admin import ReadOnlyAdmin, ReadOnlyInline
from facit.core.jobs import job_start
from facit.evidence.models import ClearinghouseRating, Evaluation, Intervention, Outcome, Term
from facit.evidence.tasks import recompute_levels


class EvaluationInline(ReadOnlyInline):
    model = Evaluation
    fields = ["title", "year", "design", "sample_size", "independent"]


class RatingInline(ReadOnlyInline):
    model = ClearinghouseRating


@admin.register(Intervention)
class InterventionAdmin(ReadOnlyAdmin):
    list_display = ["name", "evidence_level", "evaluation_count", "origin", "is_published"]
    list_filter = ["evidence_level", "origin", "is_published", "focus", "target_groups"]
    search_fields = ["name", "description"]
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


class OutcomeInline(ReadOnlyInline):
    model = Outcome
    fields = ["measure", "comparison_key", "direction", "effect_measure", "yi", "vi", "n_total"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["title", "intervention", "year", "design"]
    list_filter = ["design", "origin"]
    search_fields = ["title", "authors", "doi"]
    inlines = [OutcomeInline]


@admin.register(Term)
class TermAdmin(ReadOnlyAdmin):
    list_display = ["vocabulary", "code", "label_sv", "label_en", "position"]
    list_filter = ["vocabulary"]
    search_fields = ["code", "label_sv", "label_en"]
