"""The centre's pages: the list within the scope with its counts and filters, its pinned query count,
the Excel (audited), one warning with 我来处理 and closing it; an outsider answers 404 everywhere."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian import hooks
from dangjian.audit.models import AuditEvent
from dangjian.core.models import OrgKind
from dangjian.hooks import WarningSource
from dangjian.insights.models import Alert, AlertStatus
from tests import factories as f
from tests.insights.warnings.conftest import TODAY, make_alert

pytestmark = pytest.mark.django_db
LIST = reverse("insights:warnings")


def _rows(response) -> str:
    return response.content.decode()


@pytest.fixture
def alerts(world, fake):
    return {
        "cs": make_alert(
            world.cs_branch, "cs", summary="计算机支部的情况", level="serious", person=world.member
        ),
        "cs2": make_alert(world.cs_branch2, "cs2", summary="本科生支部的情况", level="notice"),
        "college": make_alert(world.cs, "college", summary="学院党委的情况"),
        "fl": make_alert(world.fl_branch, "fl", summary="外国语支部的情况"),
        "closed": make_alert(
            world.cs_branch, "old", summary="已关闭的情况", status=AlertStatus.CLOSED, note="已办"
        ),
    }


def test_the_list_shows_the_scope_s_open_alerts(login, college_organizer, alerts) -> None:
    page = _rows(login(college_organizer).get(LIST))
    assert "计算机支部的情况" in page and "本科生支部的情况" in page and "学院党委的情况" in page
    assert "外国语支部的情况" not in page and "已关闭的情况" not in page
    assert "测试预警" in page  # the source's label, in the chips and the rows


def test_a_secretary_sees_only_the_branch(login, branch_secretary, alerts) -> None:
    page = _rows(login(branch_secretary).get(LIST))
    assert "计算机支部的情况" in page
    assert "本科生支部的情况" not in page and "学院党委的情况" not in page


def test_a_member_without_the_permission_gets_404(login, member_user, alerts) -> None:
    assert login(member_user).get(LIST).status_code == 404


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"level": "serious"}, ["计算机支部的情况"], ["本科生支部的情况"]),
        ({"status": "closed"}, ["已关闭的情况"], ["计算机支部的情况"]),
        ({"status": "all"}, ["已关闭的情况", "计算机支部的情况"], []),
        ({"q": "本科生"}, ["本科生支部的情况"], ["计算机支部的情况"]),
        ({"q": "李晓红"}, ["计算机支部的情况"], ["本科生支部的情况"]),
        ({"source": "test.fake"}, ["计算机支部的情况"], []),
    ],
)
def test_filters(login, school_admin, alerts, query, shown, hidden) -> None:
    page = _rows(login(school_admin).get(LIST, query))
    for text in shown:
        assert text in page
    for text in hidden:
        assert text not in page


def test_college_and_branch_filters(login, school_admin, world, alerts) -> None:
    client = login(school_admin)
    page = _rows(client.get(LIST, {"college": world.fl.pk}))
    assert "外国语支部的情况" in page and "计算机支部的情况" not in page
    page = _rows(client.get(LIST, {"college": world.cs.pk, "branch": world.cs_branch2.pk}))
    assert "本科生支部的情况" in page and "计算机支部的情况" not in page
    assert world.cs_branch.display_name in page  # the branch select under the chosen college


def test_an_organization_outside_the_scope_answers_404(login, college_organizer, world, alerts) -> None:
    client = login(college_organizer)
    assert client.get(LIST, {"branch": world.fl_branch.pk}).status_code == 404
    assert client.get(LIST, {"college": "x"}).status_code == 404


def test_a_cleared_alert_is_marked(login, college_organizer, world, fake) -> None:
    make_alert(world.cs_branch, "gone", cleared_on=TODAY)
    page = _rows(login(college_organizer).get(LIST))
    assert "已消除" in page


def test_the_list_costs_a_fixed_few_queries(
    login, school_admin, world, fake, django_assert_max_num_queries
) -> None:
    branches = [f.org(world.cs, OrgKind.BRANCH, f"计算机学院第{i}党支部") for i in range(10)]
    people = [f.person(f"人员{i}", organization=branches[i]) for i in range(10)]
    Alert.objects.bulk_create(
        [
            Alert(
                source="test.fake" if i % 3 else "test.other",
                key=f"k{i}",
                organization=branches[i % 10],
                person=people[i % 10] if i % 2 else None,
                level=("notice", "warning", "serious")[i % 3],
                rule="依据",
                summary=f"情况{i}",
                raised_on=TODAY - timedelta(days=i),
                last_seen_on=TODAY,
                status=AlertStatus.HANDLING if i % 5 == 0 else AlertStatus.OPEN,
            )
            for i in range(150)
        ]
    )
    counted = WarningSource("test.counted", "只计数的来源", count=lambda s: 4, url_name="insights:warnings")
    client = login(school_admin)
    with hooks.warnings.contributed(counted):
        for query in ({}, {"college": world.cs.pk, "level": "serious", "q": "情况"}):
            with django_assert_max_num_queries(15):
                response = client.get(LIST, query)
            assert response.status_code == 200
    page = _rows(response)
    assert "只计数的来源" in page  # the sources without findings: their count and their page
    assert "共 50 条" in page


def test_the_export_holds_the_filtered_rows_and_is_audited(login, college_organizer, alerts) -> None:
    response = login(college_organizer).get(reverse("insights:warnings_export"), {"level": "serious"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(values) == 2 and values[1][2] == "计算机支部的情况" and values[1][5] == "李晓红"
    event = AuditEvent.objects.get(action="insights.warnings_export")
    assert event.changes == {"filters": {"level": "serious"}, "rows": 1}


def test_the_export_is_404_for_a_member(login, member_user, alerts) -> None:
    assert login(member_user).get(reverse("insights:warnings_export")).status_code == 404


# ---------------------------------------------------------------- one warning


def test_the_alert_page_shows_what_and_who(login, branch_secretary, alerts) -> None:
    alert = alerts["cs"]
    Alert.objects.filter(pk=alert.pk).update(url="/people/1/", detail={"连续月数": 6})
    page = _rows(login(branch_secretary).get(reverse("insights:warning", args=[alert.pk])))
    assert "计算机支部的情况" in page and "计算机学院教工第一党支部" in page and "李晓红" in page
    assert 'href="/people/1/"' in page and "连续月数" in page and "我来处理" in page


@pytest.mark.parametrize("name", ["insights:warning", "insights:warning_take", "insights:warning_close"])
def test_an_outsider_gets_404_on_the_alert_and_its_steps(
    login, outsider_organizer, member_user, alerts, name
) -> None:
    url = reverse(name, args=[alerts["cs"].pk])
    for user in (outsider_organizer, member_user):
        client = login(user)
        response = (
            client.get(url)
            if name == "insights:warning"
            else client.post(url, {"expected_status": "open", "note": "x"})
        )
        assert response.status_code == 404
    alerts["cs"].refresh_from_db()
    assert alerts["cs"].status == AlertStatus.OPEN
    assert not AuditEvent.objects.filter(action__startswith="insights.alert_")


def test_take_from_the_page(login, branch_secretary, alerts) -> None:
    alert = alerts["cs"]
    response = login(branch_secretary).post(
        reverse("insights:warning_take", args=[alert.pk]), {"expected_status": "open"}
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.HANDLING and alert.handled_by == branch_secretary


def test_close_without_a_note_shows_the_error_and_writes_nothing(login, branch_secretary, alerts) -> None:
    alert = alerts["cs"]
    response = login(branch_secretary).post(
        reverse("insights:warning_close", args=[alert.pk]), {"expected_status": "open", "note": " "}
    )
    assert response.status_code == 200 and "请填写处理情况" in response.content.decode()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN and not AuditEvent.objects.filter(action="insights.alert_close")


def test_a_double_close_from_the_page_has_one_effect(login, branch_secretary, alerts) -> None:
    alert = alerts["cs"]
    client = login(branch_secretary)
    url = reverse("insights:warning_close", args=[alert.pk])
    assert client.post(url, {"expected_status": "open", "note": "已谈话"}).status_code == 302
    second = client.post(url, {"expected_status": "open", "note": "已谈话"})
    assert second.status_code == 409 and "已由他人处理" in second.content.decode()
    assert AuditEvent.objects.filter(action="insights.alert_close").count() == 1


def test_the_menu_shows_the_centre_to_those_who_handle_warnings(
    login, branch_secretary, member_user, world
) -> None:
    assert LIST in _rows(login(branch_secretary).get(reverse("web:home")))
    assert LIST not in _rows(login(member_user).get(reverse("web:home")))


def test_a_serious_warning_made_anywhere_lists_first(world, fake, login, school_admin) -> None:
    """The order comes from ``Alert.severity``, which the database keeps for every write."""
    make_alert(world.cs_branch, "n1", summary="提示的情况", level="notice")
    make_alert(world.cs_branch, "w1", summary="预警的情况", level="warning")
    Alert.objects.create(
        source="test.fake",
        key="s1",
        organization=world.fl_branch,
        level="serious",
        rule="规则",
        summary="严重的情况",
        raised_on=date(2020, 1, 1),
        last_seen_on=date(2020, 1, 1),
    )
    page = _rows(login(school_admin).get(LIST))
    assert page.index("严重的情况") < page.index("预警的情况") < page.index("提示的情况")
