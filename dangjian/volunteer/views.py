"""The pages of 志愿服务: a member's list (the activities open to them, their sign-ups), an activity with
报名 / 取消报名, 我的志愿时长 per year, the page a phone opens from the check-in code; the organizer's
list, new / edit / publish / cancel / finish, the sign-up list (and its .xlsx), the QR screen, the
hours correction and the 补录 of someone who took part without signing up. Made for a phone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dangjian.accounts.requests import ScopedRequest, scope_of
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.audit.exports import export_response
from dangjian.core.models import Organization
from dangjian.kit.access_rules import ALLOWED, access_rule, anywhere, person, signed_in, within
from dangjian.kit.errors import DomainError
from dangjian.kit.form_pages import service_action, service_form_page
from dangjian.kit.paginator import CappedPaginator
from dangjian.kit.ratelimit import rate_limited
from dangjian.kit.transitions import posted_state
from dangjian.policy import get_policy
from dangjian.volunteer import access, checkin, rules, selectors, services
from dangjian.volunteer.forms import ActivityForm, AddForm, CorrectForm, ReasonForm
from dangjian.volunteer.models import Activity
from dangjian.volunteer.rules import ActivityStatus

P = Permission
MANAGE = within(P.MANAGE_ORGLIFE)
SEE = within(P.MANAGE_ORGLIFE, member=ALLOWED)


def _url(activity: Activity) -> str:
    return reverse("volunteer:activity", args=[activity.pk])


# ---------------------------------------------------------------- the member's side


@access_rule(person())
@login_required
def home(request: ScopedRequest) -> HttpResponse:
    """志愿服务: the activities open to the member (soonest first) and their own sign-ups."""
    scope = scope_of(request)
    if scope.person_id is None:
        raise Http404
    page = CappedPaginator(selectors.open_for(scope), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "volunteer/home.html",
        {
            "title": _("志愿服务"),
            "page": page,
            "mine": list(selectors.own_signups(scope)[:20]),
            "may_organize": scope.has(P.MANAGE_ORGLIFE),
        },
    )


@access_rule(person())
@login_required
def hours(request: ScopedRequest) -> HttpResponse:
    """我的志愿时长: the hours per year, and the activities counted in the chosen year."""
    scope = scope_of(request)
    if scope.person_id is None:
        raise Http404
    years = selectors.yearly_hours(scope.person_id)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return render(
        request,
        "volunteer/hours.html",
        {
            "title": _("我的志愿时长"),
            "years": years,
            "year": year,
            "rows": list(selectors.counted_in_year(scope.person_id, year)[:200]),
        },
    )


def _detail_context(scope: Scope, activity: Activity) -> dict[str, Any]:
    now = timezone.now()
    mine = selectors.own_signup(scope, activity)
    active = mine if mine is not None and mine.cancelled_at is None else None
    home_path = selectors.home_path(scope)
    closes = rules.signup_closes_at(activity.starts_at, get_policy())
    manages = access.may_manage(scope, activity)
    return {
        "title": activity.title,
        "activity": activity,
        "mine": mine,
        "active": active,
        "may_sign_up": (
            active is None
            and activity.status == ActivityStatus.PUBLISHED
            and access.in_audience(activity, home_path)
            and now < closes
            and activity.taken < activity.places  # type: ignore[attr-defined]
        ),
        "may_cancel_signup": active is not None and active.checked_in_at is None and now < activity.starts_at,
        "signup_closes": closes,
        "left": max(0, activity.places - activity.taken),  # type: ignore[attr-defined]
        "manages": manages,
        "window": checkin.window(activity),
        "ended": now >= activity.ends_at,
        "started": now >= activity.starts_at,
        "length": rules.length_hours(activity.starts_at, activity.ends_at),
        "cancel_form": ReasonForm() if manages else None,
        "may_add": manages and _may_add(activity, now),
    }


@access_rule(SEE)
@login_required
def activity(request: ScopedRequest, activity_id: int) -> HttpResponse:
    scope = scope_of(request)
    item = selectors.get_activity_for(scope, activity_id)
    return render(request, "volunteer/activity.html", _detail_context(scope, item))


def _member_action(request: ScopedRequest, activity_id: int, act: str) -> HttpResponse:
    scope = scope_of(request)
    item = selectors.get_activity_for(scope, activity_id)
    if request.method != "POST":
        return redirect(_url(item))
    try:
        if act == "signup":
            services.signup_create(actor=request.user, scope=scope, activity=item)
            message = _("报名成功，请按时参加。")
        else:
            services.signup_cancel(actor=request.user, scope=scope, activity=item)
            message = _("已取消报名。")
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, exc.message)
    else:
        messages.success(request, message)
    return redirect(_url(item))


@access_rule(SEE)
@login_required
def signup(request: ScopedRequest, activity_id: int) -> HttpResponse:
    """报名 (POST; a GET goes back to the activity)."""
    return _member_action(request, activity_id, "signup")


@access_rule(SEE)
@login_required
def signup_cancel(request: ScopedRequest, activity_id: int) -> HttpResponse:
    """取消报名 (POST; a GET goes back to the activity)."""
    return _member_action(request, activity_id, "cancel")


@access_rule(signed_in())
@login_required
@rate_limited("checkin")  # the POST that checks in; showing the page is free
def scan(request: ScopedRequest, token: str) -> HttpResponse:
    """The page the phone opens from the code: GET shows the activity and a button that submits at once
    (no tap needed with scripts on); POST checks in. Every refusal is a page with the reason."""
    scope = scope_of(request)
    context: dict[str, Any] = {"title": _("志愿服务签到"), "token": token}
    try:
        activity_id = checkin.read_token(token)
        context["activity"] = Activity.objects.select_related("organization").filter(pk=activity_id).first()
        if request.method == "POST":
            signup_row, created = services.checkin_scan(actor=request.user, scope=scope, token=token)
            context.update({"done": True, "created": created, "signup": signup_row})
        elif scope.person_id is not None and context["activity"] is not None:
            mine = selectors.own_signup(scope, context["activity"])
            context["already"] = bool(mine and mine.cancelled_at is None and mine.checked_in_at)
    except DomainError as exc:
        context["error"] = exc.message
    return render(
        request,
        "volunteer/scan.html",
        context,
        status=400 if context.get("error") and request.method == "POST" else 200,
    )


# ---------------------------------------------------------------- the organizer's side


@access_rule(anywhere(P.MANAGE_ORGLIFE))
@login_required
def manage(request: ScopedRequest) -> HttpResponse:
    """志愿服务管理: the activities of the organizations the user organizes, the latest first."""
    scope = scope_of(request)
    if not scope.has(P.MANAGE_ORGLIFE):
        raise Http404
    status = request.GET.get("status") or ""
    page = CappedPaginator(selectors.managed(scope, status), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "volunteer/manage.html",
        {
            "title": _("志愿服务管理"),
            "page": page,
            "status": status,
            "statuses": ActivityStatus.choices,
            "query_string": urlencode({"status": status}) if status else "",
        },
    )


def _publishers(scope: Scope) -> list[Organization]:
    qs = Organization.objects.filter(
        scope.q(P.MANAGE_ORGLIFE), kind__in=access.PUBLISHERS, is_active=True
    ).order_by("path")
    return list(qs[:300])


@access_rule(anywhere(P.MANAGE_ORGLIFE))
@login_required
def activity_new(request: ScopedRequest) -> HttpResponse:
    scope = scope_of(request)
    organizations = _publishers(scope)
    if not organizations:
        raise Http404
    form = ActivityForm(request.POST or None, organizations=organizations)
    return service_form_page(
        request,
        form,
        action=lambda data: services.activity_create(
            actor=request.user,
            scope=scope,
            organization=data["organization"],
            data=data,
            idempotency_key=data.get("idempotency_key") or None,
        ),
        success=_("活动草稿已保存，核对无误后请发布。"),
        next_url=_url,
        context={"title": _("发布志愿服务活动")},
    )


def _initial(item: Activity) -> dict[str, Any]:
    def local(moment: datetime) -> str:
        return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")

    return {
        "title": item.title,
        "place": item.place,
        "starts_at": local(item.starts_at),
        "ends_at": local(item.ends_at),
        "places": item.places,
        "hours": item.hours,
        "audience": item.audience,
        "description": item.description,
    }


@access_rule(MANAGE)
@login_required
def activity_edit(request: ScopedRequest, activity_id: int) -> HttpResponse:
    scope = scope_of(request)
    item = selectors.get_managed(scope, activity_id)
    form = ActivityForm(request.POST or None, initial=_initial(item))
    return service_form_page(
        request,
        form,
        action=lambda data: services.activity_update(
            actor=request.user, scope=scope, activity=item, data=data, expected_status=posted_state(request)
        ),
        success=_("已保存。"),
        next_url=_url(item),
        context={"title": _("修改活动：%(t)s") % {"t": item.title}},
        state=item.status,
    )


@access_rule(MANAGE)
@login_required
def publish(request: ScopedRequest, activity_id: int) -> HttpResponse:
    scope = scope_of(request)
    item = selectors.get_managed(scope, activity_id)
    if request.method != "POST":
        return redirect(_url(item))
    return service_action(
        request,
        lambda expected: services.activity_publish(
            actor=request.user, scope=scope, activity=item, expected_status=expected
        ),
        _("已发布，面向的党员可以报名了。"),
        _url(item),
    )


@access_rule(MANAGE)
@login_required
def finish(request: ScopedRequest, activity_id: int) -> HttpResponse:
    scope = scope_of(request)
    item = selectors.get_managed(scope, activity_id)
    if request.method != "POST":
        return redirect(_url(item))
    return service_action(
        request,
        lambda expected: services.activity_finish(
            actor=request.user, scope=scope, activity=item, expected_status=expected
        ),
        _("活动已结束，志愿时长已确认。"),
        _url(item),
    )


@access_rule(MANAGE)
@login_required
def cancel(request: ScopedRequest, activity_id: int) -> HttpResponse:
    scope = scope_of(request)
    item = selectors.get_managed(scope, activity_id)
    form = ReasonForm(request.POST or None)
    return service_form_page(
        request,
        form,
        action=lambda data: services.activity_cancel(
            actor=request.user,
            scope=scope,
            activity=item,
            reason=data["reason"],
            expected_status=posted_state(request),
        ),
        success=_("活动已取消，已通知报名的同志。"),
        next_url=_url(item),
        context={"title": _("取消活动：%(t)s") % {"t": item.title}, "danger": True},
        state=item.status,
    )


EXPORT_HEADERS = (
    "姓名",
    "所在党组织",
    "报名时间",
    "状态",
    "签到时间",
    "签到方式",
    "认定时长(小时)",
    "补录或更正理由",
)


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@access_rule(MANAGE)
@login_required
def signups(request: ScopedRequest, activity_id: int) -> HttpResponseBase:
    """报名名单 (paginated); ``?format=xlsx`` exports it (audited)."""
    scope = scope_of(request)
    item = selectors.get_managed(scope, activity_id)
    rows = selectors.signups_of(item)
    if request.GET.get("format") == "xlsx":
        if not scope.covers(P.EXPORT, item.organization.path) and not scope.is_system:
            raise Http404
        return export_response(
            request,
            action="volunteer.signups_export",
            filename=f"志愿服务报名-{item.pk}.xlsx",
            headers=[_(h) for h in EXPORT_HEADERS],
            rows=(
                (
                    s.person.name,
                    _org_name(s),
                    _local(s.signed_at),
                    _("已取消") if s.cancelled_at else _("有效"),
                    _local(s.checked_in_at),
                    s.get_checkin_method_display(),
                    s.hours_granted if s.hours_granted is not None else "",
                    s.hours_note,
                )
                for s in rows.iterator(chunk_size=2000)
            ),
            org=item.organization,
            target=item,
        )
    page = CappedPaginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "volunteer/signups.html",
        {
            "title": _("报名名单：%(t)s") % {"t": item.title},
            "activity": item,
            "page": page,
            "ended": timezone.now() >= item.ends_at,
            "may_add": _may_add(item, timezone.now()),
            "may_export": scope.is_system or scope.covers(P.EXPORT, item.organization.path),
        },
    )


def _org_name(signup_row: Any) -> str:
    membership = getattr(signup_row.person, "membership", None)
    return membership.organization.name if membership is not None else ""


@access_rule(MANAGE)
@login_required
def correct(request: ScopedRequest, signup_id: int) -> HttpResponse:
    """补录 / 更正 a sign-up's hours after the end, with a reason (audited)."""
    scope = scope_of(request)
    row = selectors.get_signup_managed(scope, signup_id)
    form = CorrectForm(request.POST or None, initial={"hours": row.hours_granted or row.activity.hours})
    return service_form_page(
        request,
        form,
        action=lambda data: services.signup_correct(
            actor=request.user,
            scope=scope,
            signup=row,
            hours=data["hours"],
            reason=data["reason"],
            expected_hours=posted_state(request),
        ),
        success=_("时长已登记。"),
        next_url=reverse("volunteer:signups", args=[row.activity_id]),
        context={
            "title": _("补录或更正时长：%(name)s · %(t)s")
            % {"name": row.person.name, "t": row.activity.title},
            "help": _("活动时长 %(h)s 小时；填 0 表示不认定时长。")
            % {"h": rules.length_hours(row.activity.starts_at, row.activity.ends_at)},
        },
        state=services.hours_state(row),
    )


def _may_add(item: Activity, now: datetime) -> bool:
    """Whether the page offers 补录 of someone who did not sign up: a running or finished activity."""
    return item.status in (ActivityStatus.PUBLISHED, ActivityStatus.FINISHED) and now >= item.starts_at


@access_rule(MANAGE)
@login_required
def signup_add(request: ScopedRequest, activity_id: int) -> HttpResponse:
    """补录 someone who took part without signing up: find them (登录名, 学号/工号 or name, among the
    activity's audience within one's scope), then their hours and a reason (audited). A person id out of
    that range answers 404."""
    scope = scope_of(request)
    item = selectors.get_managed(scope, activity_id)
    query = request.GET.get("q", "").strip()
    chosen_id = request.POST.get("person") or request.GET.get("person")
    chosen = selectors.get_addable(scope, item, chosen_id) if chosen_id else None
    length = rules.length_hours(item.starts_at, item.ends_at)
    context: dict[str, Any] = {
        "title": _("补录未报名的参加者：%(t)s") % {"t": item.title},
        "activity": item,
        "q": query,
        "chosen": chosen,
        "may_add": _may_add(item, timezone.now()),
        "help": _("活动时长 %(h)s 小时；补录的时长须大于 0，且不超过活动时长。") % {"h": length},
    }
    if chosen is None:
        context["results"] = selectors.search_addable(scope, item, query) if query else []
        return render(request, "volunteer/add.html", context)
    person_id, name = chosen.pk, chosen.name
    form = AddForm(request.POST or None, initial={"person": person_id, "hours": item.hours})
    return service_form_page(
        request,
        form,
        action=lambda data: services.signup_add(
            actor=request.user,
            scope=scope,
            activity=item,
            person_id=person_id,
            hours=data["hours"],
            reason=data["reason"],
        ),
        success=lambda added: _("已为 %(name)s 补录 %(h)s 小时。") % {"name": name, "h": added.hours_granted},
        next_url=reverse("volunteer:signups", args=[item.pk]),
        context=context,
        template="volunteer/add.html",
    )


# ---------------------------------------------------------------- the QR screen


def _qr(url: str) -> str:
    # No fixed size (a viewBox instead): the wrapper decides, so a phone never scrolls sideways.
    return segno.make(url, error="m").svg_inline(scale=6, border=2, omitsize=True)


def _phase(item: Activity, now: datetime) -> str:
    window = checkin.window(item)
    if item.status != ActivityStatus.PUBLISHED or now > window.closes:
        return "after"
    return "open" if now >= window.opens else "before"


def _code(request: ScopedRequest, item: Activity) -> dict[str, Any]:
    url = request.build_absolute_uri(reverse("volunteer:scan", args=[checkin.make_token(item)]))
    return {
        "qr_svg": _qr(url),
        "scan_url": url,
        "refresh": checkin.seconds_to_next_code(),
        "present": item.present,  # type: ignore[attr-defined]
        "taken": item.taken,  # type: ignore[attr-defined]
    }


@access_rule(MANAGE)
@login_required
def screen(request: ScopedRequest, activity_id: int) -> HttpResponse:
    """签到二维码: the rotating code inside the check-in window; before it, when it opens."""
    item = selectors.get_managed(scope_of(request), activity_id)
    now = timezone.now()
    phase = _phase(item, now)
    context: dict[str, Any] = {
        "activity": item,
        "window": checkin.window(item),
        "phase": phase,
        "title": _("签到"),
    }
    if phase == "open":
        context.update(_code(request, item))
    elif phase == "before":
        wait = int((checkin.window(item).opens - now).total_seconds()) + 1
        context["refresh"] = max(1, min(30, wait))
    return render(request, "volunteer/screen.html", context)


@access_rule(MANAGE)
@login_required
def print_sheet(request: ScopedRequest, activity_id: int) -> HttpResponse:
    """The A4 sheet for the place of the activity: a big printed code with the title, time and place
    (a page styled for printing; the browser prints it or saves it as PDF)."""
    item = selectors.get_managed(scope_of(request), activity_id)
    url = request.build_absolute_uri(reverse("volunteer:scan", args=[checkin.make_print_token(item)]))
    return render(
        request,
        "volunteer/print.html",
        {"activity": item, "window": checkin.window(item), "qr_svg": _qr(url), "scan_url": url},
    )


@access_rule(MANAGE)
@login_required
def screen_code(request: ScopedRequest, activity_id: int) -> HttpResponse:
    """The htmx fragment that replaces the code (and the count) every rotation."""
    item = selectors.get_managed(scope_of(request), activity_id)
    now = timezone.now()
    phase = _phase(item, now)
    context: dict[str, Any] = {"activity": item, "phase": phase, "window": checkin.window(item)}
    if phase == "open":
        context.update(_code(request, item))
    elif phase == "before":
        wait = int((checkin.window(item).opens - now).total_seconds()) + 1
        context["refresh"] = max(1, min(30, wait))
    return render(request, "volunteer/screen_code.html", {**context, "closed": phase == "after"})
