"""Holidays for the years ``chinesecalendar`` does not cover yet, entered by a 校级管理员."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.requests import ScopedRequest
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.selectors import scope_roots
from dangjian.kit import workdays as kit_workdays
from dangjian.kit.access_rules import access_rule, within
from dangjian.kit.form_pages import service_form_page
from dangjian.kit.transitions import posted_state
from dangjian.recruitment import access, services
from dangjian.recruitment.forms import HolidayYearForm, NewHolidayYearForm
from dangjian.recruitment.models import Holiday, HolidayYear


def _admin_scope(request: ScopedRequest) -> Scope:
    scope = request.scope
    if not access.may_enter_holidays(scope):
        raise Http404
    return scope


@access_rule(within(Permission.APPROVE_RECRUITMENT))
@login_required
def holidays(request: ScopedRequest) -> HttpResponse:
    _admin_scope(request)
    form = NewHolidayYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect("recruitment:holiday_year", year=form.cleaned_data["year"])
    this_year = timezone.localdate().year
    years = HolidayYear.objects.annotate(
        n_holidays=Count("days", filter=Q(days__is_workday=False)),
        n_workdays=Count("days", filter=Q(days__is_workday=True)),
    )
    return render(
        request,
        "recruitment/holidays.html",
        {
            "form": form,
            "years": years,
            "coverage": [(y, kit_workdays.package_covers(y)) for y in range(this_year - 1, this_year + 4)],
            "title": _("法定节假日"),
        },
    )


def _lines(rows: list[Holiday]) -> str:
    return "\n".join(f"{h.date.isoformat()} {h.name}".strip() for h in rows)


@access_rule(within(Permission.APPROVE_RECRUITMENT))
@login_required
def holiday_year(request: ScopedRequest, year: int) -> HttpResponse:
    scope = _admin_scope(request)
    if not 2000 <= year <= 2200:
        raise Http404
    days = list(Holiday.objects.filter(year__year=year))
    form = HolidayYearForm(
        request.POST or None,
        initial={
            "holidays": _lines([d for d in days if not d.is_workday]),
            "workdays": _lines([d for d in days if d.is_workday]),
            "expected_status": services.holiday_year_state(HolidayYear.objects.filter(year=year).first()),
        },
    )
    return service_form_page(
        request,
        form,
        action=lambda d: services.holiday_year_save(
            actor=request.user,
            scope=scope,
            year=year,
            holidays=d["holidays"],
            workdays=d["workdays"],
            org=scope_roots(scope, Permission.MANAGE_ORGS).first(),
            expected_status=posted_state(request),
        ),
        success=_("已保存 %(y)s 年节假日") % {"y": year},
        next_url=reverse("recruitment:holidays"),
        context={
            "title": _("%(y)s 年法定节假日") % {"y": year},
            "help": (
                _("chinesecalendar 已收录该年度，此处填写的日期不会使用。")
                if kit_workdays.package_covers(year)
                else _("请按国务院办公厅发布的放假安排填写；保存后该年度不再按周一至周五计算。")
            ),
        },
    )
