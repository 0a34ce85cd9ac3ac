from __future__ import annotations

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from facit.accounts import services
from facit.accounts.forms import AccountForm, ReauthForm, TokenForm
from facit.accounts.models import User
from facit.accounts.reauth import mark_signed_in
from facit.accounts.roles import ADMIN, ROLE_LABELS
from facit.accounts.services import totp_device_confirm, totp_device_get_or_create
from facit.accounts.throttle import login_throttled
from facit.core.audit import audit_record
from facit.core.permissions import role_required


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if login_throttled(request):
            audit_record(actor=None, action="account.sign_in_throttled")
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, _("Too many sign-in attempts. Wait a few minutes and try again."))
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every account can change its own password (Django's validators apply)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(actor=self.request.user, action="account.password_changed")
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@login_required
def reauth(request: HttpRequest) -> HttpResponse:
    """Enter password and code again before seeing identity data (recent sign-in)."""
    assert isinstance(request.user, User)
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = totp_device_get_or_create(user=request.user)
        password_ok = request.user.check_password(form.cleaned_data["password"])
        if password_ok and device.confirmed and device.verify_token(form.cleaned_data["token"]):
            mark_signed_in(request)
            audit_record(actor=request.user, action="account.reauthenticated")
            return redirect(_safe_next(request))
        audit_record(actor=request.user, action="account.reauthentication_failed")
        form.add_error(None, _("The password or the code is not right."))
    return render(request, "accounts/reauth.html", {"form": form, "next": _safe_next(request)})


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    device = totp_device_get_or_create(user=request.user)
    if not device.confirmed:
        return redirect(f"{reverse('accounts:otp_setup')}?next={_safe_next(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            mark_signed_in(request)
            audit_record(actor=request.user, action="account.two_factor_verified")
            return redirect(_safe_next(request))
        audit_record(actor=request.user, action="account.two_factor_failed")
        form.add_error("token", _("That code is not valid. Check the time on your phone."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request)})


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    device = totp_device_get_or_create(user=request.user)
    if device.confirmed:
        return redirect("accounts:otp_verify")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            totp_device_confirm(device=device)
            otp_login(request, device)
            mark_signed_in(request)
            return redirect(_safe_next(request))
        form.add_error("token", _("That code is not valid. Check the time on your phone."))
    buffer = io.BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    context = {
        "form": form,
        "qr_svg": buffer.getvalue().decode(),
        "secret": base64.b32encode(device.bin_key).decode(),
        "config_url": device.config_url,
        "next": _safe_next(request),
    }
    return render(request, "accounts/otp_setup.html", context)


# Accounts and roles (the admin role's staff page) -------------------------------------------


def _role_labels(user: User) -> list[str]:
    names = {g.name for g in user.groups.all()}
    return [str(label) for role, label in ROLE_LABELS.items() if role in names]


@role_required(ADMIN)
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.order_by("username").prefetch_related("groups")
    rows = [{"user": u, "roles": _role_labels(u)} for u in users]
    return render(request, "accounts/user_list.html", {"rows": rows})


@role_required(ADMIN)
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    assert isinstance(request.user, User)
    account = get_object_or_404(User, pk=user_id)
    current = {g.name for g in account.groups.all()}
    may_change = account.pk != request.user.pk and not account.is_superuser
    form = AccountForm(
        request.POST or None, initial={"roles": sorted(current), "is_active": account.is_active}
    )
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        wanted = set(form.cleaned_data["roles"])
        try:
            for role in sorted(wanted - current):
                services.user_role_add(user=account, role=role, actor=request.user)
            for role in sorted(current - wanted):
                services.user_role_remove(user=account, role=role, actor=request.user)
            if account.is_active and not form.cleaned_data["is_active"]:
                services.user_deactivate(user=account, actor=request.user)
            elif not account.is_active and form.cleaned_data["is_active"]:
                services.user_reactivate(user=account, actor=request.user)
        except services.AccountChangeRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The account %(name)s was saved.") % {"name": account})
            return redirect("accounts:user_detail", user_id=account.pk)
    context = {
        "account": account,
        "form": form,
        "may_change": may_change,
        "is_self": account.pk == request.user.pk,
        "role_labels": _role_labels(account),
    }
    return render(request, "accounts/user_detail.html", context)
