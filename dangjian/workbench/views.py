from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.kit.access_rules import access_rule, signed_in
from dangjian.kit.requests import is_htmx
from dangjian.workbench.selectors import notifications_for, unread_count
from dangjian.workbench.services import notification_mark_read


@access_rule(signed_in())
@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    qs = notifications_for(request.user)
    if request.GET.get("unread"):
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "workbench/notifications.html", {"page": page, "title": _("通知")})


@access_rule(signed_in())
@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark read: idempotent by nature (a second click finds nothing unread and changes nothing), so it
    takes no expected state. Only ASCII digits are an id ("²" passes isdigit() and made int() a 500)."""
    raw = request.POST.get("id") or ""
    notification_mark_read(
        user=request.user, notification_id=int(raw) if raw.isascii() and raw.isdigit() else None
    )
    if is_htmx(request):
        return render(
            request, "workbench/notifications.html#bell", {"unread_notifications": unread_count(request.user)}
        )
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("workbench:notifications")  # never an open redirect to another site
    return redirect(target)


@access_rule(signed_in())
@login_required
def bell(request: HttpRequest) -> HttpResponse:
    return render(
        request, "workbench/notifications.html#bell", {"unread_notifications": unread_count(request.user)}
    )
