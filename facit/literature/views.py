"""Reviewer pages: reviews, imports, duplicates, screening, conflicts, PRISMA, extraction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facit.accounts.actor import request_actor
from facit.core.concurrency import EditConflict
from facit.core.jobs import job_start
from facit.core.permissions import review_member_required as member_required
from facit.core.permissions import role_required
from facit.literature import selectors, services
from facit.literature.forms import (
    DecisionForm,
    ExtractionForm,
    ImportForm,
    MemberForm,
    ReasonForm,
    ResolutionForm,
    ReviewEditForm,
    ReviewForm,
    SearchLogForm,
)
from facit.literature.models import (
    Decision,
    DuplicateCandidate,
    ImportBatch,
    Outcome,
    Reference,
    Review,
    Stage,
)

ReviewView = Callable[..., HttpResponse]


def _stage(stage: str) -> str:
    if stage not in Stage.values:
        raise Http404
    return stage


def _reference(review: Review, pk: int) -> Reference:
    return get_object_or_404(Reference, pk=pk, review=review)


# Reviews ---------------------------------------------------------------------------------


@role_required("reviewer")
def review_list(request: HttpRequest) -> HttpResponse:
    reviews = Review.objects.for_member(request.user)
    return render(request, "literature/review_list.html", {"reviews": reviews})


@role_required("reviewer")
def review_create(request: HttpRequest) -> HttpResponse:
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        review = services.review_create(actor=request_actor(request), **form.cleaned_data)
        return redirect("literature:review_detail", slug=review.slug)
    return render(request, "literature/review_form.html", {"form": form})


@member_required
def review_detail(request: HttpRequest, review: Review) -> HttpResponse:
    context = {
        "review": review,
        "progress": selectors.stage_progress(review),
        "searches": review.searches.all(),
        "imports": review.imports.select_related("search", "job")[:20],
        "members": review.members.order_by("username"),
        "reasons": review.reasons.all(),
        "search_form": SearchLogForm(),
        "member_form": MemberForm(),
        "reason_form": ReasonForm(),
        "pending_candidates": review.candidates.filter(
            status=DuplicateCandidate.Status.PENDING
        ).count(),
        "stages": Stage.choices,
        "outcomes": Outcome.choices,
        "included_studies": selectors.included_studies(review),
    }
    return render(request, "literature/review_detail.html", context)


@member_required
def review_edit(request: HttpRequest, review: Review) -> HttpResponse:
    form = ReviewEditForm(
        request.POST or None, instance=review, initial={"loaded_version": review.version}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}
        fresh = Review.objects.get(pk=review.pk)
        try:
            services.review_update(
                review=fresh,
                expected_version=form.cleaned_data["loaded_version"],
                data=data,
                actor=request_actor(request),
            )
        except EditConflict:
            form.add_error(
                None,
                _(
                    "Someone else saved this review after you opened it. Reload the page to see their changes; yours were not saved."
                ),
            )
        else:
            return redirect("literature:review_detail", slug=review.slug)
    return render(request, "literature/review_form.html", {"form": form, "review": review})


@require_POST
@member_required
def search_add(request: HttpRequest, review: Review) -> HttpResponse:
    form = SearchLogForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The search was not saved: %s") % _form_errors(form))
    else:
        services.search_log_add(review=review, actor=request_actor(request), **form.cleaned_data)
        messages.success(request, _("Search added to the log."))
    return redirect("literature:review_detail", slug=review.slug)


@require_POST
@member_required
def member_add(request: HttpRequest, review: Review) -> HttpResponse:
    form = MemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        services.review_member_add(
            review=review, user=form.cleaned_data["username"], actor=request_actor(request)
        )
        messages.success(request, _("Reviewer added."))
    return redirect("literature:review_detail", slug=review.slug)


@require_POST
@member_required
def reason_add(request: HttpRequest, review: Review) -> HttpResponse:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        services.reason_add(review=review, actor=request_actor(request), **form.cleaned_data)
        messages.success(request, _("Reason added."))
    return redirect("literature:review_detail", slug=review.slug)


def _form_errors(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


# Import ----------------------------------------------------------------------------------


@member_required
def import_upload(request: HttpRequest, review: Review) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, review=review)
    if request.method == "POST" and form.is_valid():
        from facit.literature.imports.services import batch_create, batch_job_attach
        from facit.literature.tasks import import_references_task

        upload = form.cleaned_data["file"]
        with transaction.atomic():
            batch = batch_create(
                review=review,
                data=upload.read(),
                filename=upload.name,
                fmt=form.cleaned_data["fmt"],
                actor=request_actor(request),
                search=form.cleaned_data["search"],
                source=form.cleaned_data["source"],
            )
            job = job_start(
                kind="literature.import",
                task=import_references_task,
                created_by=request.user,
                label=_("Import of %s") % upload.name,
                batch_id=batch.pk,
            )
            batch_job_attach(batch=batch, job=job)
        return redirect("literature:import_detail", slug=review.slug, pk=batch.pk)
    context = {"review": review, "form": form, "import_limit": settings.FACIT_IMPORT_MAX_BYTES}
    return render(request, "literature/import_form.html", context)


def _reason_text(reason: str, params: dict[str, Any] | None) -> str:
    """A stored English reason in the page's language (reasons are marked for translation)."""
    text = _(reason) if reason else ""
    if params:
        try:
            return text % params
        except (KeyError, TypeError, ValueError):
            return reason % params
    return text


def _import_context(review: Review, batch: ImportBatch) -> dict[str, Any]:
    error = batch.error or {}
    warnings = [
        {**w, "text": _reason_text(w.get("reason", ""), w.get("params"))}
        for w in (batch.warnings or [])[:50]
    ]
    job = batch.job
    return {
        "review": review,
        "batch": batch,
        "error_text": _reason_text(error.get("reason", ""), error.get("params")),
        "warnings": warnings,
        "progress": (job.done, job.total) if job is not None and job.total else None,
    }


@member_required
def import_detail(request: HttpRequest, review: Review, pk: int) -> HttpResponse:
    batch = _batch(review, pk)
    return render(request, "literature/import_detail.html", _import_context(review, batch))


@member_required
def import_status(request: HttpRequest, review: Review, pk: int) -> HttpResponse:
    """The import's state, polled by the import page until it is done or failed."""
    batch = _batch(review, pk)
    return render(request, "literature/_import_status.html", _import_context(review, batch))


def _batch(review: Review, pk: int) -> ImportBatch:
    """The batch, failed on read when its job failed outside the import (a killed worker)."""
    from facit.literature.imports.services import batch_reconcile

    batch = get_object_or_404(ImportBatch.objects.select_related("job"), pk=pk, review=review)
    return batch_reconcile(batch)


# Duplicates ------------------------------------------------------------------------------


@member_required
def duplicates(request: HttpRequest, review: Review) -> HttpResponse:
    pending = review.candidates.filter(status=DuplicateCandidate.Status.PENDING).select_related(
        "first", "second"
    )
    page = Paginator(pending, 25).get_page(request.GET.get("page"))
    return render(request, "literature/duplicates.html", {"review": review, "page": page})


@require_POST
@member_required
def duplicate_decide(request: HttpRequest, review: Review, pk: int) -> HttpResponse:
    from facit.literature.imports.services import candidate_merge, candidate_split

    candidate = get_object_or_404(
        DuplicateCandidate, pk=pk, review=review, status=DuplicateCandidate.Status.PENDING
    )
    if request.POST.get("action") == "merge":
        candidate_merge(candidate=candidate, actor=request_actor(request))
        messages.success(request, _("Merged; both sources' data are kept."))
    else:
        candidate_split(candidate=candidate, actor=request_actor(request))
        messages.success(request, _("Kept apart as two different works."))
    return redirect("literature:duplicates", slug=review.slug)


# Screening -------------------------------------------------------------------------------


def _ranking_later() -> str:
    return _(
        "The ranking could not be updated just now; it will update by itself later. "
        "Your decision is saved."
    )


@member_required
def screen(request: HttpRequest, review: Review, stage: str) -> HttpResponse:
    stage = _stage(stage)
    if request.method == "POST":
        return _screen_post(request, review, stage)
    from facit.literature.screening.ranking_service import ranking_retry_pending

    # A refresh put off while the queue was down is queued once the queue is back.
    ranking_retry_pending(review=review, actor=request_actor(request))
    ref_id = request.GET.get("ref")
    queue = selectors.screening_queue(review, stage, request.user)
    reference = queue.filter(pk=ref_id).first() if ref_id and ref_id.isdigit() else queue.first()
    return _screen_page(request, review, stage, reference, DecisionForm(review=review))


def _screen_page(
    request: HttpRequest, review: Review, stage: str, reference: Reference | None, form: Any
) -> HttpResponse:
    from facit.literature.screening.ranking_service import ranking_status

    context = {
        "review": review,
        "stage": stage,
        "stage_label": Stage(stage).label,
        "reference": reference,
        "form": form,
        "remaining": selectors.screening_queue(review, stage, request.user).count(),
        "ranking": ranking_status(review),
        "reasons": review.reasons.all(),
        "undo": selectors.undoable_decision(review, stage, request.user),
    }
    return render(request, "literature/screen.html", context)


def _screen_post(request: HttpRequest, review: Review, stage: str) -> HttpResponse:
    reference = _reference(review, _int(request.POST.get("reference")))
    form = DecisionForm(request.POST, review=review)
    if not form.is_valid():
        return _screen_page(request, review, stage, reference, form)
    try:
        services.decision_record(
            reference=reference, stage=stage, reviewer=request.user, **form.cleaned_data
        )
    except services.ScreeningError as exc:
        messages.error(request, str(exc))
    else:
        label = Decision(form.cleaned_data["decision"]).label
        messages.success(request, _("Saved: %(decision)s.") % {"decision": label})
        from facit.literature.screening.ranking_service import ranking_maybe_refresh

        if not ranking_maybe_refresh(review=review, actor=request_actor(request)):
            messages.info(request, _ranking_later())
    return redirect("literature:screen", slug=review.slug, stage=stage)


@require_POST
@member_required
def decision_undo(request: HttpRequest, review: Review, stage: str) -> HttpResponse:
    stage = _stage(stage)
    reference = _reference(review, _int(request.POST.get("reference")))
    try:
        services.decision_undo(reference=reference, stage=stage, reviewer=request.user)
    except services.ScreeningError as exc:
        messages.error(request, str(exc))
        return redirect("literature:screen", slug=review.slug, stage=stage)
    messages.success(request, _("Your decision was undone; the reference is back in your queue."))
    from facit.literature.screening.ranking_service import ranking_maybe_refresh

    if not ranking_maybe_refresh(review=review, actor=request_actor(request)):
        messages.info(request, _ranking_later())
    target = reverse("literature:screen", kwargs={"slug": review.slug, "stage": stage})
    return redirect(f"{target}?ref={reference.pk}")


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@member_required
def reference_detail(request: HttpRequest, review: Review, pk: int) -> HttpResponse:
    reference = _reference(review, pk)
    stages = [
        (
            stage,
            label,
            reference.outcome(stage),
            selectors.visible_decisions(reference, stage, request.user),
            reference.resolutions.filter(stage=stage).select_related("resolver", "reason").first(),
        )
        for stage, label in Stage.choices
    ]
    context = {
        "review": review,
        "reference": reference,
        "stages": stages,
        "merged": reference.merged.select_related("batch"),
        "extraction": getattr(reference, "extraction", None),
        "fulltext": getattr(reference, "fulltext", None),
        "fulltext_limit": settings.LITERATURE_FULLTEXT_MAX_BYTES,
    }
    return render(request, "literature/reference_detail.html", context)


@member_required
def conflict_list(request: HttpRequest, review: Review, stage: str) -> HttpResponse:
    stage = _stage(stage)
    refs = selectors.conflicts(review, stage).prefetch_related(
        "decisions__reviewer", "decisions__reason"
    )
    page = Paginator(refs, 25).get_page(request.GET.get("page"))
    rows = [
        (
            ref,
            [d for d in ref.decisions.all() if d.stage == stage],
            ResolutionForm(review=review, prefix=f"r{ref.pk}"),
        )
        for ref in page.object_list
    ]
    context = {
        "review": review,
        "stage": stage,
        "stage_label": Stage(stage).label,
        "page": page,
        "rows": rows,
    }
    return render(request, "literature/conflicts.html", context)


@require_POST
@member_required
def conflict_resolve(request: HttpRequest, review: Review, stage: str, pk: int) -> HttpResponse:
    stage = _stage(stage)
    reference = _reference(review, pk)
    form = ResolutionForm(request.POST, review=review, prefix=f"r{reference.pk}")
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            services.conflict_resolve(
                reference=reference, stage=stage, resolver=request.user, **form.cleaned_data
            )
        except services.ScreeningError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Conflict resolved."))
    return redirect("literature:conflicts", slug=review.slug, stage=stage)


@require_POST
@member_required
def ranking_refresh(request: HttpRequest, review: Review) -> HttpResponse:
    from facit.literature.screening.ranking_service import ranking_start

    job = ranking_start(review=review, actor=request_actor(request))
    messages.success(request, _("Ranking is being updated."))
    target = reverse(
        "literature:screen", kwargs={"slug": review.slug, "stage": Stage.TITLE_ABSTRACT}
    )
    return redirect(f"{target}?job={job.pk}" if job else target)


# Full texts ------------------------------------------------------------------------------


@require_POST
@member_required
def fulltext_upload(request: HttpRequest, review: Review, pk: int) -> HttpResponse:
    reference = _reference(review, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a PDF file to attach."))
    else:
        try:
            services.fulltext_attach(
                reference=reference, upload=upload, actor=request_actor(request)
            )
        except services.ScreeningError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The full text is attached."))
    return redirect("literature:reference_detail", slug=review.slug, pk=reference.pk)


@member_required
def fulltext_download(request: HttpRequest, review: Review, pk: int) -> HttpResponse:
    """Only members reach this (member_required); the files are not under any public URL."""
    from django.http import FileResponse

    fulltext = getattr(_reference(review, pk), "fulltext", None)
    if fulltext is None:
        raise Http404
    response = FileResponse(
        fulltext.file.open("rb"), content_type="application/pdf", filename=fulltext.filename
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response  # type: ignore[return-value]  # a streaming response, as views may answer


# PRISMA ----------------------------------------------------------------------------------


def _prisma_svg(review: Review, prisma: selectors.Prisma) -> str:
    from facit.literature.screening.prisma_svg import diagram

    return render_to_string("literature/prisma.svg", {"review": review, "d": diagram(prisma)})


@member_required
def prisma(request: HttpRequest, review: Review) -> HttpResponse:
    numbers = selectors.prisma(review)
    context = {"review": review, "p": numbers, "svg": _prisma_svg(review, numbers)}
    return render(request, "literature/prisma.html", context)


@member_required
def prisma_download(request: HttpRequest, review: Review) -> HttpResponse:
    svg = _prisma_svg(review, selectors.prisma(review))
    response = HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + svg,
        content_type="image/svg+xml; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="prisma-{review.slug}.svg"'
    return response


# Extraction ------------------------------------------------------------------------------


@member_required
def extract(request: HttpRequest, review: Review, pk: int) -> HttpResponse:
    reference = _reference(review, pk)
    existing = getattr(reference, "extraction", None)
    if existing is not None or reference.ft_outcome != Outcome.INCLUDE:
        messages.error(
            request,
            _("Only references included at full text, not yet extracted, can be extracted."),
        )
        return redirect("literature:reference_detail", slug=review.slug, pk=reference.pk)
    form = ExtractionForm(request.POST or None, initial=services.evaluation_initial(reference))
    if request.method == "POST" and form.is_valid():
        extraction = services.extraction_create(
            reference=reference,
            actor=request_actor(request),
            intervention=form.cleaned_data["intervention"],
            new_intervention_name=form.cleaned_data["new_intervention_name"],
            **form.evaluation_fields(),
        )
        messages.success(request, _("The evaluation is now in the evidence registry."))
        # On to the extraction desk; a new evaluation stays a draft until an editor publishes it.
        return redirect("evidence:extract", pk=extraction.evaluation.pk)
    return render(
        request, "literature/extract.html", {"review": review, "reference": reference, "form": form}
    )


# Export ----------------------------------------------------------------------------------


@member_required
def export(request: HttpRequest, review: Review, fmt: str) -> HttpResponse:
    from facit.literature.exports import references_export

    stage = request.GET.get("stage", "")
    outcome = request.GET.get("outcome", "all")
    if fmt not in ("ris", "csv") or (stage and stage not in Stage.values):
        raise Http404
    if outcome not in (*Outcome.values, "all", "pending"):
        raise Http404
    body, content_type = references_export(review=review, fmt=fmt, stage=stage, outcome=outcome)
    response = HttpResponse(body, content_type=content_type)
    name = "-".join(p for p in (review.slug, stage, outcome) if p)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
