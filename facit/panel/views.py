"""Panel pages. Every page carries the quick exit; URLs hold opaque ids only."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facit.accounts.models import User
from facit.accounts.reauth import recent_sign_in_required
from facit.accounts.roles import COORDINATOR, PANEL_MEMBER
from facit.core.permissions import role_required
from facit.evidence.models import Intervention
from facit.panel import services
from facit.panel.errors import Refused
from facit.panel.forms import (
    AssessmentForm,
    ConsentTextForm,
    FeeForm,
    LeaveForm,
    MemberCreateForm,
)
from facit.panel.models import Assessment, ConsentText, Member, Purpose
from facit.panel.selectors import (
    contributions_viewed,
    identity_for,
    member_consents,
    member_for_user,
)


def refused_response(request: HttpRequest, exc: Refused) -> HttpResponse:
    """A refusal as a page with its status (403/404/409) and a plain message."""
    return render(
        request,
        "panel/refused.html",
        {"message": exc.message, "status": exc.status},
        status=exc.status,
    )


def member_required(
    view: Callable[..., HttpResponse] | None = None, *, coordinator_page: bool = False
) -> Any:
    """Signed-in panel member with an active Member row, passed to the view as `member`.

    With `coordinator_page=True` a coordinator (who is no member) is sent to their own page
    instead of a 403; as `@member_required(coordinator_page=True)`.
    """
    if view is None:
        return functools.partial(member_required, coordinator_page=coordinator_page)

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        member = member_for_user(request.user)
        if member is None or not request.user.has_role(PANEL_MEMBER):
            if coordinator_page and request.user.has_role(COORDINATOR):
                return redirect("panel:coordinator")
            raise PermissionDenied
        try:
            return view(request, *args, member=member, **kwargs)
        except Refused as exc:
            return refused_response(request, exc)

    return wrapped


@member_required(coordinator_page=True)
def home(request: HttpRequest, member: Member) -> HttpResponse:
    if member.interruption_seen_at is None:
        return redirect("panel:safety")
    from facit.guidance.selectors import rounds_for_member

    rounds = rounds_for_member(member)
    context = {
        "member": member,
        "open_rounds": [r for r in rounds if r.is_open],
        "closed_rounds": [r for r in rounds if not r.is_open],
        "comments": member.comments.select_related("answer", "round__version__document"),
        "consents": _consent_rows(member),
    }
    return render(request, "panel/home.html", context)


def _consent_rows(member: Member) -> list[dict[str, Any]]:
    active = member_consents(member)
    rows = []
    for purpose, label in Purpose.choices:
        text = ConsentText.objects.filter(purpose=purpose).order_by("-number").first()
        rows.append({"purpose": purpose, "label": label, "given": active[purpose], "text": text})
    return rows


@member_required
def safety(request: HttpRequest, member: Member) -> HttpResponse:
    """Shown once: what the exit button does, and that browser history stays."""
    if request.method == "POST":
        services.member_interruption_seen(member=member)
        return redirect("panel:home")
    minutes = settings.PANEL_IDLE_TIMEOUT // 60
    return render(request, "panel/safety.html", {"member": member, "minutes": minutes})


@require_POST
@member_required
def consent_give(request: HttpRequest, purpose: str, member: Member) -> HttpResponse:
    if purpose not in Purpose.values:
        raise Http404
    services.consent_give(member=member, purpose=purpose)
    messages.success(request, _("Consent given."))
    return redirect("panel:home")


@require_POST
@member_required
def consent_withdraw(request: HttpRequest, purpose: str, member: Member) -> HttpResponse:
    if purpose not in Purpose.values:
        raise Http404
    services.consent_withdraw(member=member, purpose=purpose)
    messages.success(request, _("Consent withdrawn. It applies from now on."))
    return redirect("panel:home")


@require_POST
@member_required
def pause(request: HttpRequest, member: Member) -> HttpResponse:
    services.member_pause(member=member)
    messages.success(request, _("Paused. You get no new invitations until you resume."))
    return redirect("panel:home")


@require_POST
@member_required
def resume(request: HttpRequest, member: Member) -> HttpResponse:
    services.member_resume(member=member)
    messages.success(request, _("Welcome back. You can be invited again."))
    return redirect("panel:home")


@member_required
def leave(request: HttpRequest, member: Member) -> HttpResponse:
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.member_leave(member=member, choice=form.cleaned_data["choice"], actor=request.user)
        return render(request, "panel/left.html", {"choice": form.cleaned_data["choice"]})
    return render(request, "panel/leave.html", {"form": form})


@member_required
def assess(request: HttpRequest, intervention_id: int, member: Member) -> HttpResponse:
    intervention = get_object_or_404(Intervention, pk=intervention_id)
    current = Assessment.objects.filter(member=member, intervention=intervention).first()
    form = AssessmentForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.assessment_save(member=member, intervention=intervention, **form.cleaned_data)
        messages.success(request, _("Thank you. Your assessment is saved."))
        return redirect("evidence:intervention_detail", slug=intervention.slug)
    return render(request, "panel/assess.html", {"form": form, "intervention": intervention})


# Coordinator pages ---------------------------------------------------------------------------


def role_view(role: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Only `role` may use the view; a Refused raised inside becomes its 403/404/409 page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @role_required(role)
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except Refused as exc:
                return refused_response(request, exc)

        return wrapped

    return decorator


coordinator_view = role_view(COORDINATOR)


@coordinator_view
def coordinator_home(request: HttpRequest) -> HttpResponse:
    form = MemberCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = User.objects.filter(username=data.pop("username")).first()
        if user is None:
            form.add_error("username", _("No account with that user name."))
        else:
            member = services.member_create(user=user, actor=request.user, **data)
            return redirect("panel:coordinator_member", member_id=member.public_id)
    members = Member.objects.all()
    return render(request, "panel/coordinator_home.html", {"members": members, "form": form})


@coordinator_view
@recent_sign_in_required(when=lambda request: "identity" in request.GET)
def coordinator_member(request: HttpRequest, member_id: str) -> HttpResponse:
    member = get_object_or_404(Member, public_id=member_id)
    form = FeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.fee_record(member=member, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Fee recorded."))
        return redirect("panel:coordinator_member", member_id=member.public_id)
    identity = (
        identity_for(actor=request.user, member=member) if "identity" in request.GET else None
    )
    comments = list(member.comments.all())
    contributions_viewed(actor=request.user, target=member, count=len(comments), what="comments")
    context = {
        "member": member,
        "identity": identity,
        "show_identity": "identity" in request.GET,
        "fees": member.fees.all(),
        "comments": comments,
        "consents": member.consents.select_related("consent_text"),
        "form": form,
    }
    return render(request, "panel/coordinator_member.html", context)


@coordinator_view
def consent_texts(request: HttpRequest) -> HttpResponse:
    form = ConsentTextForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.consent_text_publish(actor=request.user, **form.cleaned_data)
        messages.success(request, _("New version of the consent text published."))
        return redirect("panel:consent_texts")
    texts = ConsentText.objects.all()
    return render(request, "panel/consent_texts.html", {"form": form, "texts": texts})
