from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.workbench.selectors import notifications_for, unread_count
from dangjian.workbench.services import notification_mark_read


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    qs = notifications_for(request.user)
    if request.GET.get("unread"):
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "workbench/notifications.html", {"page": page, "title": _("通知")})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("id")
    notification_mark_read(user=request.user, notification_id=int(raw) if raw and raw.isdigit() else None)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request, "workbench/notifications.html#bell", {"unread_notifications": unread_count(request.user)}
        )
    return redirect(request.POST.get("next") or "workbench:notifications")


@login_required
def bell(request: HttpRequest) -> HttpResponse:
    return render(
        request, "workbench/notifications.html#bell", {"unread_notifications": unread_count(request.user)}
    )
