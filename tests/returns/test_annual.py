from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.scope import resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import NotFound, RuleViolation, StaleState
from dangjian.reporting.models import OrgFigures, Snapshot
from dangjian.returns import annual, services
from dangjian.returns.models import Assignment, AssignmentStatus, Return, ReturnStatus
from tests.returns.conftest import SYSTEM

pytestmark = pytest.mark.django_db


def consistent(n: int, **extra: int) -> dict[str, int]:
    """Figures that pass every check: n members, all in the first row of each section."""
    values = {
        "members_total": n,
        "members_full": n,
        "gender_male": n,
        "ethnic_han": n,
        "edu_postgraduate": n,
        "edu_college_above": n,
        "age_le30": n,
        "partyage_probationary": n,
        "occ_worker": n,
        "opening": n,
        "closing": n,
    }
    values.update(extra)
    return values


@pytest.fixture
def snapshot(world) -> Snapshot:
    snap = Snapshot.objects.create(
        on=date(2025, 12, 31), kind="year_end", status="ready", started_at=timezone.now()
    )
    OrgFigures.objects.create(snapshot=snap, organization=world.cs, subtree=consistent(3))
    OrgFigures.objects.create(snapshot=snap, organization=world.fl, subtree=consistent(3))
    return snap


@pytest.fixture
def year(world, snapshot, school_admin) -> Return:
    return annual.annual_open(actor=school_admin, scope=resolve_scope(school_admin), year=2025)


def _of(ret, org) -> Assignment:
    return Assignment.objects.select_related("ret", "organization").get(ret=ret, organization=org)


def test_refused_without_the_year_end_snapshot(world, school_admin) -> None:
    with pytest.raises(RuleViolation, match="2025年12月31日的统计快照尚未生成"):
        annual.annual_open(actor=school_admin, scope=resolve_scope(school_admin), year=2025)
    assert not Return.objects.exists()


def test_opened_once_a_year_for_every_college_prefilled(world, year, school_admin) -> None:
    assert year.status == ReturnStatus.OPEN and year.deadline == date(2026, 1, 31)
    assert _of(year, world.cs).computed["members_total"] == 3
    assert set(Assignment.objects.filter(ret=year).values_list("organization", flat=True)) == {
        world.cs.pk,
        world.fl.pk,
    }
    with pytest.raises(RuleViolation, match="已经发起"):
        annual.annual_open(actor=school_admin, scope=resolve_scope(school_admin), year=2025)


def test_only_the_school_opens_it(world, snapshot, college_organizer) -> None:
    with pytest.raises(NotFound):
        annual.annual_open(actor=college_organizer, scope=resolve_scope(college_organizer), year=2025)


def test_adjustment_needs_a_reason_naming_the_cell(world, year, college_organizer) -> None:
    assignment = _of(year, world.cs)
    scope = resolve_scope(college_organizer)
    with pytest.raises(RuleViolation, match="“党员基本情况 · 男”由 3 调整为 2，请填写调整原因"):
        annual.annual_fill(
            actor=college_organizer,
            scope=scope,
            assignment=assignment,
            cells={"gender_male": ("2", "")},
            expected_status="not_started",
        )
    with pytest.raises(RuleViolation, match="应填写整数"):
        annual.annual_fill(
            actor=college_organizer,
            scope=scope,
            assignment=assignment,
            cells={"gender_male": ("两", "x")},
            expected_status="not_started",
        )


def test_checks_block_a_submission_and_name_the_cell(world, year, college_organizer) -> None:
    assignment = _of(year, world.cs)
    scope = resolve_scope(college_organizer)
    annual.annual_fill(
        actor=college_organizer,
        scope=scope,
        assignment=assignment,
        cells={"gender_male": ("2", "一名党员性别登记有误")},
        expected_status="not_started",
    )
    assignment.refresh_from_db()
    assert assignment.adjustments == {"gender_male": {"value": 2, "reason": "一名党员性别登记有误"}}
    with pytest.raises(RuleViolation, match="“性别”各项之和 2 不等于“党员总数” 3"):
        annual.annual_fill(
            actor=college_organizer,
            scope=scope,
            assignment=assignment,
            cells={},
            expected_status="draft",
            submit=True,
        )
    annual.annual_fill(
        actor=college_organizer,
        scope=scope,
        assignment=assignment,
        cells={"gender_female": ("1", "同上")},
        expected_status="draft",
        submit=True,
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED
    assert annual.values_of(assignment)["gender_female"] == 1
    event = AuditEvent.objects.get(action="returns.annual_submit")
    assert event.changes["status"] == ["draft", "submitted"]


def test_opening_must_equal_last_years_accepted_closing(world, school_admin, college_organizer) -> None:
    for on, figures in ((date(2024, 12, 31), consistent(4)), (date(2025, 12, 31), consistent(3))):
        snap = Snapshot.objects.create(on=on, kind="year_end", status="ready", started_at=timezone.now())
        OrgFigures.objects.create(snapshot=snap, organization=world.cs, subtree=figures)
    scope = resolve_scope(school_admin)
    last = annual.annual_open(actor=school_admin, scope=scope, year=2024)
    old = _of(last, world.cs)
    annual.annual_fill(
        actor=None, scope=SYSTEM, assignment=old, cells={}, expected_status="not_started", submit=True
    )
    services.assignment_accept(actor=school_admin, scope=scope, assignment=old, expected_status="submitted")
    this = annual.annual_open(actor=school_admin, scope=scope, year=2025)
    with pytest.raises(RuleViolation, match="上年底党员数 3 不等于上年年报的年底党员数 4"):
        annual.annual_fill(
            actor=college_organizer,
            scope=resolve_scope(college_organizer),
            assignment=_of(this, world.cs),
            cells={},
            expected_status="not_started",
            submit=True,
        )
    rows = annual.comparison(_of(this, world.cs))
    members = dict((label, (now, then)) for label, now, then in rows[0][2])
    assert members["党员总数"] == (3, 4)


def _accept_all(world, year, school_admin) -> None:
    scope = resolve_scope(school_admin)
    for org in (world.cs, world.fl):
        a = _of(year, org)
        annual.annual_fill(
            actor=None, scope=SYSTEM, assignment=a, cells={}, expected_status="not_started", submit=True
        )
        services.assignment_accept(actor=school_admin, scope=scope, assignment=a, expected_status="submitted")


def test_lock_needs_all_accepted_then_refuses_every_write_with_409(
    world, year, school_admin, college_organizer, login
) -> None:
    scope = resolve_scope(school_admin)
    with pytest.raises(RuleViolation, match="未通过审核"):
        annual.annual_lock(actor=school_admin, scope=scope, ret=year, expected_status="open")
    _accept_all(world, year, school_admin)
    annual.annual_lock(actor=school_admin, scope=scope, ret=year, expected_status="open")
    year.refresh_from_db()
    assert year.status == ReturnStatus.LOCKED
    assignment = _of(year, world.cs)
    with pytest.raises(services.Locked) as caught:
        annual.annual_fill(
            actor=None, scope=SYSTEM, assignment=assignment, cells={}, expected_status="accepted"
        )
    assert caught.value.status == 409
    with pytest.raises(services.Locked):
        services.assignment_return(
            actor=None, scope=SYSTEM, assignment=assignment, reason="x", expected_status="accepted"
        )
    client = login(school_admin)
    before = AuditEvent.objects.count()
    for url in (
        reverse("returns:fill", args=[assignment.pk]),
        reverse("returns:return", args=[assignment.pk]),
        reverse("returns:accept", args=[assignment.pk]),
        reverse("returns:remind_one", args=[assignment.pk]),
        reverse("returns:lock", args=[year.pk]),
        reverse("returns:close", args=[year.pk]),
        reverse("returns:remind", args=[year.pk]),
        reverse("returns:edit", args=[year.pk]),
    ):
        response = client.post(url, {"expected_status": "accepted", "reason": "x"})
        assert response.status_code == 409, url
        assert "已锁定" in response.content.decode()
    assert AuditEvent.objects.count() == before
    page = client.get(reverse("returns:detail", args=[year.pk])).content.decode()
    assert "年报已锁定" in page


def test_reopen_needs_a_reason_and_is_audited(world, year, school_admin) -> None:
    _accept_all(world, year, school_admin)
    scope = resolve_scope(school_admin)
    annual.annual_lock(actor=school_admin, scope=scope, ret=year, expected_status="open")
    with pytest.raises(RuleViolation, match="原因"):
        annual.annual_reopen(actor=school_admin, scope=scope, ret=year, reason=" ", expected_status="locked")
    annual.annual_reopen(
        actor=school_admin, scope=scope, ret=year, reason="外国语学院数字更正", expected_status="locked"
    )
    year.refresh_from_db()
    assert year.status == ReturnStatus.OPEN
    assert AuditEvent.objects.get(action="returns.reopen").changes["reason"] == "外国语学院数字更正"
    with pytest.raises(StaleState):
        annual.annual_reopen(
            actor=school_admin, scope=scope, ret=year, reason="再次", expected_status="locked"
        )


def test_pages_of_the_annual_return(
    world, year, school_admin, college_organizer, outsider_organizer, login
) -> None:
    assignment = _of(year, world.cs)
    client = login(college_organizer)
    page = client.get(reverse("returns:fill", args=[assignment.pk]))
    assert page.status_code == 200 and "党员基本情况" in page.content.decode()
    response = client.post(
        reverse("returns:fill", args=[assignment.pk]),
        {"v_gender_male": "2", "why_gender_male": "", "expected_status": "not_started", "submit": "0"},
    )
    assert "请填写调整原因" in response.content.decode()
    assert login(outsider_organizer).get(reverse("returns:fill", args=[assignment.pk])).status_code == 404
    assert login(outsider_organizer).get(reverse("returns:compare", args=[assignment.pk])).status_code == 404
    assert client.get(reverse("returns:compare", args=[assignment.pk])).status_code == 200
    admin = login(school_admin)
    assert admin.get(reverse("returns:detail", args=[year.pk])).status_code == 200
    response = admin.get(reverse("returns:export", args=[year.pk]))
    assert response.status_code == 200
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[0] == "党员基本情况"
    header = next(book["党员基本情况"].iter_rows(values_only=True))
    assert header[-2:] == ("学校党委直属", "全校合计") and "中共示范大学计算机学院委员会" in header
    assert login(college_organizer).get(reverse("returns:annual_new")).status_code == 404
    response = admin.post(reverse("returns:annual_new"), {"year": "2025"})
    assert "已经发起" in response.content.decode()


def test_the_school_total_adds_the_colleges_as_handed_in_to_the_schools_own_part(
    world, snapshot, year, college_organizer, school_admin, login
) -> None:
    OrgFigures.objects.create(snapshot=snapshot, organization=world.school, subtree=consistent(7))
    annual.annual_fill(
        actor=college_organizer,
        scope=resolve_scope(college_organizer),
        assignment=_of(year, world.cs),
        cells={"gender_male": ("2", "一名党员性别登记有误"), "gender_female": ("1", "同上")},
        expected_status="not_started",
    )
    year.refresh_from_db()
    total = annual.school_total(year, list(year.assignments.order_by("organization__path")))
    assert total is not None
    assert total.own["members_total"] == 1 and total.values["members_total"] == 7
    assert (total.values["gender_male"], total.values["gender_female"]) == (6, 1)
    assert total.failures == []
    # The school's snapshot says 7 men: the colleges' adjustments are named, cell by cell.
    assert [(f.key, f.code) for f in total.rollup] == [("gender_female", "rollup"), ("gender_male", "rollup")]
    page = login(school_admin).get(reverse("returns:annual_total", args=[year.pk])).content.decode()
    assert "全校汇总通过全部检查" in page and "与年终统计快照不一致" in page


def test_the_school_total_must_follow_on_from_last_years_closing(world, snapshot, year) -> None:
    OrgFigures.objects.create(snapshot=snapshot, organization=world.school, subtree=consistent(7))
    last = Snapshot.objects.create(
        on=date(2024, 12, 31), kind="year_end", status="ready", started_at=timezone.now()
    )
    OrgFigures.objects.create(snapshot=last, organization=world.school, subtree=consistent(6))
    total = annual.school_total(year, list(year.assignments.all()))
    assert total is not None
    assert [f.code for f in total.failures] == ["opening"]
    assert "上年底党员数 7 不等于上年年报的年底党员数 6" in total.failures[0].message


def test_without_the_schools_snapshot_figures_there_is_no_total(world, year, school_admin, login) -> None:
    assert annual.school_total(year, list(year.assignments.all())) is None
    page = login(school_admin).get(reverse("returns:annual_total", args=[year.pk])).content.decode()
    assert "年终统计快照中没有学校党委的数据" in page
    detail = login(school_admin).get(reverse("returns:detail", args=[year.pk])).content.decode()
    assert reverse("returns:annual_total", args=[year.pk]) in detail  # loaded by the page, on its own


def test_the_school_total_is_refused_to_a_college_and_to_an_outsider(
    world, year, college_organizer, outsider_organizer, login
) -> None:
    url = reverse("returns:annual_total", args=[year.pk])
    assert login(college_organizer).get(url).status_code == 404
    assert login(outsider_organizer).get(url).status_code == 404
