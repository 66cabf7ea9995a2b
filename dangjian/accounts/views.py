from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_cas_ng import views as cas_views
from django_otp import login as otp_login

from dangjian import hooks
from dangjian.accounts import services, sso
from dangjian.accounts.forms import LoginForm, OtpForm, TokenForm
from dangjian.accounts.models import ApiToken, RoleAssignment
from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import OTP_REQUIRED_ROLES, Role
from dangjian.accounts.services import api_token_create, api_token_revoke, totp_confirm, totp_device_for
from dangjian.core.selectors import person_positions
from dangjian.kit.access_rules import FORBIDDEN, access_rule, own, public, signed_in, signing_out
from dangjian.kit.ratelimit import rate_limited
from dangjian.kit.requests import is_htmx
from dangjian.policy import get_policy

DEMO_LOGINS = [
    ("school_admin", gettext_lazy("校级管理员(组织部)")),
    ("college_organizer", gettext_lazy("院系组织员(计算机学院党委)")),
    ("branch_secretary", gettext_lazy("支部书记")),
    ("member", gettext_lazy("党员")),
    ("outsider_organizer", gettext_lazy("其他学院组织员")),
    ("auditor", gettext_lazy("审计管理员")),
    ("sysadmin", gettext_lazy("系统管理员")),
    ("secadmin", gettext_lazy("安全管理员")),
]


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    policy = get_policy()
    form = LoginForm(request)
    message = _("登录失败次数过多，账号已锁定 %(m)s 分钟，请稍后再试或联系管理员解锁。") % {
        "m": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) or policy.login_lockout_minutes
    }
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked_message": message, "demo_logins": _demo_logins()},
        status=429,
    )


def _demo_logins() -> list[tuple[str, str]]:
    return [(u, str(label)) for u, label in DEMO_LOGINS] if settings.DEMO_MODE else []


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _typed_username(request: HttpRequest) -> str:
    return request.POST.get("username", "")


@access_rule(public())
@rate_limited("login", user=_typed_username)
def login_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = LoginForm(request, data=request.POST)
        if form.is_valid():
            login(request, form.get_user())
            return redirect(_safe_next(request))
        return render_login(request, form=form)
    return render_login(request)


def render_login(
    request: HttpRequest, *, form: LoginForm | None = None, sso_error: str = "", status: int = 200
) -> HttpResponse:
    """The login page: the password form, the 统一身份认证 buttons of the providers that are on, and why an
    SSO login was refused (``sso_error``)."""
    target = request.POST.get("next") or request.GET.get("next", "")
    next_query = f"?{urlencode({'next': target})}" if target and _safe_next(request) == target else ""
    context = {
        "form": form or LoginForm(request),
        "next": target,
        "demo_logins": _demo_logins(),
        "notes": login_notes(target),
        "sso_error": sso_error,
        "cas_url": reverse("accounts:cas_login") + next_query if sso.cas_on() else "",
        "oidc_url": reverse("accounts:oidc_authenticate") + next_query if sso.oidc_on() else "",
    }
    return render(request, "accounts/login.html", context, status=status)


def login_notes(target: str) -> list[str]:
    """What the modules say of where the visitor is going (a check-in link names its meeting)."""
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return []
    path = target.split("?", 1)[0]
    return [note for n in hooks.login_notes.all() if (note := n.note(path))]


@access_rule(signing_out())
@require_POST
def logout_view(request: HttpRequest) -> HttpResponseBase:
    provider = request.session.get(sso.SESSION_KEY)
    if provider == "cas" and sso.cas_on():
        return cas_views.LogoutView.as_view()(request)  # the CAS session ends with ours (single logout)
    logout(request)
    if provider == "oidc" and sso.oidc_on() and settings.OIDC_OP_LOGOUT_ENDPOINT:
        back = request.build_absolute_uri(reverse("accounts:login"))
        query = urlencode({"client_id": settings.OIDC_RP_CLIENT_ID, "post_logout_redirect_uri": back})
        return redirect(f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{query}")  # RP-initiated logout at the provider
    return redirect("accounts:login")


@access_rule(signed_in())
@login_required
def otp_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = totp_device_for(user)  # type: ignore[arg-type]
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            if not device.confirmed:
                totp_confirm(user=user, device=device)  # type: ignore[arg-type]
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("code", _("验证码不正确或已过期，请重新输入。"))
    qr_svg = ""
    if not device.confirmed:
        qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return render(
        request,
        "accounts/otp.html",
        {
            "form": form,
            "enrol": not device.confirmed,
            "qr_svg": qr_svg,
            "secret": device.bin_key.hex() if not device.confirmed else "",
        },
    )


@access_rule(signed_in(**{"member:POST": FORBIDDEN, "branch_secretary:POST": FORBIDDEN}))
@login_required
@rate_limited("token")  # only POST creates a token
def me(request: HttpRequest) -> HttpResponse:
    user = request.user
    person = getattr(user, "person", None)
    new_token = ""
    offers_tokens = _offers_api_tokens(request)
    if request.method == "POST":
        if not offers_tokens:
            return HttpResponseForbidden(_("你的账号不使用 API 令牌。"))
        form = TokenForm(request.POST)
        if form.is_valid():
            _token, new_token = api_token_create(
                user=user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                read_only=form.cleaned_data["read_only"],
            )
            messages.success(request, _("已创建新令牌，请立即复制保存，它只显示这一次。"))
    else:
        form = TokenForm()
    context = {
        "person": person,
        "membership": getattr(person, "membership", None) if person else None,
        "positions": person_positions(person) if person else [],
        "cadre": getattr(person, "cadre", None) if person else None,
        "grants": scope_of(request).grants,
        "role_choices": dict(Role.choices),
        "offers_tokens": offers_tokens,
        "tokens": ApiToken.objects.filter(user_id=request.user.id).order_by("-created_at")[:20],  # type: ignore[misc]
        "token_form": form,
        "new_token": new_token,
        "now": timezone.now(),
        "needs_otp": bool(scope_of(request).roles & OTP_REQUIRED_ROLES),
        "title": _("我的"),
    }
    return render(request, "accounts/me.html", context)


def _offers_api_tokens(request: HttpRequest) -> bool:
    """API tokens are for those who connect other systems: accounts with an assigned role (组织部, 院系组织员,
    the administrators), or anyone who already holds one (to see and revoke it). A member or a branch
    secretary, whose rights come from their position, works in the browser."""
    user_id: int = request.user.pk or 0
    return (
        RoleAssignment.objects.filter(user_id=user_id).exists()
        or ApiToken.objects.filter(user_id=user_id).exists()
    )


@access_rule(own())
@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)  # type: ignore[misc]
    api_token_revoke(user=request.user, token=token)  # type: ignore[arg-type]
    messages.success(request, _("令牌已吊销。"))
    return redirect("accounts:me")


@access_rule(signed_in())
@login_required
@require_POST
def guide_dismiss(request: HttpRequest) -> HttpResponse:
    services.guide_dismiss(user=request.user)  # type: ignore[arg-type]
    if is_htmx(request):
        return HttpResponse("")
    return redirect("web:home")
