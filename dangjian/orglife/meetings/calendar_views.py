"""会议日历: a month of the meetings in the viewer's scope (a member: the meetings they attend), as a
grid on wide screens and a list by day on phones; and the person's .ics subscription — a secret URL
that needs no login, reset or revoked from the calendar page."""

from __future__ import annotations

import calendar as pycalendar
from collections import defaultdict
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.requests import ScopedRequest
from dangjian.accounts.roles import Permission
from dangjian.core.selectors import org_from_query
from dangjian.kit.access_rules import access_rule, person, public, signed_in
from dangjian.kit.dates import add_months
from dangjian.kit.pdf import file_response
from dangjian.kit.ratelimit import rate_limited
from dangjian.orglife.meetings import ics, selectors, services
from dangjian.orglife.models import Attendee, CalendarFeed, Meeting, MeetingStatus
from dangjian.orglife.pages import post_action

P = Permission

# A month of a whole school may hold many meetings: the page shows this many, then a link to the list.
MONTH_CAP = 600
PER_DAY = 4
FEED_PAST_DAYS = 31
FEED_FUTURE_DAYS = 183
FEED_CAP = 500


def _month(value: str | None) -> date:
    try:
        year, month = str(value).split("-")
        day = date(int(year), int(month), 1)
        if 1921 <= day.year <= 2100:
            return day
    except (TypeError, ValueError):
        pass
    return timezone.localdate().replace(day=1)


@access_rule(signed_in())
@login_required
def month(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    first = _month(request.GET.get("month"))
    after = add_months(first, 1)
    qs = selectors.meetings_visible_to(scope, P.VIEW_ORGLIFE).filter(date__gte=first, date__lt=after)
    org = None
    if scope.has(P.VIEW_ORGLIFE):
        org = org_from_query(scope, request.GET.get("org"), P.VIEW_ORGLIFE)
        qs = qs.filter(organization__path__startswith=org.path)
    rows = list(
        qs.exclude(status=MeetingStatus.CANCELLED)
        .select_related(None)
        .select_related("organization")
        .only("pk", "date", "start_time", "topic", "kind", "status", "place", "organization__name")
        .order_by("date", "start_time", "pk")[: MONTH_CAP + 1]
    )
    capped = len(rows) > MONTH_CAP
    by_day: dict[date, list[Meeting]] = defaultdict(list)
    for m in rows[:MONTH_CAP]:
        by_day[m.date].append(m)
    today = timezone.localdate()
    weeks = [
        [
            {
                "day": d,
                "in_month": d.month == first.month,
                "today": d == today,
                "meetings": by_day.get(d, [])[:PER_DAY],
                "more": max(0, len(by_day.get(d, [])) - PER_DAY),
            }
            for d in week
        ]
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = request.build_absolute_uri(reverse("orglife:calendar_feed", args=[feed.token])) if feed else ""
    return render(
        request,
        "orglife/calendar.html",
        {
            "title": _("会议日历"),
            "first": first,
            "prev": add_months(first, -1),
            "next": add_months(first, 1),
            "weeks": weeks,
            "days": sorted(by_day.items()),
            "capped": capped,
            "org": org,
            "org_query": f"&org={org.pk}" if org else "",
            "weekdays": [_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")],
            "feed": feed,
            "feed_url": feed_url,
            "feed_state": services.calendar_feed_state(feed),
            "has_person": scope.person_id is not None,
        },
    )


@access_rule(person())
@login_required
@require_POST
def feed_action(request: ScopedRequest, action: str) -> HttpResponse:
    """Create / reset (``reset``) or revoke (``revoke``) the user's subscription URL."""
    if action not in ("reset", "revoke") or request.scope.person_id is None:
        raise Http404
    back = reverse("orglife:calendar")
    if action == "reset":
        return post_action(
            request,
            lambda seen: services.calendar_feed_reset(actor=request.user, expected_status=seen),
            _("已生成新的订阅地址；原地址已失效"),
            back,
        )
    return post_action(
        request,
        lambda seen: services.calendar_feed_revoke(actor=request.user, expected_status=seen),
        _("已取消订阅，原地址已失效"),
        back,
    )


def _feed_token(request: HttpRequest) -> str:
    return str(request.resolver_match.kwargs.get("token", "")) if request.resolver_match else ""


@access_rule(public())
@rate_limited("calendar_feed", user=_feed_token, methods=("GET", "HEAD"))
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The .ics of one person's meetings (the last month and the next six): no login — the token in
    the URL is the only key; a wrong or revoked token is 404."""
    row = CalendarFeed.objects.select_related("user").filter(token=token).first() if token else None
    person_id = getattr(row.user, "person_id", None) if row and row.user.is_active else None
    if person_id is None:
        raise Http404
    today = timezone.localdate()
    meetings = (
        Meeting.objects.filter(
            pk__in=Attendee.objects.filter(person_id=person_id).values("meeting_id"),
            date__gte=today - timedelta(days=FEED_PAST_DAYS),
            date__lte=today + timedelta(days=FEED_FUTURE_DAYS),
        )
        .select_related("organization", "speaker")
        .order_by("date", "start_time", "pk")[:FEED_CAP]
    )
    link = request.build_absolute_uri(reverse("orglife:meeting", args=[0])).replace("/0/", "/{pk}/")
    body = ics.calendar(meetings, name=_("组织生活"), link=link, now=timezone.now())
    response = file_response(body.encode("utf-8"), "orglife.ics", "text/calendar; charset=utf-8", inline=True)
    response["Cache-Control"] = "private, max-age=900"
    return response
