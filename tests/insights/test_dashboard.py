"""领导驾驶舱 (issue 16): the children compared on the stored values of the period (charts and tables with
the same numbers, ranked), open warnings grouped by child, the org's last 12 months with gaps shown as
"—", the summary; every number drilling down; outsiders 404; queries that do not grow with the children."""

from __future__ import annotations

import json
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dangjian.core.models import Organization, OrgKind
from dangjian.insights.models import Alert, AlertStatus, IndexScore, IndexVersion, IndicatorValue
from tests import factories as f

pytestmark = pytest.mark.django_db
NOW = "2026-11-29 12:00+08:00"
YEAR = date(2026, 1, 1)
URL = reverse("insights:dashboard")


def _value(org: Organization, code: str, value: float | None, num=None, den=None, *, kind="year", start=YEAR):
    IndicatorValue.objects.create(
        organization=org,
        period_kind=kind,
        period_start=start,
        code=code,
        value=value,
        numerator=num,
        denominator=den,
        computed_at=timezone.now(),
    )


def _alert(org: Organization, key: str, status: str = AlertStatus.OPEN) -> None:
    Alert.objects.create(
        source="test.fake",
        key=key,
        organization=org,
        rule="依据",
        summary=key,
        status=status,
        raised_on=date(2026, 11, 1),
        last_seen_on=date(2026, 11, 1),
    )


def _chart(html: str, key: str) -> dict:
    marker = f'id="dash-{key}-data"'
    start = html.index(">", html.index(marker)) + 1
    return json.loads(html[start : html.index("</script>", start)])


def _page(client, query: str = "") -> str:
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def stored(world) -> None:
    """The year's values of the two colleges, as the nightly computation would have stored them."""
    _value(world.cs, "orglife.meetings_held", 0.9, 9, 10)
    _value(world.fl, "orglife.meetings_held", 0.5, 1, 2)
    _value(world.cs, "dues.paid_on_time", 0.8, 8, 10)
    _value(world.fl, "dues.paid_on_time", 1.0, 3, 3)
    _value(world.fl, "orglife.attendance_rate", None, 0, 0)  # measured, nothing to measure
    for org, counts in ((world.cs, (5, 3, 2, 1)), (world.fl, (1, 0, 0, 0))):
        for code, n in zip(("applicants", "activists", "candidates", "probationary"), counts, strict=True):
            _value(org, f"recruitment.{code}", float(n))
    _value(world.school, "orglife.meetings_held", 0.83, 10, 12)  # the school's own: not a child


@time_machine.travel(NOW, tick=False)
def test_the_school_ranks_its_colleges_on_the_stored_values(world, stored, school_admin, login) -> None:
    html = _page(login(school_admin))
    held = _chart(html, "orglife-meetings_held")
    assert held["names"] == ["计算机学院党委", "外国语学院党委"]  # the best first
    assert held["values"] == [90.0, 50.0] and held["unit"] == "%"
    assert held["urls"][0] == f"{URL}?org={world.cs.pk}&period=2026"
    dues = _chart(html, "dues-paid_on_time")
    assert dues["names"] == ["外国语学院党委", "计算机学院党委"] and dues["values"] == [100.0, 80.0]
    assert "90.0%" in html and "9 / 10" in html and "3 / 3" in html
    # a value of None is no bar: the tile says so instead of drawing an empty chart
    assert (
        'id="dash-orglife-attendance_rate-data"' not in html and "本期尚未计算指标，暂无可画的数据。" in html
    )


@time_machine.travel(NOW, tick=False)
def test_the_funnel_shows_each_stage_ranked_by_the_total(world, stored, school_admin, login) -> None:
    funnel = _chart(_page(login(school_admin)), "funnel")
    assert funnel["names"] == ["计算机学院党委", "外国语学院党委"]
    assert [s["values"] for s in funnel["series"]] == [[5, 1], [3, 0], [2, 0], [1, 0]]
    assert [s["name"] for s in funnel["series"]] == ["入党申请人", "入党积极分子", "发展对象", "预备党员"]


@time_machine.travel(NOW, tick=False)
def test_open_warnings_are_counted_under_each_child_in_one_query(
    world, stored, school_admin, login, django_assert_max_num_queries
) -> None:
    _alert(world.cs_branch, "a")
    _alert(world.cs_group, "b", AlertStatus.HANDLING)  # two levels below the college
    _alert(world.cs, "c")
    _alert(world.fl_branch, "d")
    _alert(world.fl_branch, "e", AlertStatus.CLOSED)  # closed: not counted
    _alert(world.school, "f")  # the school's own: in the card, under no college
    html = _page(login(school_admin))
    warnings = _chart(html, "warnings")
    assert warnings["names"] == ["外国语学院党委", "计算机学院党委"]  # fewest first
    assert warnings["values"] == [1, 3]
    assert f'href="{reverse("insights:warnings")}?college={world.cs.pk}">3</a>' in html
    from dangjian.insights.dashboard.selectors import children, open_warnings

    kids = children(world.school)
    with django_assert_max_num_queries(1):
        by_child, own = open_warnings(world.school, kids)
    assert (by_child, own) == ({world.cs.pk: 3, world.fl.pk: 1}, 1)


@time_machine.travel(NOW, tick=False)
def test_a_college_compares_its_branches_and_a_branch_opens_its_indices(
    world, college_organizer, login
) -> None:
    _value(world.cs_branch, "dues.paid_on_time", 0.5, 1, 2)
    html = _page(login(college_organizer))  # the viewer's top organization by default
    assert "中共示范大学计算机学院委员会" in html
    dues = _chart(html, "dues-paid_on_time")
    assert dues["names"] == ["计算机学院教工第一党支部"]
    assert dues["urls"] == [reverse("insights:org", args=[world.cs_branch.pk]) + "?period=2026"]
    assert f'href="{reverse("dues:org", args=[world.cs_branch.pk])}">50.0%</a>' in html  # the data behind it
    assert 'id="dash-funnel-data"' not in html  # nothing stored for the branches' funnel


@time_machine.travel(NOW, tick=False)
def test_the_trend_is_the_last_12_months_with_gaps_for_months_not_computed(
    world, school_admin, login
) -> None:
    _value(world.school, "orglife.meetings_held", 0.75, 3, 4, kind="month", start=date(2026, 3, 1))
    _value(world.school, "orglife.meetings_held", 0.5, 1, 2, kind="month", start=date(2026, 11, 1))
    _value(world.school, "recruitment.applicants", 7.0, kind="month", start=date(2025, 12, 1))
    _value(world.school, "orglife.meetings_held", 0.1, 1, 10, kind="month", start=date(2025, 11, 1))  # 13th
    html = _page(login(school_admin))
    rates = _chart(html, "trend-rates")
    assert rates["names"][0] == "2025年12月" and rates["names"][-1] == "2026年11月"
    held = rates["series"][0]["values"]
    assert held == [None, None, None, 75.0, None, None, None, None, None, None, None, 50.0]
    funnel = _chart(html, "trend-funnel")
    assert funnel["series"][0]["values"][0] == 7
    table = html[html.index('id="dash-trend-rates"') :]
    assert ">2026年4月</td>" in table and "—" in table  # a month without a row: "—", not 0


@time_machine.travel(NOW, tick=False)
def test_the_cards_show_members_branches_warnings_and_the_indices(world, school_admin, login) -> None:
    version = IndexVersion.objects.create(index="basic", effective_from=date(2025, 1, 1), components=[])
    IndexScore.objects.create(
        organization=world.school,
        period_kind="year",
        period_start=YEAR,
        index="basic",
        score=82.5,
        level="good",
        version=version,
        computed_at=timezone.now(),
    )
    _alert(world.cs_branch, "a")
    html = _page(login(school_admin))
    assert "82.5" in html and "良好" in html
    cards = html[html.index("row-cards") :]
    assert '<div class="h1 mb-0">6</div>' in cards  # six members of the world's branches
    assert '<div class="h1 mb-0">3</div>' in cards  # three branches


@time_machine.travel(NOW, tick=False)
def test_a_period_without_values_says_so_instead_of_drawing_empty_charts(world, school_admin, login) -> None:
    html = _page(login(school_admin), "?period=2025Q2")
    assert "本期尚未计算指标" in html
    assert "data-dashboard-chart" not in html


@time_machine.travel(NOW, tick=False)
def test_outsiders_and_members_get_404(
    world, stored, outsider_organizer, college_organizer, member_user, login
) -> None:
    assert login(outsider_organizer).get(URL + f"?org={world.cs.pk}").status_code == 404
    assert login(college_organizer).get(URL + f"?org={world.school.pk}").status_code == 404
    assert login(college_organizer).get(URL + f"?org={world.fl.pk}").status_code == 404
    assert login(member_user).get(URL).status_code == 404
    assert login(outsider_organizer).get(URL).status_code == 200  # their own college


@time_machine.travel(NOW, tick=False)
def test_a_branch_secretary_sees_the_branch_without_comparisons(world, branch_secretary, login) -> None:
    _value(world.cs_branch, "orglife.meetings_held", 0.5, 1, 2, kind="month", start=date(2026, 10, 1))
    html = _page(login(branch_secretary))
    assert "计算机学院教工第一党支部" in html
    assert "党支部没有下级组织可比较" in html and "本期尚未计算指标，2026年" not in html
    assert _chart(html, "trend-rates")["series"][0]["values"][-2] == 50.0
    assert 'id="dash-funnel-data"' not in html


@time_machine.travel(NOW, tick=False)
def test_the_period_is_this_year_unless_another_is_asked_for(world, stored, school_admin, login) -> None:
    client = login(school_admin)
    assert "2026年" in _page(client)
    quarter = _page(client, "?period=2026Q3")
    assert "2026年第3季度" in quarter and "本期尚未计算指标" in quarter
    bad = _page(client, "?period=nonsense")
    assert "统计周期无法识别，已显示本年度。" in bad and "90.0%" in bad
    college = _page(client, f"?org={world.cs.pk}")  # its months run to this one
    assert (
        ">2025年12月</td>" in college and ">2026年11月</td>" in college and ">2025年11月</td>" not in college
    )
    past = _page(client, "?period=2025")  # a past year: its own twelve months
    assert ">2025年1月</td>" in past and ">2025年12月</td>" in past and ">2026年1月</td>" not in past


@time_machine.travel(NOW, tick=False)
def test_the_menu_has_the_dashboard_for_who_reads_the_indices(
    world, school_admin, member_user, login
) -> None:
    assert URL in login(school_admin).get(reverse("insights:home")).content.decode()
    assert URL not in login(member_user).get(reverse("web:home")).content.decode()


def _colleges(world, n: int) -> None:
    for i in range(n):
        college = f.org(world.school, OrgKind.COMMITTEE, f"第{i}学院党委", code=f"X{i}")
        branch = f.org(college, OrgKind.BRANCH, f"第{i}学院党支部", code=f"X{i}-B")
        _alert(branch, f"x{i}")
        for code in ("orglife.meetings_held", "dues.paid_on_time", "recruitment.applicants"):
            _value(college, code, 0.5, 1, 2)
        _value(college, "orglife.meetings_held", 0.5, 1, 2, kind="month", start=date(2026, 11, 1))


@time_machine.travel(NOW, tick=False)
def test_the_page_costs_the_same_queries_for_2_and_6_children(
    world, stored, school_admin, login, django_assert_max_num_queries, django_assert_num_queries
) -> None:
    client = login(school_admin)
    client.get(URL)  # the scope and the session are cached per user
    with django_assert_max_num_queries(15) as two:
        _page(client)
    _colleges(world, 4)
    with django_assert_num_queries(len(two.captured_queries)):
        html = _page(client)
    assert len(_chart(html, "orglife-meetings_held")["names"]) == 6


@time_machine.travel(NOW, tick=False)
def test_the_funnel_indicators_flow_through_the_computation_into_the_dashboard(
    world, school_admin, login
) -> None:
    from dangjian import hooks
    from dangjian.accounts.scope import Scope
    from dangjian.insights.indices.services import indices_compute
    from dangjian.insights.periods import parse
    from dangjian.recruitment import services as recruitment

    f.ensure_the_25_steps()
    for branch, name in ((world.cs_branch, "甲"), (world.cs_branch2, "乙"), (world.fl_branch, "丙")):
        person = f.person(name, organization=branch, birth=date(2000, 1, 1))
        recruitment.case_open(
            actor=None, scope=Scope.system(), person=person, branch=branch, applied_on=date(2026, 3, 1)
        )
    funnel = [hooks.indicators.get(c) for c in ("recruitment.applicants", "recruitment.activists")]
    with hooks.indicators.only(*funnel):
        indices_compute(actor=None, scope=Scope.system(), period=parse("2026"), today=date(2026, 11, 29))
        html = _page(login(school_admin))
    chart = _chart(html, "funnel")
    assert chart["names"] == ["计算机学院党委", "外国语学院党委"]
    assert [s["values"] for s in chart["series"]] == [[2, 1], [0, 0]]  # the college: its branches' sum


@time_machine.travel(NOW, tick=False)
def test_many_children_show_the_two_ends_of_the_ranking(world, stored, school_admin, login) -> None:
    from dangjian.insights.dashboard.tiles import MAX_SHOWN

    _colleges(world, MAX_SHOWN + 5)
    for i, college in enumerate(Organization.objects.filter(code__startswith="X", kind=OrgKind.COMMITTEE)):
        IndicatorValue.objects.filter(
            organization=college, code="orglife.meetings_held", period_kind="year"
        ).update(value=i / 100)
    html = _page(login(school_admin))
    chart = _chart(html, "orglife-meetings_held")
    assert len(chart["names"]) == MAX_SHOWN  # the first 15 and the last 15, not 37 bars
    assert chart["values"][0] >= chart["values"][-1]
    assert "列出排名前 15 和后 15 的组织" in html
