"""Passwords: 修改密码 (also where an expired administrator's password sends them); 忘记密码: a reset
link by e-mail where a mail server is configured; otherwise whom to ask."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.password_rules import admin_password_expired
from dangjian.accounts.services import password_change as password_change_service
from dangjian.kit.access_rules import access_rule, public, signed_in
from dangjian.kit.ratelimit import rate_limited


@access_rule(signed_in())
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    expired = admin_password_expired(user)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_change_service(user=user, new_password=form.cleaned_data["new_password1"], expired=expired)
        update_session_auth_hash(request, user)
        messages.success(request, _("密码已修改。"))
        return redirect("accounts:me")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "expired": expired, "title": _("修改密码")},
    )


def mail_configured() -> bool:
    return bool(settings.EMAIL_URL)


def _typed_email(request: HttpRequest) -> str:
    return request.POST.get("email", "")


@access_rule(public())
@rate_limited("password_reset", user=_typed_email)  # each POST may send a mail
def password_forgot(request: HttpRequest) -> HttpResponseBase:
    if mail_configured():
        return ResetRequest.as_view()(request)
    contact = settings.SUPPORT_CONTACT or _("所在党支部书记或院系组织员")
    return render(request, "accounts/password_forgot.html", {"contact": contact, "title": _("忘记密码")})


class ResetRequest(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_context = {"title": _("忘记密码")}


class ResetDone(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class ResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            audit.record(
                actor=form.user, action="account.password_reset", target=form.user, changes={"by": "email"}
            )
        return response


class ResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
