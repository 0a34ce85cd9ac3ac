"""The appraisal page and the extraction desk: blinded work of two reviewers, then consensus."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from facit.accounts.actor import request_actor
from facit.accounts.roles import REVIEWER
from facit.core.concurrency import EditConflict
from facit.core.permissions import role_required
from facit.evidence import vocabularies as vocab
from facit.evidence.appraisal import desk
from facit.evidence.appraisal.forms import AppraisalForm, DeskSubmitForm, ExtractionForm
from facit.evidence.appraisal.selectors import appraisal_sight, extraction_sight
from facit.evidence.appraisal.services import appraisal_consensus, appraisal_submit
from facit.evidence.labels import design_class_label, direction_labels, outcome_domain_label
from facit.evidence.models import ROB_DOMAINS, Appraisal, Evaluation
from facit.evidence.registry.selectors import extraction_view


def _appraisal_initial(appraisal: Appraisal | None) -> dict[str, object]:
    if appraisal is None:
        return {}
    initial: dict[str, object] = {
        "overall": appraisal.overall,
        "notes": appraisal.notes,
        "design_confirmed": appraisal.design_confirmed_id,
    }
    initial.update({f"domain_{k}": v for k, v in appraisal.domains.items()})
    return initial


@role_required(REVIEWER)
def appraise(request: HttpRequest, pk: int) -> HttpResponse:
    """Blinded appraisal: a reviewer sees the other appraisal only after submitting their own."""
    evaluation = get_object_or_404(
        Evaluation.objects.select_related("intervention", "design"), pk=pk
    )
    sight = appraisal_sight(evaluation=evaluation, user=request.user)
    mine, consensus = sight.mine, sight.consensus
    form = AppraisalForm(request.POST or None, initial=_appraisal_initial(mine))
    consensus_form = AppraisalForm(
        request.POST or None, prefix="consensus", initial=_appraisal_initial(consensus)
    )
    action = request.POST.get("action")
    if request.method == "POST" and action == "appraise" and form.is_valid():
        appraisal_submit(
            evaluation=evaluation, appraiser=request_actor(request), **form.judgement()
        )
        messages.success(request, _("Your appraisal was saved."))
        return redirect("evidence:appraise", pk=evaluation.pk)
    if (
        request.method == "POST"
        and action == "consensus"
        and sight.can_agree
        and consensus_form.is_valid()
    ):
        appraisal_consensus(
            evaluation=evaluation, actor=request_actor(request), **consensus_form.judgement()
        )
        messages.success(request, _("The consensus was saved and the level recomputed."))
        return redirect("evidence:appraise", pk=evaluation.pk)
    context = {
        "evaluation": evaluation,
        "form": form,
        "consensus_form": consensus_form,
        "mine": mine,
        "others": sight.others,
        "others_pending": sight.others_pending,
        "hidden_others": sight.hidden_others,
        "consensus": consensus,
        "disagreements": sight.disagreements,
        "can_agree": sight.can_agree,
    }
    return render(request, "evidence/appraise.html", context)


def _field_labels() -> dict[str, str]:
    form = ExtractionForm()
    labels = {name: str(field.label) for name, field in form.fields.items()}
    labels.update({f"rob_domains.{code}": str(label) for code, label in ROB_DOMAINS})
    return labels


def _shown(value: object) -> str:
    if value is None or value == "" or value == {}:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        return " ".join(f"{k}={v}" for k, v in value.items())
    text = str(value)
    return (
        direction_labels().get(text)
        or (design_class_label(text) if text in vocab.DESIGN_CLASS_LABELS else "")
        or (outcome_domain_label(text) if text in {e.code for e in vocab.OUTCOME_DOMAINS} else "")
        or text
    )


@role_required(REVIEWER)
def extract(request: HttpRequest, pk: int) -> HttpResponse:
    """The extraction desk: blinded dual extraction of one evaluation, then consensus."""
    evaluation = get_object_or_404(
        Evaluation.objects.select_related("intervention", "design"), pk=pk
    )
    sight = extraction_sight(evaluation=evaluation, user=request.user)
    mine, consensus, reviewers = sight.mine, sight.consensus, sight.visible
    provisional = desk.provisional_of(evaluation)
    start = (
        {name: getattr(mine, name) for name in (*desk.DESK_FIELDS, "note")}
        if mine
        else desk.provisional_initial(evaluation)
    )
    if mine:
        start["version"] = mine.version
    action = request.POST.get("action")
    form = DeskSubmitForm(
        request.POST if action == "extract" else None,
        initial=start,
        prefilled={} if mine else desk.prefill_sources(evaluation),
    )
    can_resolve = sight.can_resolve
    consensus_start = (
        {name: getattr(consensus, name) for name in (*desk.DESK_FIELDS, "note")}
        if consensus
        else ({name: getattr(reviewers[0], name) for name in desk.DESK_FIELDS} if reviewers else {})
    )
    consensus_form = ExtractionForm(
        request.POST if action == "consensus" else None,
        prefix="consensus",
        initial=consensus_start,
    )
    if request.method == "POST" and action == "extract" and form.is_valid():
        try:
            desk.extraction_submit(
                evaluation=evaluation,
                extractor=request_actor(request),
                data=form.extraction(),
                accepted_provisional=form.cleaned_data["accepted_provisional"],
                expected_version=form.cleaned_data.get("version"),
            )
        except EditConflict:
            messages.error(
                request,
                _(
                    "Your extraction was changed elsewhere after you opened it; nothing was saved. Reload and check it."
                ),
            )
            return redirect("evidence:extract", pk=evaluation.pk)
        messages.success(request, _("Your extraction was saved."))
        return redirect("evidence:extract", pk=evaluation.pk)
    if (
        request.method == "POST"
        and action == "consensus"
        and can_resolve
        and consensus_form.is_valid()
    ):
        try:
            desk.extraction_consensus(
                evaluation=evaluation,
                actor=request_actor(request),
                data=consensus_form.extraction(),
                expected_version=int(request.POST.get("consensus_version") or 0) or None,
            )
        except EditConflict:
            messages.error(
                request,
                _(
                    "The consensus was changed by someone else after you opened it; nothing was saved."
                ),
            )
            return redirect("evidence:extract", pk=evaluation.pk)
        messages.success(
            request,
            _("The consensus was saved: this evaluation is confirmed and the level recomputed."),
        )
        return redirect("evidence:extract", pk=evaluation.pk)
    labels = _field_labels()
    disagreements = sight.disagreements
    rows = [
        {
            "label": labels.get(name, name),
            "values": [_shown(getattr(x, name)) for x in reviewers],
            "differs": name in disagreements,
        }
        for name in desk.DESK_FIELDS
        if name != "rob_domains" and reviewers
    ]
    context = {
        "evaluation": evaluation,
        "provisional": extraction_view(evaluation) if provisional else None,
        "form": form,
        "consensus_form": consensus_form,
        "mine": mine,
        "others_count": sight.others_count,
        "hidden_others": sight.hidden_others,
        "shown_others": sight.others,
        "reviewers": reviewers,
        "reviewer_count": sight.reviewer_count,
        "rows": rows,
        "disagreements": [
            (labels.get(k, k), _shown(a), _shown(b)) for k, (a, b) in disagreements.items()
        ],
        "can_resolve": can_resolve,
        "consensus": consensus,
    }
    return render(request, "evidence/desk.html", context)
