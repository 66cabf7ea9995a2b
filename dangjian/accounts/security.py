"""The 安全管理员's page: login lockouts in force (django-axes) and unlocking them, audited."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.decorators import requires
from dangjian.accounts.roles import Permission
from dangjian.accounts.services import account_unlock, locked_attempts
from dangjian.kit.access_rules import access_rule, anywhere
from dangjian.kit.errors import StaleState
from dangjian.kit.transitions import posted_state


@access_rule(anywhere(Permission.MANAGE_SECURITY))
@login_required
@requires(Permission.MANAGE_SECURITY)
def security(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/security.html",
        {
            "attempts": locked_attempts()[:200],
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            "otp_required": settings.OTP_REQUIRED_FOR_ADMIN_ROLES,
            "session_hours": settings.SESSION_COOKIE_AGE / 3600,
            "title": _("安全策略"),
        },
    )


@access_rule(anywhere(Permission.MANAGE_SECURITY))
@login_required
@requires(Permission.MANAGE_SECURITY)
@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    username = request.POST.get("username", "").strip()[:150]
    if username:
        try:
            account_unlock(actor=request.user, username=username, expected_status=posted_state(request))
        except StaleState as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已解锁账号 %(u)s。") % {"u": username})
    return redirect("accounts:security")
