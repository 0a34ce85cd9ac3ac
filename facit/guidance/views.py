"""Guidance pages: public documents and change traces, the editor's desk, members' reviews."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facit.accounts.roles import EDITOR
from facit.guidance import selectors, services
from facit.guidance.forms import (
    AnswerForm,
    CommentForm,
    DocumentForm,
    FollowUpForm,
    RoundForm,
    VersionForm,
)
from facit.guidance.models import Comment, Document, ReviewRound, Version
from facit.panel.errors import Refused
from facit.panel.models import Member, Purpose
from facit.panel.selectors import contributions_viewed
from facit.panel.views import member_required, refused_response, role_view

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
    return render(
        request, "guidance/document_detail.html", {"document": document, "version": version}
    )


def panel_changes(request: HttpRequest, doc_id: str) -> HttpResponse:
    """What the panel changed: consent and credit are read live on every request."""
    document, version = _published(doc_id)
    published = document.versions.filter(publication__isnull=False).order_by("-number")
    traces = []
    for v in published:
        previous, changes, comments = selectors.change_trace(v)
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
        document = services.document_create(actor=request.user, **form.cleaned_data)
        return redirect("guidance:editor_document", doc_id=document.pk)
    documents = Document.objects.all()
    return render(request, "guidance/editor_home.html", {"documents": documents, "form": form})


@editor_view
def editor_document(request: HttpRequest, doc_id: str) -> HttpResponse:
    document = get_object_or_404(Document, pk=doc_id)
    latest = document.latest_version()
    form = VersionForm(
        request.POST or None, initial={"markdown": latest.markdown if latest else ""}
    )
    if request.method == "POST" and form.is_valid():
        services.version_create(
            document=document,
            actor=request.user,
            lang=latest.lang if latest else "sv",
            **form.cleaned_data,
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


@require_POST
@editor_view
def version_publish(request: HttpRequest, doc_id: str, number: int) -> HttpResponse:
    version = get_object_or_404(Version, document_id=doc_id, number=number)
    services.version_publish(version=version, actor=request.user)
    messages.success(request, _("Published."))
    return redirect("guidance:editor_document", doc_id=doc_id)


@editor_view
def round_new(request: HttpRequest, doc_id: str, number: int) -> HttpResponse:
    version = get_object_or_404(Version, document_id=doc_id, number=number)
    eligible = Member.objects.invitable().filter(
        consents__purpose=Purpose.REVIEW, consents__withdrawn_at__isnull=True
    )
    form = RoundForm(request.POST or None, members=eligible)
    if request.method == "POST" and form.is_valid():
        review_round = services.round_open(version=version, actor=request.user, **form.cleaned_data)
        return redirect("guidance:round_manage", round_id=review_round.pk)
    return render(request, "guidance/round_new.html", {"version": version, "form": form})


@editor_view
def round_manage(request: HttpRequest, round_id: str) -> HttpResponse:
    review_round = get_object_or_404(
        ReviewRound.objects.select_related("version__document"), pk=round_id
    )
    comments = list(review_round.comments.select_related("answer", "member"))
    contributions_viewed(actor=request.user, target=review_round, count=len(comments), what="round")
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
            request, Refused(_("Check the answer: decision and reason are needed."), status=400)
        )
    services.comment_answer(comment=comment, actor=request.user, **form.cleaned_data)
    messages.success(request, _("Answer saved."))
    return redirect("guidance:round_manage", round_id=comment.round_id)


@require_POST
@editor_view
def round_close(request: HttpRequest, round_id: str) -> HttpResponse:
    review_round = get_object_or_404(ReviewRound, pk=round_id)
    services.round_close(review_round=review_round, actor=request.user)
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


def _invited_round(round_id: str, member: Member) -> ReviewRound:
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


@member_required
def round_review(request: HttpRequest, round_id: str, member: Member) -> HttpResponse:
    review_round = _invited_round(round_id, member)
    show = not review_round.content_warning or request.GET.get("show") == "1"
    form = CommentForm(version=review_round.version)
    own = review_round.comments.filter(member=member).select_related("answer")
    context = {
        "round": review_round,
        "show": show,
        "form": form,
        "own": own,
        "version": review_round.version,
    }
    return render(request, "guidance/round_review.html", context)


@require_POST
@member_required
def round_comment(request: HttpRequest, round_id: str, member: Member) -> HttpResponse:
    review_round = _invited_round(round_id, member)
    form = CommentForm(request.POST, version=review_round.version)
    if not review_round.is_open:
        raise Refused(
            _("This review round is closed; comments are no longer taken."), code="round_closed"
        )
    if not form.is_valid():
        own = review_round.comments.filter(member=member)
        context = {
            "round": review_round,
            "show": True,
            "form": form,
            "own": own,
            "version": review_round.version,
        }
        return render(request, "guidance/round_review.html", context, status=400)
    comment = services.comment_create(review_round=review_round, member=member, **form.cleaned_data)
    messages.success(request, _("Thank you. Your comment is saved; you will see the answer here."))
    return redirect("guidance:comment_detail", comment_id=comment.pk)


@require_POST
@member_required
def round_decline(request: HttpRequest, round_id: str, member: Member) -> HttpResponse:
    review_round = _invited_round(round_id, member)
    invitation = services.invitation_for(review_round=review_round, member=member)
    if invitation is not None:
        services.invitation_decline(invitation=invitation)
    messages.success(request, _("Declined. No reason needed."))
    return redirect("panel:home")


def _own_comment(comment_id: str, member: Member) -> Comment:
    comment = (
        Comment.objects.filter(pk=comment_id, member=member)
        .select_related("round__version__document")
        .first()
    )
    if comment is None:
        raise Http404
    return comment


@member_required
def comment_detail(request: HttpRequest, comment_id: str, member: Member) -> HttpResponse:
    comment = _own_comment(comment_id, member)
    answer = getattr(comment, "answer", None)
    form = FollowUpForm() if answer is not None and answer.follow_up_at is None else None
    return render(
        request,
        "guidance/comment_detail.html",
        {"comment": comment, "answer": answer, "form": form},
    )


@require_POST
@member_required
def comment_follow_up(request: HttpRequest, comment_id: str, member: Member) -> HttpResponse:
    comment = _own_comment(comment_id, member)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        raise Refused(_("Write your reply."), code="empty", status=400)
    services.answer_follow_up(comment=comment, member=member, text=form.cleaned_data["text"])
    messages.success(request, _("Your reply is sent to the editor."))
    return redirect("guidance:comment_detail", comment_id=comment.pk)
