"""Check-in pages: the host's screen with the rotating QR code and the live count (a preview with the
printed code before the window opens), the A4 sheet to print, the full-screen projector view with the
names ticking in, and the page a member's phone opens from the code (log in if needed, then one tap —
or automatic — to check in)."""

from __future__ import annotations

from datetime import datetime
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
from dangjian.kit.access_rules import access_rule, signed_in, within
from dangjian.kit.errors import DomainError
from dangjian.kit.ratelimit import rate_limited
from dangjian.orglife.meetings import checkin, selectors, services
from dangjian.orglife.models import Attendance, Attendee, Meeting

P = Permission

# The projector's list of names: the latest check-ins, enough to fill a screen.
LIVE_NAMES = 24


def _qr(url: str, scale: int = 6) -> str:
    # No fixed size (a viewBox instead): the wrapper decides, so a phone never scrolls sideways.
    return segno.make(url, error="m").svg_inline(scale=scale, border=2, omitsize=True)


def _code(request: ScopedRequest, meeting: Any) -> dict[str, Any]:
    token = checkin.make_token(meeting)
    url = request.build_absolute_uri(reverse("orglife:scan", args=[token]))
    return {
        "qr_svg": _qr(url),
        "scan_url": url,
        "refresh": checkin.seconds_to_next_code(),
        "counts": selectors.attendance_counts(meeting),
    }


def _printed(request: ScopedRequest, meeting: Meeting, scale: int = 6) -> dict[str, Any]:
    """The code that does not rotate (``checkin.make_print_token``): the preview and the A4 sheet."""
    url = request.build_absolute_uri(reverse("orglife:scan", args=[checkin.make_print_token(meeting)]))
    return {"qr_svg": _qr(url, scale), "scan_url": url}


def _phase(meeting: Meeting, now: datetime) -> str:
    """Where the check-in stands: "before" its window, "open", or "after" (or the meeting is over)."""
    window = checkin.window(meeting)
    if meeting.status in ("cancelled", "closed") or now > window.closes:
        return "after"
    return "open" if now >= window.opens else "before"


def _managed(request: ScopedRequest, meeting_id: int) -> Meeting:
    return selectors.get_meeting_for(request.scope, meeting_id, P.MANAGE_ORGLIFE)


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
def screen(request: ScopedRequest, meeting_id: int) -> HttpResponse:
    """签到二维码: the rotating code inside the window; before it, a preview of the printed code and its
    link, marked as not started yet."""
    meeting = _managed(request, meeting_id)
    window = checkin.window(meeting)
    phase = _phase(meeting, timezone.now())
    context = {
        "meeting": meeting,
        "window": window,
        "phase": phase,
        "open": phase == "open",
        "title": _("签到"),
    }
    if phase == "open":
        context.update(_code(request, meeting))
    elif phase == "before":
        context.update(_printed(request, meeting))
    return render(request, "orglife/checkin_screen.html", context)


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
def screen_code(request: ScopedRequest, meeting_id: int) -> HttpResponse:
    """The htmx fragment that replaces the code (and the count) every rotation; before the window it
    asks again when the window opens (at most every 30 s), after it, it stops."""
    meeting = _managed(request, meeting_id)
    now = timezone.now()
    phase = _phase(meeting, now)
    big = request.GET.get("big") == "1"
    context: dict[str, Any] = {"meeting": meeting, "phase": phase, "big": big}
    if phase == "open":
        context.update(_code(request, meeting))
    elif phase == "before":
        wait = int((checkin.window(meeting).opens - now).total_seconds()) + 1
        context.update({"refresh": max(1, min(30, wait)), "window": checkin.window(meeting)})
    return render(request, "orglife/checkin_code.html", {**context, "closed": phase == "after"})


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
def print_sheet(request: ScopedRequest, meeting_id: int) -> HttpResponse:
    """The A4 sheet for the door: a big printed code with the meeting's title, time and place (a page
    styled for printing; the browser prints it or saves it as PDF)."""
    meeting = _managed(request, meeting_id)
    return render(
        request,
        "orglife/checkin_print.html",
        {"meeting": meeting, "window": checkin.window(meeting), **_printed(request, meeting, scale=10)},
    )


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
def projector(request: ScopedRequest, meeting_id: int) -> HttpResponse:
    """The full-screen view for the projector: the rotating code, the title, the live count and the
    names of those who checked in (``live``, polled)."""
    meeting = _managed(request, meeting_id)
    now = timezone.now()
    phase = _phase(meeting, now)
    context: dict[str, Any] = {
        "meeting": meeting,
        "window": checkin.window(meeting),
        "phase": phase,
        "big": True,
        "closed": phase == "after",
        "title": meeting.topic,
        **_live(meeting),
    }
    if phase == "open":
        context.update(_code(request, meeting))
    elif phase == "before":
        wait = int((checkin.window(meeting).opens - now).total_seconds()) + 1
        context["refresh"] = max(1, min(30, wait))
    return render(request, "orglife/checkin_projector.html", context)


def _live(meeting: Meeting) -> dict[str, Any]:
    """The count and the latest names: two queries whatever the size of the branch."""
    latest = list(
        Attendee.objects.filter(meeting=meeting, attendance=Attendance.PRESENT)
        .select_related("person")
        .only("person__name", "checked_in_at", "meeting_id")
        .order_by("-checked_in_at", "-pk")[:LIVE_NAMES]
    )
    return {"counts": selectors.attendance_counts(meeting), "latest": latest}


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
def live(request: ScopedRequest, meeting_id: int) -> HttpResponse:
    """The projector's polled fragment: 已签到 n / m and the names."""
    meeting = _managed(request, meeting_id)
    return render(request, "orglife/checkin_live.html", {"meeting": meeting, **_live(meeting)})


@access_rule(signed_in())
@login_required
@rate_limited("checkin")  # the POST that checks in; showing the page is free
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
