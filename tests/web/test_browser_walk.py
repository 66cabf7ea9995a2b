"""A month of branch work on a 360 px phone, walked in Chromium as the people who do it.

The secretary makes next month's plan from last month's and submits it; the college organizer approves
it; the secretary puts the check-in code on the projector and a member checks in by the link; the
secretary writes the minutes of a meeting that has ended and archives it; a member declares their dues
and sees 待确认. Every page visited fits the phone: no sideways scroll, tap targets of at least 40 px.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dangjian.accounts.scope import Scope
from dangjian.core.models import Membership
from dangjian.dues import services as dues
from dangjian.dues.billing import bills_generate
from dangjian.kit.dates import add_months
from dangjian.orglife.meetings import checkin
from dangjian.orglife.meetings import services as orglife
from dangjian.orglife.models import Attendee, Meeting, Plan
from tests.web.browsing import PHONE, assert_fits_a_phone, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SYSTEM = Scope.system()


def _month_start(day: date) -> date:
    return day.replace(day=1)


@pytest.fixture
def last_month_plan(world) -> Plan:
    """This month's plan of the branch, with a 支委会 and a 主题党日: next month's is copied from it."""
    this_month = _month_start(timezone.localdate())
    plan = orglife.plan_create(
        actor=None, scope=SYSTEM, org=world.cs_branch, period_kind="month", day=this_month
    )
    for kind, day in (("committee", 5), ("theme_day", 20)):
        orglife.meeting_create(
            actor=None,
            scope=SYSTEM,
            org=world.cs_branch,
            kind=kind,
            topic=f"{this_month:%m}月{'支委会' if kind == 'committee' else '主题党日'}",
            day=this_month.replace(day=day),
            start_time=timezone.now().time().replace(hour=14, minute=30, second=0, microsecond=0),
            plan=plan,
        )
    return plan


def _phone(browser, base: str, username: str):
    page = browser.new_page(viewport=PHONE)
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of a plan that falls short
    login(page, base, username)
    return page


def test_the_secretary_copies_last_month_s_plan_and_the_organizer_approves_it(
    world, last_month_plan, branch_secretary, college_organizer, live_server, browser
) -> None:
    base = live_server.url
    secretary = _phone(browser, base, "branch_secretary")
    secretary.goto(base + "/orglife/plans/")
    assert_fits_a_phone(secretary, "plans")
    secretary.click("button:has-text('复制上月计划')")
    secretary.wait_for_url("**/orglife/plans/*/")
    assert_fits_a_phone(secretary, "the copied plan")
    next_month = add_months(_month_start(timezone.localdate()), 1)
    plan = Plan.objects.get(organization=world.cs_branch, period_start=next_month)
    assert plan.meetings.count() == 2  # the 支委会 and the 主题党日, moved to next month
    if secretary.locator("#submit-reason").count():
        secretary.fill("#submit-reason", "党课安排在下季度第一个月")
    secretary.click("#submit button")
    secretary.wait_for_selector("text=已提交")
    plan.refresh_from_db()
    assert plan.status == "submitted"

    organizer = _phone(browser, base, "college_organizer")
    organizer.goto(base + f"/orglife/plans/{plan.pk}/")
    assert_fits_a_phone(organizer, "the plan to review")
    if organizer.locator("#approve-reason").count():
        organizer.fill("#approve-reason", "同意，下季度补党课")
    organizer.click("button.btn-success")
    organizer.wait_for_load_state()
    plan.refresh_from_db()
    assert plan.status == "approved"
    assert_fits_a_phone(organizer, "the approved plan")


def test_a_member_checks_in_by_the_link_while_the_projector_shows_the_names(
    world, branch_secretary, member_user, live_server, browser
) -> None:
    base = live_server.url
    soon = timezone.localtime() + timedelta(minutes=10)
    meeting = orglife.meeting_create(
        actor=None,
        scope=SYSTEM,
        org=world.cs_branch,
        kind="assembly",
        topic="党员大会",
        day=soon.date(),
        start_time=soon.time().replace(second=0, microsecond=0),
    )
    secretary = _phone(browser, base, "branch_secretary")
    secretary.goto(base + f"/orglife/meetings/{meeting.pk}/")
    assert_fits_a_phone(secretary, "meeting page")
    projector = browser.new_page(viewport={"width": 1280, "height": 720})
    projector.context.add_cookies(secretary.context.cookies())
    projector.goto(base + f"/orglife/meetings/{meeting.pk}/check-in/projector/")
    assert projector.locator("svg").count() >= 1  # the code is on the wall

    member = _phone(browser, base, "member")
    member.goto(base + f"/orglife/c/{checkin.make_token(meeting)}/")
    member.wait_for_selector("text=签到成功")
    assert_fits_a_phone(member, "check-in")
    projector.wait_for_selector(f"text={world.member.name}", timeout=15_000)  # ticks in by polling
    assert Attendee.objects.get(meeting=meeting, person=world.member).attendance == "present"


def test_the_secretary_writes_the_minutes_after_the_meeting_and_archives_it(
    world, branch_secretary, live_server, browser
) -> None:
    base = live_server.url
    yesterday = timezone.localdate() - timedelta(days=1)
    meeting = orglife.meeting_create(
        actor=None,
        scope=SYSTEM,
        org=world.cs_branch,
        kind="committee",
        topic="支委会：研究发展党员工作",
        day=yesterday,
        start_time=timezone.now().time().replace(hour=9, minute=0, second=0, microsecond=0),
    )
    secretary = _phone(browser, base, "branch_secretary")
    secretary.goto(base + f"/orglife/meetings/{meeting.pk}/")
    secretary.click("text=记录纪要")
    secretary.wait_for_url("**/minutes/")
    assert_fits_a_phone(secretary, "minutes form")
    secretary.fill("textarea[name=content]", "讨论确定两名发展对象，安排下月党员大会。")
    secretary.locator(".page-body button[type=submit]").last.click()
    secretary.wait_for_url(f"**/orglife/meetings/{meeting.pk}/")
    secretary.click("a:has-text('归档')")
    secretary.wait_for_url("**/close/")
    assert_fits_a_phone(secretary, "archive")
    secretary.click("text=确认归档")
    secretary.wait_for_url(f"**/orglife/meetings/{meeting.pk}/")
    assert Meeting.objects.get(pk=meeting.pk).status == "closed"
    assert_fits_a_phone(secretary, "the archived meeting")


def test_a_member_declares_dues_and_sees_them_waiting_for_the_branch(
    world, member_user, live_server, browser
) -> None:
    this_month = _month_start(timezone.localdate())
    membership = Membership.objects.select_related("person").get(person=world.member)
    dues.assessment_set(
        actor=None,
        scope=SYSTEM,
        person=membership.person,
        from_month=add_months(this_month, -1),
        category="employee",
        base=Decimal("5100"),
    )
    for month in (add_months(this_month, -1), this_month):
        bills_generate(month)
    base = live_server.url
    member = _phone(browser, base, "member")
    member.goto(base + "/dues/me/")
    assert_fits_a_phone(member, "我的党费")
    member.click("text=我已交纳，申报")
    member.wait_for_url("**/dues/me/declare/")
    assert_fits_a_phone(member, "declare")
    member.locator(".page-body button[type=submit]").last.click()
    member.wait_for_url("**/dues/me/")
    assert member.locator("text=待确认").count() >= 1
    assert_fits_a_phone(member, "我的党费 after declaring")
