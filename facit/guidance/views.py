"""Guidance pages: public documents and change traces, the editor's desk, members' reviews."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facit.accounts.actor import request_actor
from facit.accounts.roles import EDITOR
from facit.guidance import selectors, services
from facit.guidance.errors import Refused
from facit.guidance.forms import (
    AnswerForm,
    CommentForm,
    DocumentForm,
    FollowUpForm,
    RoundForm,
    VersionForm,
)
from facit.guidance.models import Comment, Document, ReviewRound, Version
from facit.panel.access import member_required, refused_response, role_view
from facit.panel.selectors import contributions_viewed, review_eligible_members

# Public pages ---------------------------------------------------------------------------------


def document_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "guidance/document_list.html", {"documents": selectors.published_documents()}
    )


def _published(doc_id: str) -> tuple[Document, Version]:
    document = get_object_or_404(Document, pk=doc_id)
    version = document.published_version()
    if version is None:
        raise Http404
    return document, version


def document_detail(request: HttpRequest, doc_id: str) -> HttpResponse:
    document, version = _published(doc_id)
    context = {"document": document, "version": version, "publication": version.publication}
    return render(request, "guidance/document_detail.html", context)


def panel_changes(request: HttpRequest, doc_id: str) -> HttpResponse:
    """What the panel changed: consent and credit are read live on every request."""
    document, version = _published(doc_id)
    published = document.versions.filter(publication__isnull=False).order_by("-number")
    traces = []
    for v in published:
        previous, changes, comments = selectors.change_trace(v)
        for pc in comments:  # the section's title, never its slug
            pc.section = pc.comment.round.version.section_title(pc.comment.anchor)  # type: ignore[attr-defined]
        traces.append(
            {"version": v, "previous": previous, "changes": changes, "comments": comments}
        )
    context = {"document": document, "version": version, "traces": traces}
    return render(request, "guidance/panel_changes.html", context)


# Editor's desk --------------------------------------------------------------------------------


editor_view = role_view(EDITOR)


@editor_view
def editor_home(request: HttpRequest) -> HttpResponse:
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        document = services.document_create(actor=request_actor(request), **form.cleaned_data)
        return redirect("guidance:editor_document", doc_id=document.pk)
    context = {
        "documents": Document.objects.all(),
        "form": form,
        "unanswered": selectors.unanswered_comments(),
        "closing": selectors.rounds_closing_soon(),
    }
    return render(request, "guidance/editor_home.html", context)


@editor_view
def editor_document(request: HttpRequest, doc_id: str) -> HttpResponse:
    document = get_object_or_404(Document, pk=doc_id)
    latest = document.latest_version()
    form = VersionForm(
        request.POST or None,
        initial={"markdown": latest.markdown if latest else "", "edit_version": document.version},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.version_create(
            document=document,
            actor=request_actor(request),
            lang=latest.lang if latest else "sv",
            expected_version=data.pop("edit_version"),
            **data,
        )
        messages.success(request, _("New version saved."))
        return redirect("guidance:editor_document", doc_id=document.pk)
    versions = document.versions.prefetch_related("rounds", "findings").select_related(
        "publication"
    )
    context = {"document": document, "versions": versions, "form": form, "latest": latest}
    return render(request, "guidance/editor_document.html", context)


@editor_view
def version_diff(request: HttpRequest, doc_id: str, number: int) -> HttpResponse:
    """A version against the one before it, word by word, for the editor."""
    from facit.guidance.text import diff_html

    version = get_object_or_404(Version, document_id=doc_id, number=number)
    previous = version.document.versions.filter(number__lt=number).order_by("-number").first()
    html = diff_html(previous.markdown if previous else "", version.markdown)
    context = {"version": version, "previous": previous, "diff": html}
    return render(request, "guidance/version_diff.html", context)


@editor_view
def version_publish(request: HttpRequest, doc_id: str, number: int) -> HttpResponse:
    """A confirmation page that shows what will become public, then the publication."""
    version = get_object_or_404(
        Version.objects.select_related("document"), document_id=doc_id, number=number
    )
    if version.is_published:
        raise Refused(_("This version is already published."), code="already_published")
    rounds = services.rounds_since_last_publication(version)
    blockers = services.publish_blockers(version)
    reason = request.POST.get("no_round_reason", "").strip()
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.version_publish(
                version=version, actor=request_actor(request), no_round_reason=reason
            )
        except Refused as exc:
            context = _publish_context(version, rounds, blockers, reason, exc.message)
            return render(request, "guidance/publish_confirm.html", context, status=409)
        messages.success(request, _("Published."))
        return redirect("guidance:editor_document", doc_id=doc_id)
    context = _publish_context(version, rounds, blockers, reason, "")
    return render(request, "guidance/publish_confirm.html", context)


def _publish_context(
    version: Version, rounds: list[ReviewRound], blockers: list[Comment], reason: str, error: str
) -> dict[str, object]:
    is_material = version.document.kind == Document.Kind.MATERIAL
    for c in blockers:
        c.section = c.round.version.section_title(c.anchor)  # type: ignore[attr-defined]
    return {
        "version": version,
        "document": version.document,
        "rounds": rounds,
        "blockers": blockers,
        "reason": reason,
        "error": error,
        "is_material": is_material,
        "can_publish": not blockers and (bool(rounds) or is_material),
        "comments": sum(r.comments.count() for r in rounds),
    }


@editor_view
def round_new(request: HttpRequest, doc_id: str, number: int) -> HttpResponse:
    version = get_object_or_404(Version, document_id=doc_id, number=number)
    eligible = review_eligible_members()
    form = RoundForm(request.POST or None, members=eligible)
    if request.method == "POST" and form.is_valid():
        review_round = services.round_open(
            version=version, actor=request_actor(request), **form.cleaned_data
        )
        return redirect("guidance:round_manage", round_id=review_round.pk)
    return render(request, "guidance/round_new.html", {"version": version, "form": form})


@editor_view
def round_manage(request: HttpRequest, round_id: str) -> HttpResponse:
    review_round = get_object_or_404(
        ReviewRound.objects.select_related("version__document"), pk=round_id
    )
    comments = list(review_round.comments.select_related("answer", "member"))
    for c in comments:  # the section's title, never its slug
        c.section = review_round.version.section_title(c.anchor)  # type: ignore[attr-defined]
    contributions_viewed(
        actor=request_actor(request), target=review_round, count=len(comments), what="round"
    )
    later = review_round.version.document.versions.filter(number__gt=review_round.version.number)
    rows = [
        (
            c,
            AnswerForm(prefix=f"c{c.pk.hex[:8]}", versions=later)
            if not hasattr(c, "answer")
            else None,
        )
        for c in comments
    ]
    context = {"round": review_round, "rows": rows, "unanswered": services.unanswered(review_round)}
    return render(request, "guidance/round_manage.html", context)


@require_POST
@editor_view
def comment_answer(request: HttpRequest, comment_id: str) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("round__version"), pk=comment_id)
    version = comment.round.version
    later = version.document.versions.filter(number__gt=version.number)
    form = AnswerForm(request.POST, prefix=f"c{comment.pk.hex[:8]}", versions=later)
    if not form.is_valid():
        return refused_response(
            request,
            Refused(_("Check the answer: decision and reason are needed."), code="invalid"),
        )
    services.comment_answer(comment=comment, actor=request_actor(request), **form.cleaned_data)
    messages.success(request, _("Answer saved."))
    return redirect("guidance:round_manage", round_id=comment.round_id)


@require_POST
@editor_view
def round_close(request: HttpRequest, round_id: str) -> HttpResponse:
    review_round = get_object_or_404(ReviewRound, pk=round_id)
    services.round_close(review_round=review_round, actor=request_actor(request))
    messages.success(request, _("Round closed."))
    return redirect("guidance:round_manage", round_id=review_round.pk)


@require_POST
@editor_view
def terminology_check(request: HttpRequest) -> HttpResponse:
    """htmx partial: findings for the text being typed (nothing is stored)."""
    text = request.POST.get("markdown", "")[:200_000]
    lang = request.POST.get("lang", "sv")
    findings = services.terminology_findings(text, "en" if lang == "en" else "sv")
    return render(request, "guidance/_findings.html", {"findings": findings, "live": True})


# Members' review ------------------------------------------------------------------------------


def _invited_round(round_id: str, member: Any) -> ReviewRound:
    """404 unless this member was invited (and did not decline): others learn nothing."""
    review_round = (
        ReviewRound.objects.filter(pk=round_id).select_related("version__document").first()
    )
    if (
        review_round is None
        or services.invitation_for(review_round=review_round, member=member) is None
    ):
        raise Http404
    return review_round


def _review_context(review_round: ReviewRound, member: Any, form: CommentForm) -> dict[str, Any]:
    from facit.panel.selectors import public_consents

    invitation = services.invitation_for(review_round=review_round, member=member)
    consents = public_consents({member.pk}).get(member.pk, {})
    return {
        "round": review_round,
        "invitation": invitation,
        "show": invitation is not None and invitation.accepted_at is not None,
        "closed": invitation is None or invitation.closed_at is not None,
        "form": form,
        "own": review_round.comments.filter(member=member).select_related("answer"),
        "version": review_round.version,
        "member": member,
        "credit_consent": bool(consents.get("credit")),
        "quote_consent": bool(consents.get("quote")),
    }


@member_required
def round_review(request: HttpRequest, round_id: str, member: Any) -> HttpResponse:
    """Before accepting: the questions and the content warning. After: the text and the form."""
    review_round = _invited_round(round_id, member)
    context = _review_context(review_round, member, CommentForm(version=review_round.version))
    return render(request, "guidance/round_review.html", context)


@require_POST
@member_required
def round_accept(request: HttpRequest, round_id: str, member: Any) -> HttpResponse:
    review_round = _invited_round(round_id, member)
    invitation = services.invitation_for(review_round=review_round, member=member)
    if invitation is not None:
        services.invitation_accept(invitation=invitation)
    return redirect("guidance:round_review", round_id=review_round.pk)


@require_POST
@member_required
def round_comment(request: HttpRequest, round_id: str, member: Any) -> HttpResponse:
    review_round = _invited_round(round_id, member)
    form = CommentForm(request.POST, version=review_round.version)
    if not review_round.is_open:
        raise Refused(
            _("This review round is closed; comments are no longer taken."), code="round_closed"
        )
    invitation = services.invitation_for(review_round=review_round, member=member)
    if invitation is not None and invitation.accepted_at is None and invitation.closed_at is None:
        raise Refused(
            _("Read the questions and accept the invitation before commenting."),
            code="not_accepted",
        )
    if not form.is_valid():
        context = _review_context(review_round, member, form)
        return render(request, "guidance/round_review.html", context, status=400)
    comment = services.comment_create(review_round=review_round, member=member, **form.cleaned_data)
    messages.success(request, _("Thank you. Your comment is saved; you will see the answer here."))
    return redirect("guidance:comment_detail", comment_id=comment.pk)


@require_POST
@member_required
def round_decline(request: HttpRequest, round_id: str, member: Any) -> HttpResponse:
    review_round = _invited_round(round_id, member)
    invitation = services.invitation_for(review_round=review_round, member=member)
    if invitation is not None:
        services.invitation_decline(invitation=invitation)
    messages.success(request, _("Declined. No reason needed."))
    return redirect("panel:home")


def _own_comment(comment_id: str, member: Any) -> Comment:
    comment = (
        Comment.objects.filter(pk=comment_id, member=member)
        .select_related("round__version__document")
        .first()
    )
    if comment is None:
        raise Http404
    return comment


@member_required
def comment_detail(request: HttpRequest, comment_id: str, member: Any) -> HttpResponse:
    comment = _own_comment(comment_id, member)
    answer = getattr(comment, "answer", None)
    form = FollowUpForm() if answer is not None and answer.follow_up_at is None else None
    context = {
        "comment": comment,
        "answer": answer,
        "form": form,
        "section": comment.round.version.section_title(comment.anchor),
        "aftercare": bool(comment.round.content_warning),
    }
    return render(request, "guidance/comment_detail.html", context)


@require_POST
@member_required
def comment_follow_up(request: HttpRequest, comment_id: str, member: Any) -> HttpResponse:
    comment = _own_comment(comment_id, member)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        raise Refused(_("Write your reply."), code="empty")
    services.answer_follow_up(comment=comment, member=member, text=form.cleaned_data["text"])
    messages.success(request, _("Your reply is sent to the editor."))
    return redirect("guidance:comment_detail", comment_id=comment.pk)
