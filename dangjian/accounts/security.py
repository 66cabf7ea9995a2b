"""The 安全管理员's page: login lockouts in force (django-axes) and unlocking them, audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian import audit
from dangjian.accounts.decorators import requires
from dangjian.accounts.roles import Permission


def locked_attempts() -> QuerySet[AccessAttempt]:
    since = timezone.now() - timedelta(seconds=settings.AXES_COOLOFF_TIME.total_seconds())
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")


def account_unlock(*, actor: Any, username: str) -> int:
    with transaction.atomic():
        removed = reset(username=username)
        audit.record(actor=actor, action="account.unlock", changes={"username": username, "records": removed})
    return removed


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


@login_required
@requires(Permission.MANAGE_SECURITY)
@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    username = request.POST.get("username", "").strip()[:150]
    if username:
        account_unlock(actor=request.user, username=username)
        messages.success(request, _("已解锁账号 %(u)s。") % {"u": username})
    return redirect("accounts:security")
