"""数据报送 on a 360 px phone, in Chromium: the secretary finds the table in the list, fills it stacked
(one field under another), submits it, and the college organizer reads the status page. Every page
visited fits the phone."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dangjian.accounts.scope import Scope
from dangjian.returns import services
from dangjian.returns.models import Assignment, AssignmentStatus, FieldType
from tests.web.browsing import PHONE, assert_fits_a_phone, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SYSTEM = Scope.system()


def test_the_secretary_fills_a_table_on_a_phone(
    world, branch_secretary, college_organizer, live_server, browser
) -> None:
    ret = services.return_create(
        actor=None,
        scope=SYSTEM,
        designer=world.cs,
        title="党员教育情况",
        deadline=timezone.localdate() + timedelta(days=3),
    )
    services.field_add(
        actor=None, scope=SYSTEM, ret=ret, label="党员人数", type=FieldType.NUMBER, required=True
    )
    services.field_add(
        actor=None,
        scope=SYSTEM,
        ret=ret,
        label="参训人数",
        type=FieldType.NUMBER,
        required=True,
        max_value=Decimal(100),
    )
    services.field_add(
        actor=None, scope=SYSTEM, ret=ret, label="形式", type=FieldType.CHOICE, choices=["党课", "轮训"]
    )
    services.return_open(
        actor=None,
        scope=SYSTEM,
        ret=ret,
        organizations=[world.cs_branch, world.cs_branch2],
        expected_status="draft",
    )
    assignment = Assignment.objects.get(ret=ret, organization=world.cs_branch)
    base = live_server.url
    page = browser.new_page(viewport=PHONE)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, base, "branch_secretary")
    page.goto(base + "/returns/")
    assert_fits_a_phone(page, "the returns list")
    page.click("text=党员教育情况")
    page.wait_for_url(f"**/returns/assignments/{assignment.pk}/")
    assert_fits_a_phone(page, "the fill form")
    row = assignment.rows.get()
    page.fill(f"#r{row.pk}_f1", "12")
    page.fill(f"#r{row.pk}_f2", "120")
    # The fixed tab bar lies over the end of a short page in Playwright's scroll position: a tap on the
    # button by the element itself (the confirmation still asks, app.js).
    page.locator("button[name=submit][value='1']").evaluate("b => b.click()")
    page.wait_for_selector("text=不能大于 100")
    assert_fits_a_phone(page, "the fill form with errors")
    page.fill(f"#r{row.pk}_f2", "10")
    # The fixed tab bar lies over the end of a short page in Playwright's scroll position: a tap on the
    # button by the element itself (the confirmation still asks, app.js).
    page.locator("button[name=submit][value='1']").evaluate("b => b.click()")
    page.wait_for_selector("text=已提交")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED

    organizer = browser.new_page(viewport=PHONE)
    login(organizer, base, "college_organizer")
    organizer.goto(base + f"/returns/{ret.pk}/")
    organizer.wait_for_selector("text=计算机学院本科生党支部")
    assert_fits_a_phone(organizer, "the status page")
