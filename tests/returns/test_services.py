from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.accounts.scope import resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import NotFound, RuleViolation, StaleState
from dangjian.reporting.models import OrgFigures, Snapshot
from dangjian.returns import services
from dangjian.returns.models import Assignment, AssignmentStatus, FieldType, ReturnStatus, Row, RowsPer
from dangjian.workbench.models import Notification
from tests.returns.conftest import SYSTEM, TODAY, good_values

pytestmark = pytest.mark.django_db


def _assignment(ret, org) -> Assignment:
    return Assignment.objects.select_related("ret", "organization").get(ret=ret, organization=org)


def _row(assignment) -> Row:
    return Row.objects.get(assignment=assignment)


def test_deadline_in_the_past_is_refused(world, college_organizer) -> None:
    with pytest.raises(RuleViolation, match="截止日期不能早于今天"):
        services.return_create(
            actor=college_organizer,
            scope=resolve_scope(college_organizer),
            designer=world.cs,
            title="x",
            deadline=TODAY - timedelta(days=1),
            today=TODAY,
        )


def test_a_table_with_no_fields_cannot_be_opened(world, college_organizer) -> None:
    ret = services.return_create(
        actor=college_organizer, scope=SYSTEM, designer=world.cs, title="空表", deadline=TODAY, today=TODAY
    )
    with pytest.raises(RuleViolation, match="还没有字段"):
        services.return_open(
            actor=college_organizer,
            scope=SYSTEM,
            ret=ret,
            organizations=[world.cs_branch],
            expected_status="draft",
            today=TODAY,
        )
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.DRAFT
    assert not Assignment.objects.exists()


def test_only_organizations_below_the_designer(world, draft, college_organizer) -> None:
    with pytest.raises(RuleViolation, match="下级"):
        services.return_open(
            actor=college_organizer,
            scope=SYSTEM,
            ret=draft,
            organizations=[world.fl_branch],
            expected_status="draft",
            today=TODAY,
        )


def test_open_creates_assignments_rows_and_tells_the_secretary(
    world, draft, college_organizer, branch_secretary, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.return_open(
            actor=college_organizer,
            scope=resolve_scope(college_organizer),
            ret=draft,
            organizations=[world.cs_branch, world.cs_branch2],
            expected_status="draft",
            today=TODAY,
        )
    draft.refresh_from_db()
    assert draft.status == ReturnStatus.OPEN
    assert Assignment.objects.filter(ret=draft).count() == 2
    assert Row.objects.filter(assignment__ret=draft).count() == 2
    assert Notification.objects.filter(recipient=branch_secretary, kind="returns").count() == 1
    event = AuditEvent.objects.get(action="returns.open")
    assert event.changes["status"] == ["draft", "open"]
    # the design is frozen once opened
    with pytest.raises(RuleViolation, match="已发布"):
        services.field_add(actor=None, scope=SYSTEM, ret=draft, label="新", type=FieldType.TEXT)


def test_rows_per_member_are_the_members_on_the_roll(world, college_organizer) -> None:
    ret = services.return_create(
        actor=None,
        scope=SYSTEM,
        designer=world.cs,
        title="个人",
        rows_per=RowsPer.MEMBER,
        deadline=TODAY,
        today=TODAY,
    )
    services.field_add(actor=None, scope=SYSTEM, ret=ret, label="学时", type=FieldType.NUMBER, required=True)
    services.return_open(
        actor=None,
        scope=SYSTEM,
        ret=ret,
        organizations=[world.cs_branch],
        expected_status="draft",
        today=TODAY,
    )
    names = set(Row.objects.filter(assignment__ret=ret).values_list("person__name", flat=True))
    assert names == {"王建国", "李晓红", "张伟"}
    assignment = _assignment(ret, world.cs_branch)
    rows = list(Row.objects.filter(assignment=assignment).select_related("person").order_by("position"))
    with pytest.raises(services.CellErrors) as caught:
        services.assignment_fill(
            actor=None,
            scope=SYSTEM,
            assignment=assignment,
            values={rows[1].pk: {"f1": "-2"}},
            expected_status="not_started",
            submit=True,
        )
    messages = [e.message for e in caught.value.errors]
    assert f"第 2 行（{rows[1].person.name}）“学时”不能为负数" in messages
    assert f"第 1 行（{rows[0].person.name}）“学时”必须填写" in messages


def test_number_prefilled_from_the_latest_statistics(world) -> None:
    snapshot = Snapshot.objects.create(
        on=date(2026, 10, 31), kind="daily", status="ready", started_at=timezone.now()
    )
    OrgFigures.objects.create(snapshot=snapshot, organization=world.cs_branch, subtree={"members_total": 3})
    ret = services.return_create(
        actor=None, scope=SYSTEM, designer=world.cs, title="预填", deadline=TODAY, today=TODAY
    )
    services.field_add(
        actor=None, scope=SYSTEM, ret=ret, label="党员数", type=FieldType.NUMBER, figure="members_total"
    )
    services.return_open(
        actor=None,
        scope=SYSTEM,
        ret=ret,
        organizations=[world.cs_branch, world.cs_branch2],
        expected_status="draft",
        today=TODAY,
    )
    assert _row(_assignment(ret, world.cs_branch)).values == {"f1": "3"}
    assert _row(_assignment(ret, world.cs_branch2)).values == {"f1": "0"}


def test_unknown_figure_is_refused(draft) -> None:
    with pytest.raises(RuleViolation, match="没有这个统计数"):
        services.field_add(
            actor=None, scope=SYSTEM, ret=draft, label="x", type=FieldType.NUMBER, figure="nope"
        )


def test_sum_check_only_of_number_fields(draft) -> None:
    with pytest.raises(RuleViolation, match="数字字段"):
        services.field_add(
            actor=None, scope=SYSTEM, ret=draft, label="x", type=FieldType.NUMBER, sum_of=["f5"]
        )


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"f1": "十"}, "第 1 行（计算机学院教工第一党支部）“党员人数”应填写数字"),
        ({"f1": "-1"}, "第 1 行（计算机学院教工第一党支部）“党员人数”不能为负数"),
        ({"f1": "101"}, "第 1 行（计算机学院教工第一党支部）“党员人数”不能大于 100"),
        ({"f4": "11"}, "第 1 行（计算机学院教工第一党支部）“合计”应等于“男”、“女”之和 10，现为 11"),
        ({"f1": ""}, "第 1 行（计算机学院教工第一党支部）“党员人数”必须填写"),
        ({"f5": "讲座"}, "第 1 行（计算机学院教工第一党支部）“形式”应从选项中选择"),
        ({"f6": "2026-13-01"}, "第 1 行（计算机学院教工第一党支部）“日期”应填写日期（如 2026-01-31）"),
    ],
)
def test_submit_names_the_failing_cell(world, opened, branch_secretary, cells, message) -> None:
    assignment = _assignment(opened, world.cs_branch)
    row = _row(assignment)
    values = good_values(row.pk)
    values[row.pk].update(cells)
    with pytest.raises(services.CellErrors) as caught:
        services.assignment_fill(
            actor=branch_secretary,
            scope=resolve_scope(branch_secretary),
            assignment=assignment,
            values=values,
            expected_status="not_started",
            submit=True,
        )
    assert message in [e.message for e in caught.value.errors]
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.NOT_STARTED
    assert not AuditEvent.objects.filter(action="returns.submit").exists()


def test_draft_then_submit_then_read_only(world, opened, branch_secretary) -> None:
    scope = resolve_scope(branch_secretary)
    assignment = _assignment(opened, world.cs_branch)
    row = _row(assignment)
    services.assignment_fill(
        actor=branch_secretary,
        scope=scope,
        assignment=assignment,
        values={row.pk: {"f1": "abc"}},
        expected_status="not_started",
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DRAFT  # a draft keeps what was typed, unchecked
    assert _row(assignment).values["f1"] == "abc"
    services.assignment_fill(
        actor=branch_secretary,
        scope=scope,
        assignment=assignment,
        values=good_values(row.pk),
        expected_status="draft",
        submit=True,
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED
    assert assignment.late is False
    assert assignment.submitted_by == branch_secretary
    event = AuditEvent.objects.get(action="returns.submit")
    assert event.changes["status"] == ["draft", "submitted"]
    assert event.changes["cells"]["1.f1"] == ["abc", "10"]
    with pytest.raises(RuleViolation):
        services.assignment_fill(
            actor=branch_secretary,
            scope=scope,
            assignment=assignment,
            values=good_values(row.pk),
            expected_status=None,
        )


def test_double_submit_is_one_submission(world, opened, branch_secretary) -> None:
    scope = resolve_scope(branch_secretary)
    assignment = _assignment(opened, world.cs_branch)
    row = _row(assignment)
    kwargs = dict(
        actor=branch_secretary,
        scope=scope,
        assignment=assignment,
        values=good_values(row.pk),
        expected_status="not_started",
        submit=True,
    )
    services.assignment_fill(**kwargs)
    with pytest.raises(StaleState):
        services.assignment_fill(**kwargs)
    assert AuditEvent.objects.filter(action="returns.submit").count() == 1


def test_submitted_after_the_deadline_is_late(world, opened, branch_secretary) -> None:
    assignment = _assignment(opened, world.cs_branch)
    row = _row(assignment)
    services.assignment_fill(
        actor=branch_secretary,
        scope=resolve_scope(branch_secretary),
        assignment=assignment,
        values=good_values(row.pk),
        expected_status="not_started",
        submit=True,
        today=opened.deadline + timedelta(days=1),
    )
    assignment.refresh_from_db()
    assert assignment.late is True


def test_file_cell_is_a_checked_upload(world, college_organizer, branch_secretary) -> None:
    ret = services.return_create(
        actor=None, scope=SYSTEM, designer=world.cs, title="附件", deadline=TODAY, today=TODAY
    )
    services.field_add(actor=None, scope=SYSTEM, ret=ret, label="扫描件", type=FieldType.FILE, required=True)
    services.return_open(
        actor=None,
        scope=SYSTEM,
        ret=ret,
        organizations=[world.cs_branch],
        expected_status="draft",
        today=TODAY,
    )
    assignment = _assignment(ret, world.cs_branch)
    row = _row(assignment)
    scope = resolve_scope(branch_secretary)
    with pytest.raises(RuleViolation, match="“扫描件”文件内容与扩展名"):
        services.assignment_fill(
            actor=branch_secretary,
            scope=scope,
            assignment=assignment,
            values={},
            uploads={(row.pk, "f1"): SimpleUploadedFile("a.pdf", b"MZ not a pdf")},
            expected_status="not_started",
        )
    with pytest.raises(services.CellErrors, match="请上传文件"):
        services.assignment_fill(
            actor=branch_secretary,
            scope=scope,
            assignment=assignment,
            values={},
            expected_status="not_started",
            submit=True,
        )
    services.assignment_fill(
        actor=branch_secretary,
        scope=scope,
        assignment=assignment,
        values={},
        uploads={(row.pk, "f1"): SimpleUploadedFile("通知.pdf", b"%PDF-1.4 test")},
        expected_status="not_started",
        submit=True,
    )
    assert row.files.get().name == "通知.pdf"


def _submit(world, opened, user) -> Assignment:
    assignment = _assignment(opened, world.cs_branch)
    services.assignment_fill(
        actor=user,
        scope=resolve_scope(user),
        assignment=assignment,
        values=good_values(_row(assignment).pk),
        expected_status="not_started",
        submit=True,
    )
    assignment.refresh_from_db()
    return assignment


def test_return_with_reason_then_refill_then_accept(
    world, opened, branch_secretary, college_organizer, django_capture_on_commit_callbacks
) -> None:
    assignment = _submit(world, opened, branch_secretary)
    scope = resolve_scope(college_organizer)
    with pytest.raises(RuleViolation, match="退回原因"):
        services.assignment_return(
            actor=college_organizer,
            scope=scope,
            assignment=assignment,
            reason=" ",
            expected_status="submitted",
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_return(
            actor=college_organizer,
            scope=scope,
            assignment=assignment,
            reason="人数有误",
            expected_status="submitted",
        )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.RETURNED
    assert assignment.returned_reason == "人数有误"
    assert Notification.objects.filter(recipient=branch_secretary, title__contains="人数有误").exists()
    services.assignment_fill(
        actor=branch_secretary,
        scope=resolve_scope(branch_secretary),
        assignment=assignment,
        values=good_values(_row(assignment).pk),
        expected_status="returned",
        submit=True,
    )
    services.assignment_accept(
        actor=college_organizer, scope=scope, assignment=assignment, expected_status="submitted"
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACCEPTED
    assert AuditEvent.objects.get(action="returns.accept").changes["status"] == ["submitted", "accepted"]


def test_accept_twice_is_stale(world, opened, branch_secretary, college_organizer) -> None:
    assignment = _submit(world, opened, branch_secretary)
    scope = resolve_scope(college_organizer)
    services.assignment_accept(
        actor=college_organizer, scope=scope, assignment=assignment, expected_status="submitted"
    )
    with pytest.raises(StaleState):
        services.assignment_accept(
            actor=college_organizer, scope=scope, assignment=assignment, expected_status="submitted"
        )


def test_reminder_at_most_once_a_day(
    world, opened, college_organizer, branch_secretary, django_capture_on_commit_callbacks
) -> None:
    scope = resolve_scope(college_organizer)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.return_remind(actor=college_organizer, scope=scope, ret=opened, today=TODAY) == 2
        assert services.return_remind(actor=college_organizer, scope=scope, ret=opened, today=TODAY) == 0
    assert Notification.objects.filter(recipient=branch_secretary, title__startswith="请尽快").count() == 1
    assert AuditEvent.objects.filter(action="returns.remind").count() == 2
    assert (
        services.return_remind(
            actor=college_organizer, scope=scope, ret=opened, today=TODAY + timedelta(days=1)
        )
        == 2
    )


def test_closed_return_cannot_be_filled(world, opened, college_organizer, branch_secretary) -> None:
    services.return_close(
        actor=college_organizer, scope=resolve_scope(college_organizer), ret=opened, expected_status="open"
    )
    assignment = _assignment(opened, world.cs_branch)
    with pytest.raises(RuleViolation, match="已结束"):
        services.assignment_fill(
            actor=branch_secretary,
            scope=resolve_scope(branch_secretary),
            assignment=assignment,
            values=good_values(_row(assignment).pk),
            expected_status="not_started",
        )


def test_outsider_is_refused_everywhere_and_nothing_changes(
    world, opened, outsider_organizer, branch_secretary
) -> None:
    scope = resolve_scope(outsider_organizer)
    assignment = _assignment(opened, world.cs_branch)
    row = _row(assignment)
    attempts = [
        lambda: services.return_create(
            actor=outsider_organizer, scope=scope, designer=world.cs, title="x", deadline=TODAY, today=TODAY
        ),
        lambda: services.field_add(actor=outsider_organizer, scope=scope, ret=opened, label="x", type="text"),
        lambda: services.return_close(
            actor=outsider_organizer, scope=scope, ret=opened, expected_status="open"
        ),
        lambda: services.return_remind(actor=outsider_organizer, scope=scope, ret=opened),
        lambda: services.assignment_remind(actor=outsider_organizer, scope=scope, assignment=assignment),
        lambda: services.assignment_fill(
            actor=outsider_organizer,
            scope=scope,
            assignment=assignment,
            values=good_values(row.pk),
            expected_status="not_started",
            submit=True,
        ),
        lambda: services.assignment_return(
            actor=outsider_organizer,
            scope=scope,
            assignment=assignment,
            reason="x",
            expected_status="submitted",
        ),
        lambda: services.assignment_accept(
            actor=outsider_organizer, scope=scope, assignment=assignment, expected_status="submitted"
        ),
    ]
    before = AuditEvent.objects.count()
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
    assert AuditEvent.objects.count() == before
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.NOT_STARTED and assignment.reminded_on is None
    # and the branch secretary fills but does not review
    with pytest.raises(NotFound):
        services.return_close(
            actor=branch_secretary, scope=resolve_scope(branch_secretary), ret=opened, expected_status="open"
        )


def test_remove_a_field_of_a_draft_not_one_a_sum_uses(draft, college_organizer, outsider_organizer) -> None:
    from dangjian.returns.models import ReturnField

    scope = resolve_scope(college_organizer)
    part = ReturnField.objects.get(ret=draft, key="f2")
    with pytest.raises(RuleViolation, match="用于“合计”的求和检查"):
        services.field_remove(actor=college_organizer, scope=scope, field=part, expected_status="draft")
    with pytest.raises(NotFound):
        services.field_remove(
            actor=outsider_organizer,
            scope=resolve_scope(outsider_organizer),
            field=ReturnField.objects.get(ret=draft, key="f6"),
            expected_status="draft",
        )
    services.field_remove(
        actor=college_organizer,
        scope=scope,
        field=ReturnField.objects.get(ret=draft, key="f6"),
        expected_status="draft",
    )
    assert not ReturnField.objects.filter(ret=draft, key="f6").exists()
    assert AuditEvent.objects.get(action="returns.field_remove").changes["label"] == ["日期", None]
