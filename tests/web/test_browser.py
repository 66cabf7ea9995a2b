"""Browser smoke test: headless Chromium (Debian package) drives the real pages at PC and phone width.

Skipped where Chromium is not installed; never downloads a browser.

Database fixtures come before ``browser`` in each signature: Playwright's sync API runs an event loop in this
thread, and ORM calls made while it runs get their own connection, which would outlive the test database.
"""

from __future__ import annotations

import pytest

from tests.web.browsing import login as _login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base: str, username: str) -> None:
    _login_as(page, base, username)
    page.wait_for_url(base + "/")


def test_organizer_browses_tree_and_finds_person_by_initials(world, college_organizer, live_server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _login(page, live_server.url, "college_organizer")
    page.goto(live_server.url + "/orgs/")
    assert page.locator("text=计算机学院党委").count() == 1
    assert page.locator(f"#org-{world.cs_branch.pk}").count() == 1  # the scope root opens by default
    page.click(f"#org-{world.cs_branch.pk} button")  # deeper levels expand lazily with htmx
    page.wait_for_selector(f"#org-{world.cs_group.pk}")
    assert page.locator("text=外国语学院").count() == 0
    page.goto(live_server.url + "/people/")
    page.fill(".page-body input[name=q]", "lxh")
    page.wait_for_function("() => document.querySelectorAll('#results tbody tr').length === 1")
    assert "李晓红" in page.inner_text("#results")


def test_phone_width_has_no_horizontal_scroll(world, member_user, live_server, browser):
    page = browser.new_page(viewport={"width": 360, "height": 800})
    _login(page, live_server.url, "member")
    for path in ("/", "/accounts/me/", f"/people/{world.member.pk}/"):
        page.goto(live_server.url + path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, (path, width)


def test_a_member_checks_in_by_opening_the_code_on_a_phone(world, member_user, live_server, browser):
    from datetime import timedelta

    from django.utils import timezone

    from dangjian.accounts.scope import Scope
    from dangjian.orglife.meetings import checkin, services
    from dangjian.orglife.models import Attendee

    soon = timezone.localtime() + timedelta(minutes=10)
    meeting = services.meeting_create(
        actor=None,
        scope=Scope.system(),
        org=world.cs_branch,
        kind="theme_day",
        topic="主题党日",
        day=soon.date(),
        start_time=soon.time().replace(second=0, microsecond=0),
    )
    page = browser.new_page(viewport={"width": 360, "height": 800})
    _login(page, live_server.url, "member")
    page.goto(live_server.url + f"/orglife/c/{checkin.make_token(meeting)}/")
    page.wait_for_selector("text=签到成功")  # the page submits itself: one scan, no tap
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    assert Attendee.objects.get(meeting=meeting, person=world.member).attendance == "present"
    page.goto(live_server.url + "/orglife/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360


def test_the_compliance_matrix_scrolls_inside_its_card_on_a_phone(
    world, college_organizer, live_server, browser
):
    page = browser.new_page(viewport={"width": 360, "height": 800})
    _login(page, live_server.url, "college_organizer")
    for path in (
        "/orglife/stats/",
        "/orglife/stats/attendance/",
        "/orglife/",
        "/learning/",
        "/recruitment/alerts/",
    ):
        page.goto(live_server.url + path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, (path, width)


def test_the_person_history_comes_in_when_scrolled_to(world, member_user, live_server, browser):
    """The 变更历史 card is fetched when it comes into view (issue 20), at a desk and on a phone."""
    from tests.web.browsing import assert_fits_a_phone

    for width in (1280, 360):
        page = browser.new_page(viewport={"width": width, "height": 800})
        _login(page, live_server.url, "member")
        page.goto(live_server.url + f"/people/{world.member.pk}/")
        # Scroll the page, not the link: htmx may swap the link out as soon as it is in view.
        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_selector(".timeline-item")
        assert page.locator(".timeline-item", has_text="人员信息").count() >= 1
        if width == 360:
            assert_fits_a_phone(page, "person page")
        page.close()
