"""领导驾驶舱 in a browser (issue 16): the charts draw at a desk and the page fits a phone."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from dangjian.insights.models import IndicatorValue
from tests.web.browsing import DESKTOP, PHONE, assert_fits_a_phone, login

pytestmark = pytest.mark.django_db(transaction=True)


def _stored(world) -> None:
    year = date(timezone.localdate().year, 1, 1)
    rows = []
    for org, held, dues in ((world.cs, 0.9, 0.8), (world.fl, 0.5, 1.0)):
        for code, value in (("orglife.meetings_held", held), ("dues.paid_on_time", dues)):
            rows.append((org, "year", year, code, value))
        rows.append((org, "year", year, "recruitment.applicants", 3.0))
    month = timezone.localdate().replace(day=1)
    rows.append((world.school, "month", month, "orglife.meetings_held", 0.7))
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            organization=org,
            period_kind=kind,
            period_start=start,
            code=code,
            value=v,
            computed_at=timezone.now(),
        )
        for org, kind, start, code, v in rows
    )


def test_the_dashboard_draws_at_a_desk_and_fits_a_phone(world, school_admin, live_server, browser) -> None:
    _stored(world)
    for size in (DESKTOP, PHONE):
        page = browser.new_page(viewport=size)
        login(page, live_server.url, "school_admin")
        page.goto(live_server.url + "/insights/dashboard/")
        page.wait_for_selector("#dash-orglife-meetings_held canvas")
        assert page.locator("[data-dashboard-chart] canvas").count() >= 4  # two rates, funnel, trend
        if size is PHONE:
            assert_fits_a_phone(page, "领导驾驶舱")
        page.close()
