"""Check-in pages: the host's screen with the rotating QR code and the live count, and the page a
member's phone opens from the code (log in if needed, then one tap — or automatic — to check in)."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.requests import ScopedRequest
from dangjian.accounts.roles import Permission
from dangjian.kit.errors import DomainError
from dangjian.orglife.meetings import checkin, selectors, services
from dangjian.orglife.models import Attendance, Attendee, Meeting

P = Permission


def _code(request: ScopedRequest, meeting: Any) -> dict[str, Any]:
    token = checkin.make_token(meeting)
    url = request.build_absolute_uri(reverse("orglife:scan", args=[token]))
    return {
        "qr_svg": segno.make(url, error="m").svg_inline(scale=6, border=2),
        "scan_url": url,
        "refresh": checkin.seconds_to_next_code(),
        "counts": selectors.attendance_counts(meeting),
    }


@login_required
def screen(request: ScopedRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.scope, meeting_id, P.MANAGE_ORGLIFE)
    window = checkin.window(meeting)
    now = timezone.now()
    context = {"meeting": meeting, "window": window, "open": window.contains(now), "title": _("签到")}
    if context["open"]:
        context.update(_code(request, meeting))
    return render(request, "orglife/checkin_screen.html", context)


@login_required
def screen_code(request: ScopedRequest, meeting_id: int) -> HttpResponse:
    """The htmx fragment that replaces the code (and the count) every rotation."""
    meeting = selectors.get_meeting_for(request.scope, meeting_id, P.MANAGE_ORGLIFE)
    window = checkin.window(meeting)
    if not window.contains(timezone.now()):
        return render(request, "orglife/checkin_code.html", {"meeting": meeting, "closed": True})
    return render(request, "orglife/checkin_code.html", {"meeting": meeting, **_code(request, meeting)})


@login_required
def scan(request: ScopedRequest, token: str) -> HttpResponse:
    """GET shows the meeting and a button that submits at once (no tap needed with scripts on); POST
    checks in. Every refusal is a page with the reason."""
    context: dict[str, Any] = {"title": _("会议签到"), "token": token}
    person = getattr(request.user, "person", None)
    try:
        meeting_id = checkin.read_token(token)
        context["meeting"] = Meeting.objects.select_related("organization").filter(pk=meeting_id).first()
        if request.method == "POST":
            attendee, created = services.checkin_scan(actor=request.user, person=person, token=token)
            context.update({"done": True, "created": created, "attendee": attendee})
        elif person is not None:
            mine = Attendee.objects.filter(meeting_id=meeting_id, person=person).first()
            context["already"] = bool(mine and mine.attendance == Attendance.PRESENT)
            context["attendee"] = mine
    except DomainError as exc:
        context["error"] = exc.message
    return render(
        request,
        "orglife/scan.html",
        context,
        status=400 if context.get("error") and request.method == "POST" else 200,
    )
