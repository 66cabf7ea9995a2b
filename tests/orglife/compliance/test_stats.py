"""组织生活 statistics pages: the compliance matrix (colours, drill-down, branch facts), attendance per
branch and per member, 党课 and 双重组织生活, Excel exports; scope (outsiders 404) and query counts that do
not grow with the number of branches or meetings."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.audit.models import AuditEvent
from dangjian.core import services as core_services
from dangjian.core.models import Cadre, CadreRank, OrgKind, PositionTitle
from dangjian.orglife.compliance import stats
from dangjian.orglife.compliance.tally import tally_refresh
from dangjian.orglife.models import Attendance, Attendee, Meeting, MeetingStatus
from tests import factories as f

NOW = "2026-06-15 10:00 +0800"


def _meeting(org, day, kind="theme_day", marks=None, speaker=None, status=MeetingStatus.CLOSED):
    """A meeting with its attendance written directly (faster than the services), so it keeps the
    attendance tally as the services do."""
    meeting = Meeting.objects.create(
        organization=org, kind=kind, topic=f"{kind} {day}", date=day, status=status, speaker=speaker
    )
    Attendee.objects.bulk_create(
        Attendee(meeting=meeting, person=p, attendance=a, role=role)
        for p, (a, role) in (
            (p, v if isinstance(v, tuple) else (v, "member")) for p, v in (marks or {}).items()
        )
    )
    tally_refresh([(org.pk, day)])
    return meeting


@pytest.fixture
def big_branch(world):
    """A branch of the CS college with 7 full members: it has a committee, so 支委会 is required."""
    branch = f.org(
        world.cs, OrgKind.BRANCH, "计算机学院教工第二党支部", code="CS-T2", established_on=date(2020, 1, 1)
    )
    for i in range(7):
        f.member(branch, f"党员{i}")
    return branch


@time_machine.travel(NOW, tick=False)
def test_matrix_colours_and_drill_down(world, big_branch, college_organizer, login) -> None:
    # May 2026 for the big branch: a theme day but no 支委会 → red; June is running → yellow.
    _meeting(big_branch, date(2026, 5, 8), "theme_day")
    _meeting(big_branch, date(2026, 6, 8), "theme_day")
    rows = {
        r.branch.pk: r
        for r in stats.compliance_matrix(stats.matrix_branches(world.cs), 2026, date(2026, 6, 15))
    }
    may, june, july = rows[big_branch.pk].cells[4], rows[big_branch.pk].cells[5], rows[big_branch.pk].cells[6]
    assert (may.state, may.missing) == ("red", ("committee",))
    assert (june.state, june.due) == ("yellow", ("assembly", "committee", "lecture"))  # Q2 closes in June
    assert july.state == "grey"
    assert rows[big_branch.pk].facts.has_committee and not rows[big_branch.pk].facts.has_groups
    # The small branch has no committee but has a 党小组: 党小组会 and 主题党日 are required monthly.
    small = rows[world.cs_branch.pk]
    assert not small.facts.has_committee and small.facts.has_groups
    assert set(small.cells[4].missing) == {"group", "theme_day"}
    page = login(college_organizer).get(reverse("orglife:stats_matrix") + f"?org={world.cs.pk}&year=2026")
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("orglife:stats_cell") + f"?org={big_branch.pk}&month=2026-05" in html
    assert "未达标：支委会" in html
    assert "bg-red-lt" in html and "bg-yellow-lt" in html


@time_machine.travel(NOW, tick=False)
def test_cancelled_and_planned_meetings_do_not_count(world, big_branch) -> None:
    _meeting(big_branch, date(2026, 5, 8), "committee", status=MeetingStatus.CANCELLED)
    _meeting(big_branch, date(2026, 5, 9), "committee", status=MeetingStatus.PLANNED)
    _meeting(big_branch, date(2026, 5, 10), "theme_day", status=MeetingStatus.HELD)
    row = stats.compliance_matrix([big_branch], 2026, date(2026, 6, 15))[0]
    assert row.cells[4].missing == ("committee",)
    assert row.cells[4].held == 1


def _many_branches(world, n: int) -> None:
    for i in range(n):
        branch = f.org(world.cs, OrgKind.BRANCH, f"测试党支部{i}")
        f.org(branch, OrgKind.GROUP, f"测试党小组{i}")
        p = f.member(branch, f"甲{i}")
        for m in (1, 2, 3, 4, 5):
            _meeting(branch, date(2026, m, 3), "theme_day", {p: Attendance.PRESENT})
            _meeting(branch, date(2026, m, 4), "committee", {p: Attendance.ABSENT})


def _count(client, url: str) -> int:
    """Queries of a warm request: the first one warms the user's scope and bell (ADR 0004)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "url_name", ["orglife:stats_matrix", "orglife:stats_attendance", "orglife:stats_lectures"]
)
def test_query_counts_do_not_grow_with_branches_or_meetings(
    world, college_organizer, login, django_assert_max_num_queries, url_name
) -> None:
    client = login(college_organizer)
    url = reverse(url_name) + f"?org={world.cs.pk}&year=2026"
    _many_branches(world, 2)
    small = _count(client, url)
    _many_branches(world, 10)
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
    assert _count(client, url) == small
    cadres = url + "&tab=cadres"
    with django_assert_max_num_queries(15):
        client.get(cadres)


@time_machine.travel(NOW, tick=False)
def test_member_attendance_page_query_count_is_pinned(
    world, branch_secretary, login, django_assert_max_num_queries
) -> None:
    client = login(branch_secretary)
    url = reverse("orglife:stats_attendance") + f"?org={world.cs_branch.pk}&year=2026"
    before = _count(client, url)
    for i in range(12):
        f.member(world.cs_branch, f"新党员{i}")
    members = [m.person for m in world.cs_branch.memberships.select_related("person")]
    for m in range(1, 6):
        _meeting(world.cs_branch, date(2026, m, 5), marks={p: Attendance.PRESENT for p in members})
    with django_assert_max_num_queries(15):
        client.get(url)
    assert _count(client, url) == before


@time_machine.travel(NOW, tick=False)
def test_attendance_per_branch_and_per_member(world, college_organizer, branch_secretary, login) -> None:
    zhang = world.cs_branch.memberships.get(person__name="张伟").person
    for m in (1, 2, 3, 4):
        _meeting(
            world.cs_branch,
            date(2026, m, 5),
            "theme_day" if m % 2 else "assembly",
            {
                world.member: Attendance.PRESENT,
                world.secretary: Attendance.PRESENT if m > 1 else Attendance.LEAVE,
                zhang: Attendance.ABSENT,
            },
        )
    _meeting(world.cs_branch, date(2026, 5, 5), marks={world.member: Attendance.PRESENT}, status="planned")
    rates = stats.rates_by_member(
        world.cs_branch, [world.member.pk, world.secretary.pk, zhang.pk], date(2026, 1, 1), date(2026, 12, 31)
    )
    assert (rates[world.member.pk].total, rates[world.member.pk].present, rates[world.member.pk].rate) == (
        4,
        4,
        1,
    )
    assert (rates[world.secretary.pk].present, rates[world.secretary.pk].leave) == (3, 1)
    assert (rates[zhang.pk].absent, rates[zhang.pk].theme_total, rates[zhang.pk].theme_present) == (4, 2, 0)
    total = stats.rate_of(world.cs, date(2026, 1, 1), date(2026, 12, 31))
    assert (total.total, total.present, total.leave, total.absent) == (12, 7, 1, 4)
    html = (
        login(college_organizer)
        .get(reverse("orglife:stats_attendance") + f"?org={world.cs.pk}")
        .content.decode()
    )
    assert "计算机学院教工第一党支部" in html and "58%" in html  # 7/12
    html = login(branch_secretary).get(reverse("orglife:stats_attendance")).content.decode()
    assert "李晓红" in html and "100%" in html and "0/2" in html


@time_machine.travel(NOW, tick=False)
def test_lectures_by_secretaries_and_dual_life_of_cadres(world, college_organizer, login) -> None:
    _meeting(world.cs_branch, date(2026, 3, 1), "lecture", speaker=world.secretary)
    dean = f.member(world.cs_branch2, "周院长")
    Cadre.objects.create(
        person=dean, post="院长", rank=CadreRank.DIVISION, unit="计算机学院", dual_life_branch=world.cs_branch
    )
    _meeting(
        world.cs_branch, date(2026, 4, 1), "lecture", {dean: (Attendance.PRESENT, "dual_life")}, speaker=dean
    )
    _meeting(world.cs_branch, date(2026, 5, 1), "theme_day", {dean: (Attendance.ABSENT, "dual_life")})
    _meeting(
        world.cs_branch2, date(2026, 5, 2), "theme_day", {dean: Attendance.PRESENT}
    )  # own branch: not dual
    core_services.position_assign(
        actor=None,
        person=world.fl_member,
        organization=world.fl_branch,
        title=PositionTitle.SECRETARY,
        started_on=date(2024, 1, 1),
    )
    client = login(college_organizer)
    html = client.get(reverse("orglife:stats_lectures") + f"?org={world.cs.pk}&year=2026").content.decode()
    assert "王建国" in html and "已达要求" in html
    assert "赵敏" not in html  # another college's secretary
    html = client.get(
        reverse("orglife:stats_lectures") + f"?org={world.cs.pk}&year=2026&tab=cadres"
    ).content.decode()
    assert "周院长" in html and "1/2 (50%)" in html
    html = client.get(reverse("orglife:stats_lectures") + f"?org={world.cs.pk}&year=2025").content.decode()
    assert "每年至少 1 次" in html


@pytest.mark.parametrize(
    "name",
    [
        "stats_matrix",
        "stats_attendance",
        "stats_lectures",
        "stats_warnings",
        "stats_matrix_export",
        "stats_meetings_export",
        "stats_attendance_export",
    ],
)
def test_out_of_scope_orgs_and_members_get_404(world, outsider_organizer, member_user, login, name) -> None:
    url = reverse(f"orglife:{name}")
    assert login(outsider_organizer).get(url + f"?org={world.cs.pk}").status_code == 404
    assert login(outsider_organizer).get(url + f"?org={world.cs_branch.pk}").status_code == 404
    assert login(member_user).get(url).status_code == 404
    assert login(outsider_organizer).get(url + f"?org={world.fl.pk}").status_code == 200


@time_machine.travel(NOW, tick=False)
def test_excel_exports_are_scoped_and_audited(world, big_branch, college_organizer, login) -> None:
    _meeting(
        big_branch, date(2026, 5, 8), "theme_day", {big_branch.memberships.first().person: Attendance.PRESENT}
    )
    client = login(college_organizer)
    q = f"?org={world.cs.pk}&year=2026"
    sheet = load_workbook(
        io.BytesIO(b"".join(client.get(reverse("orglife:stats_matrix_export") + q).streaming_content))
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("党支部", "红色月数", "黄色月数", "2026-01")
    line = next(r for r in rows if r[0] == "计算机学院教工第二党支部")
    assert line[3 + 4].startswith("未达标：缺支委会")  # May
    assert line[3 + 6] == "未开始"  # July
    sheet = load_workbook(
        io.BytesIO(
            b"".join(
                client.get(
                    reverse("orglife:stats_meetings_export") + f"?org={world.cs.pk}&month=2026-05"
                ).streaming_content
            )
        )
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert (
        len(rows) == 2 and rows[1][1] == "计算机学院教工第二党支部" and rows[1][5:] == (1, 1, 0, 0, "100.0%")
    )
    sheet = load_workbook(
        io.BytesIO(b"".join(client.get(reverse("orglife:stats_attendance_export") + q).streaming_content))
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    # Above a branch the page lists the branches, and so does the file.
    assert [r[0] for r in rows[1:]] == [b.name for b in stats.matrix_branches(world.cs)]
    assert sum(r[2] for r in rows[1:]) == 1
    sheet = load_workbook(
        io.BytesIO(
            b"".join(
                client.get(
                    reverse("orglife:stats_attendance_export") + f"?org={big_branch.pk}&year=2026"
                ).streaming_content
            )
        )
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 7  # a branch: its members, as on the page
    assert sum(1 for r in rows[1:] if r[3] == 1) == 1
    assert AuditEvent.objects.filter(action__startswith="orglife.export.").count() == 4
