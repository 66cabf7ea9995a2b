"""Holidays a 校级管理员 enters for years chinesecalendar does not cover; 公示 uses them, and the case page
says when a year still fell back to Monday–Friday."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.kit import workdays as kit_workdays
from dangjian.kit.errors import RuleViolation
from dangjian.recruitment import rules, services, workdays
from dangjian.recruitment.models import Holiday, HolidayYear
from tests.recruitment.steps import shown_state

D = date
UNCOVERED = 2031  # chinesecalendar 1.11 knows up to 2026


def test_the_package_coverage_is_what_the_tests_assume() -> None:
    assert kit_workdays.package_covers(2026) and not kit_workdays.package_covers(UNCOVERED)


def test_an_admin_enters_a_year_and_the_fallback_ends(world, login, school_admin) -> None:
    client = login(school_admin)
    assert client.post(reverse("recruitment:holidays"), {"year": UNCOVERED}).url == reverse(
        "recruitment:holiday_year", args=[UNCOVERED]
    )
    start, end = D(UNCOVERED, 10, 6), D(UNCOVERED, 10, 12)  # Mon–Sun
    before = rules.publicity(start, end, workdays.stored_calendar(UNCOVERED, UNCOVERED))
    assert before.ok and "按周一至周五计算" in before.note
    url = reverse("recruitment:holiday_year", args=[UNCOVERED])
    response = client.post(
        url,
        {
            "holidays": f"{UNCOVERED}-10-01~{UNCOVERED}-10-07 国庆节",
            "workdays": f"{UNCOVERED}-10-11 调休",
            "expected_status": shown_state(client, url),
        },
    )
    assert response.status_code == 302
    assert Holiday.objects.filter(year__year=UNCOVERED, is_workday=False).count() == 7
    calendar = workdays.stored_calendar(UNCOVERED, UNCOVERED)
    after = rules.publicity(start, end, calendar)
    # 6 and 7 October are holidays; Saturday 11 is a make-up day: 8, 9, 10, 11 → 4 working days.
    assert not after.ok and after.note == ""
    assert kit_workdays.working_days_between(start, end, calendar) == (4, False)
    event = AuditEvent.objects.get(action="recruitment.holiday_year")
    assert f"{UNCOVERED}-10-11+" in event.changes["after"]
    page = client.get(reverse("recruitment:holiday_year", args=[UNCOVERED])).content.decode()
    assert f"{UNCOVERED}-10-03 国庆节" in page
    assert str(UNCOVERED) in client.get(reverse("recruitment:holidays")).content.decode()


def test_saving_replaces_the_year(world, school_admin) -> None:
    services.holiday_year_save(
        actor=school_admin,
        scope=Scope.system(),
        year=UNCOVERED,
        holidays=[(D(UNCOVERED, 1, 1), "元旦")],
        workdays=[],
    )
    services.holiday_year_save(
        actor=school_admin,
        scope=Scope.system(),
        year=UNCOVERED,
        holidays=[(D(UNCOVERED, 1, 2), "")],
        workdays=[],
    )
    assert list(Holiday.objects.values_list("date", flat=True)) == [D(UNCOVERED, 1, 2)]
    with pytest.raises(RuleViolation, match="不在"):
        services.holiday_year_save(
            actor=None, scope=Scope.system(), year=UNCOVERED, holidays=[(D(2030, 1, 1), "")], workdays=[]
        )
    with pytest.raises(RuleViolation, match="重复"):
        services.holiday_year_save(
            actor=None,
            scope=Scope.system(),
            year=UNCOVERED,
            holidays=[(D(UNCOVERED, 1, 1), "")],
            workdays=[(D(UNCOVERED, 1, 1), "")],
        )


def test_an_empty_entered_year_counts_as_entered(world) -> None:
    services.holiday_year_save(actor=None, scope=Scope.system(), year=UNCOVERED, holidays=[], workdays=[])
    assert HolidayYear.objects.filter(year=UNCOVERED).exists()
    assert UNCOVERED in workdays.stored_calendar(UNCOVERED, UNCOVERED).years


def test_a_covered_year_needs_no_query(db, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        assert workdays.stored_calendar(2025, 2026) == kit_workdays.WorkdayCalendar()


def test_a_bad_line_is_a_field_error(world, login, school_admin) -> None:
    page = login(school_admin).post(
        reverse("recruitment:holiday_year", args=[UNCOVERED]), {"holidays": "十月一日", "workdays": ""}
    )
    assert page.status_code == 200 and "不是日期" in page.content.decode()
    assert not HolidayYear.objects.exists()


def test_only_the_school_admin_edits_holidays(world, login, college_organizer, member_user) -> None:
    for user in (college_organizer, member_user):
        client = login(user)
        assert client.get(reverse("recruitment:holidays")).status_code == 404
        assert (
            client.post(
                reverse("recruitment:holiday_year", args=[UNCOVERED]), {"holidays": f"{UNCOVERED}-01-01"}
            ).status_code
            == 404
        )
    assert not HolidayYear.objects.exists()


def test_the_case_page_says_when_publicity_fell_back(world, login, college_organizer) -> None:
    """A 公示 recorded in a year nobody entered keeps the note, shown on the case page."""
    from dangjian.recruitment.models import Case, StepDefinition, StepRecord
    from tests import factories as f

    p = f.person("远期", organization=world.cs_branch2, birth=D(2000, 1, 1))
    case = Case.objects.create(person=p, branch=world.cs_branch2, applied_on=D(2029, 1, 1), stage="candidate")
    for step in StepDefinition.objects.filter(number__lte=7):
        StepRecord.objects.create(case=case, step=step, done_on=D(2030, 6, 1))
    record = services.step_record(
        actor=None,
        scope=Scope.system(),
        case=case,
        code="candidate_filed",
        done_on=D(UNCOVERED, 6, 20),
        data={"publicity_start": f"{UNCOVERED}-06-02", "publicity_end": f"{UNCOVERED}-06-06"},
        today=D(UNCOVERED, 6, 30),
    )
    assert record.notes and "按周一至周五计算" in record.notes[0]
    page = login(college_organizer).get(reverse("recruitment:case", args=[case.pk])).content.decode()
    assert "按周一至周五计算" in page


def test_only_the_school_admin_may_save_a_year(world, school_admin, college_organizer) -> None:
    from dangjian.accounts.scope import resolve_scope

    with pytest.raises(RuleViolation) as exc:
        services.holiday_year_save(
            actor=college_organizer,
            scope=resolve_scope(college_organizer),
            year=UNCOVERED,
            holidays=[],
            workdays=[],
        )
    assert exc.value.code == "not_allowed" and not HolidayYear.objects.exists()
    services.holiday_year_save(
        actor=school_admin, scope=resolve_scope(school_admin), year=UNCOVERED, holidays=[], workdays=[]
    )
    assert HolidayYear.objects.filter(year=UNCOVERED).exists()
