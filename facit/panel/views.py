"""Panel pages. Every page carries the quick exit; URLs hold opaque ids only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facit.accounts.actor import request_actor
from facit.accounts.models import User
from facit.accounts.reauth import recent_sign_in_required
from facit.accounts.roles import COORDINATOR
from facit.evidence.models import Intervention
from facit.panel import hooks, services
from facit.panel.access import member_required, refused_response, role_view
from facit.panel.errors import Refused
from facit.panel.forms import (
    AssessmentForm,
    ConsentTextForm,
    FeeForm,
    LeaveForm,
    MemberCreateForm,
)
from facit.panel.models import AftercareRequest, Assessment, ConsentText, Member, Purpose
from facit.panel.selectors import (
    contributions_viewed,
    identity_for,
    member_consents,
)

__all__ = ["member_required", "refused_response", "role_view"]


@member_required(coordinator_home=True)
def home(request: HttpRequest, member: Member) -> HttpResponse:
    if member.interruption_seen_at is None:
        return redirect("panel:safety")
    rounds: list[Any] = hooks.member_rounds(member=member)  # each with its `invitation`
    context = {
        "member": member,
        "open_rounds": [r for r in rounds if r.is_open and r.invitation.closed_at is None],
        "closed_rounds": [r for r in rounds if not r.is_open or r.invitation.closed_at],
        "aftercare": any(r.content_warning and r.invitation.accepted_at for r in rounds),
        "comments": hooks.member_comments(member_id=member.pk),
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
def fees(request: HttpRequest, member: Member) -> HttpResponse:
    """The member's own honoraria, and what to know before accepting them."""
    return render(request, "panel/fees.html", {"member": member, "fees": member.fees.all()})


@member_required
def aftercare(request: HttpRequest, member: Member) -> HttpResponse:
    """Support after hard material: contacts from the directory's verified data, and a
    request for a follow-up call with the coordinator."""
    if request.method == "POST":
        services.aftercare_request(member=member)
        messages.success(
            request, _("Your request is sent. The coordinator will contact you for a call.")
        )
        return redirect("panel:aftercare")
    context = {
        "contacts": hooks.aftercare_contacts(),
        "requested": member.aftercare_requests.filter(handled_at__isnull=True).exists(),
    }
    return render(request, "panel/aftercare.html", context)


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
    """Two steps: choose, then a confirmation page that says exactly what will happen."""
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["choice"]
        if request.POST.get("confirm") == "yes":
            services.member_leave(member=member, choice=choice, actor=request_actor(request))
            request.user.refresh_from_db()  # type: ignore[union-attr]  # renamed by the erasure
            logout(request)  # the service ended every session of the account; this one too
            return render(request, "panel/left.html", {"choice": choice})
        context = {
            "choice": choice,
            "choice_label": Member.LeaveChoice(choice).label,
            "counts": services.leave_preview(member=member),
        }
        return render(request, "panel/leave_confirm.html", context)
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
            member = services.member_create(user=user, actor=request_actor(request), **data)
            return redirect("panel:coordinator_member", member_id=member.public_id)
    members = [(m, m.status()) for m in Member.objects.prefetch_related("consents")]
    context = {
        "members": members,
        "form": form,
        "aftercare": AftercareRequest.objects.filter(handled_at__isnull=True).select_related(
            "member"
        ),
    }
    return render(request, "panel/coordinator_home.html", context)


@coordinator_view
@recent_sign_in_required(when=lambda request: "identity" in request.GET)
def coordinator_member(request: HttpRequest, member_id: str) -> HttpResponse:
    member = get_object_or_404(Member, public_id=member_id)
    form = FeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.fee_record(member=member, actor=request_actor(request), **form.cleaned_data)
        messages.success(request, _("Fee recorded."))
        return redirect("panel:coordinator_member", member_id=member.public_id)
    identity = (
        identity_for(actor=request_actor(request), member=member)
        if "identity" in request.GET
        else None
    )
    comments = hooks.member_comments(member_id=member.pk)
    contributions_viewed(
        actor=request_actor(request), target=member, count=len(comments), what="comments"
    )
    context = {
        "member": member,
        "identity": identity,
        "show_identity": "identity" in request.GET,
        "fees": member.fees.all(),
        "comments": comments,
        "consents": member.consents.select_related("consent_text"),
        "active_consents": [(p, label) for p, label in Purpose.choices if member.has_consent(p)],
        "status": member.status(),
        "aftercare": member.aftercare_requests.filter(handled_at__isnull=True),
        "form": form,
    }
    return render(request, "panel/coordinator_member.html", context)


@require_POST
@coordinator_view
def coordinator_member_action(request: HttpRequest, member_id: str) -> HttpResponse:
    """Record, on the member's behalf (e.g. after a phone call), a withdrawal or a pause."""
    member = get_object_or_404(Member, public_id=member_id, left_at__isnull=True)
    action = request.POST.get("action", "")
    if action == "withdraw" and request.POST.get("purpose") in Purpose.values:
        services.consent_withdraw(
            member=member, purpose=request.POST["purpose"], actor=request_actor(request)
        )
        messages.success(request, _("Withdrawal recorded. It applies from now on."))
    elif action == "pause":
        services.member_pause(member=member, actor=request_actor(request))
        messages.success(request, _("Pause recorded."))
    elif action == "resume":
        services.member_resume(member=member, actor=request_actor(request))
        messages.success(request, _("Resumption recorded."))
    elif action == "aftercare_handled":
        for item in member.aftercare_requests.filter(handled_at__isnull=True):
            services.aftercare_handled(aftercare=item, actor=request_actor(request))
        messages.success(request, _("Follow-up call marked as done."))
    else:
        raise Refused(_("Choose what to record."), code="invalid")
    return redirect("panel:coordinator_member", member_id=member.public_id)


@coordinator_view
def consent_texts(request: HttpRequest) -> HttpResponse:
    form = ConsentTextForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.consent_text_publish(actor=request_actor(request), **form.cleaned_data)
        messages.success(request, _("New version of the consent text published."))
        return redirect("panel:consent_texts")
    texts = ConsentText.objects.all()
    return render(request, "panel/consent_texts.html", {"form": form, "texts": texts})
