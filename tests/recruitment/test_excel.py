"""The pipeline as Excel (the board's filter, audited) and the import of existing cases with historical
dates: a dry run with per-row messages (timing rules as warnings), then all rows or none."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.core.models import Membership, MembershipType, Person, PoliticalStatus
from dangjian.jobs.models import Job
from dangjian.recruitment import selectors, services
from dangjian.recruitment.imports import case_spec
from dangjian.recruitment.models import Case, CaseStatus, Stage, StepRecord
from tests import factories as f

D = date
TODAY = D(2026, 11, 20)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(D(2026, 11, 20), tick=False):
        yield


def _headers() -> list[str]:
    return case_spec(selectors.step_definitions()).headers


def _xlsx(rows: list[list[object]], headers: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers or _headers())
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _row(staff: str, name: str, applied: str, *steps: str) -> list[object]:
    return [staff, name, applied, *steps, *([""] * (24 - len(steps)))]


@pytest.fixture
def send(login, college_organizer, django_capture_on_commit_callbacks):
    def _send(content: bytes, commit: bool = False, user=None) -> Job:
        client = login(user or college_organizer)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("recruitment:import"), {"file": SimpleUploadedFile("cases.xlsx", content)})
        job = Job.objects.latest("id")
        if commit:
            with django_capture_on_commit_callbacks(execute=True):
                client.post(reverse("recruitment:import_commit", args=[job.pk]), {"mode": "all"})
            job = Job.objects.latest("id")
        return job

    return _send


@pytest.fixture
def people(world):
    return {
        "a": f.person("申请甲", organization=world.cs_branch2, birth=D(2003, 1, 1), staff_number="2023001"),
        "b": f.person("积极乙", organization=world.cs_branch2, birth=D(2002, 1, 1), staff_number="2023002"),
        "c": f.person("预备丙", organization=world.cs_branch2, birth=D(2001, 1, 1), staff_number="2023003"),
        "x": f.person("外院丁", organization=world.fl_branch, birth=D(2001, 1, 1), staff_number="2023009"),
    }


PROBATIONER_STEPS = [
    "2023-03-20",  # 2 talk
    "2023-09-01",  # 3 activist
    "2023-09-10",  # 4
    "2023-09-10",  # 5
    "2024-03-01；2024-09-01",  # 6 evaluation, twice
    "2024-09-02",  # 7 candidate
    "2024-09-20",  # 8
    "2024-09-21",  # 9
    "2024-10-10",  # 10
    "2024-10-20",  # 11
    "2024-11-01",  # 12
    "2024-11-10",  # 13 prereview
    "2024-11-12",  # 14
    "2024-12-01",  # 15 branch meeting
    "2024-12-10",  # 16
    "2025-01-10",  # 17 approval
]


def test_the_template_lists_every_step(world, login, college_organizer) -> None:
    response = login(college_organizer).get(reverse("recruitment:import_template"))
    headers = [c.value for c in load_workbook(io.BytesIO(response.content)).active[1]]
    assert headers[:4] == ["工号/学号", "姓名", "1.递交入党申请书", "2.党组织派人谈话"]
    assert headers[-1] == "25.材料归档" and len(headers) == 27


def test_dry_run_then_all_rows_in_one_go_with_warnings(world, people, send) -> None:
    content = _xlsx(
        [
            _row("2023001", "申请甲", "2026-08-01", "2026-10-15"),  # talk late: a warning
            _row("2023002", "积极乙", "2025-03-01", "2025-03-10", "2025-06-01"),
            _row("2023003", "预备丙", "2023-03-01", *PROBATIONER_STEPS),
        ]
    )
    checked = send(content)
    assert checked.result["can_commit"] and not Case.objects.exists()
    assert any(line.startswith("第 2 行 提醒：") and "一个月内" in line for line in checked.row_errors)
    assert dict(checked.result["summary"])["有提醒"] == 1
    done = send(content, commit=True)
    assert done.result["message"] == "导入完成。"
    a, b, c = (Case.objects.get(person=people[k]) for k in "abc")
    assert (a.stage, b.stage, c.stage) == (Stage.APPLICANT, Stage.ACTIVIST, Stage.PROBATIONARY)
    assert a.steps.get(step__code="talk").warnings  # kept on the record
    assert Person.objects.get(pk=people["b"].pk).political_status == PoliticalStatus.ACTIVIST
    membership = Membership.objects.get(person=people["c"])
    assert (membership.membership_type, membership.joined_on) == (MembershipType.PROBATIONARY, D(2024, 12, 1))
    assert c.steps.filter(step__code="evaluation").count() == 2
    assert AuditEvent.objects.filter(action="recruitment.case_import").count() == 3
    # The imported case goes on like any other.
    services.step_record(
        actor=None, scope=Scope.system(), case=c, code="approval_filed", done_on=D(2025, 1, 20), today=TODAY
    )


def test_one_bad_row_writes_nothing(world, people, send) -> None:
    content = _xlsx(
        [
            _row("2023001", "申请甲", "2026-08-01", "2026-08-15"),
            _row("2023002", "积极乙", "2025-03-01", "", "2025-06-01"),  # step 2 missing
            _row("2023009", "外院丁", "2025-03-01"),  # another college
            _row("2023404", "无此人", "2025-03-01"),
            _row("2023003", "预备丙", "2027-01-01"),  # in the future
        ]
    )
    checked = send(content)
    lines = "\n".join(checked.row_errors)
    assert "第 3 行" in lines and "步骤须连续" in lines
    assert "第 4 行 工号/学号: 系统中没有工号/学号为“2023009”的人员" in lines  # another college: unknown
    assert "第 5 行" in lines and "没有工号/学号" in lines
    assert "第 6 行" in lines and "不能晚于今天" in lines
    assert not checked.result["can_commit"]
    send(content, commit=True)
    assert not Case.objects.exists() and not StepRecord.objects.exists()


def test_an_approval_without_a_branch_meeting_is_a_row_error(world, people, send) -> None:
    """A gap just before 上级党委审批 is reported; the row is not checked further (that crashed the job)."""
    steps = [*PROBATIONER_STEPS[:13], "", "2024-12-10", "2025-01-10"]  # 15 支部大会 blank
    checked = send(_xlsx([_row("2023003", "预备丙", "2023-03-01", *steps)]))
    assert checked.status == "succeeded", checked.result
    lines = "\n".join(checked.row_errors)
    assert "第 2 行" in lines and "请填写第 15 步" in lines and "步骤须连续" in lines, lines


def test_a_person_with_a_case_or_a_member_too_early_is_refused(world, people, send) -> None:
    services.case_open(
        scope=Scope.system(),
        actor=None,
        person=people["a"],
        branch=world.cs_branch2,
        applied_on=D(2026, 9, 1),
    )
    member = f.member(world.cs_branch2, "老党员", staff_number="2023100")
    checked = send(
        _xlsx(
            [_row("2023001", "申请甲", "2026-08-01"), _row(str(member.staff_number), "老党员", "2010-03-01")]
        )
    )
    lines = "\n".join(checked.row_errors)
    assert "已有发展党员档案" in lines and "已是党员" in lines


def test_outsiders_cannot_import_or_commit(
    world, people, send, login, member_user, outsider_organizer
) -> None:
    checked = send(_xlsx([_row("2023001", "申请甲", "2026-08-01")]))
    assert login(member_user).get(reverse("recruitment:import")).status_code == 404
    for user in (member_user, outsider_organizer):
        response = login(user).post(reverse("recruitment:import_commit", args=[checked.pk]), {"mode": "all"})
        assert response.status_code == 404
    assert not Case.objects.exists()
    # The outsider's own upload finds the row outside their scope.
    job = send(_xlsx([_row("2023001", "申请甲", "2026-08-01")]), user=outsider_organizer)
    assert any("系统中没有工号/学号为“2023001”的人员" in line for line in job.row_errors)


def test_a_row_outside_the_scope_reveals_no_stored_name(world, people, send, outsider_organizer) -> None:
    """A wrong name for someone of another college must not be answered with the stored one."""
    job = send(_xlsx([_row("2023001", "猜的名字", "2026-08-01")]), user=outsider_organizer)
    lines = "\n".join(job.row_errors)
    assert "第 2 行 工号/学号: 系统中没有工号/学号为“2023001”的人员" in lines, lines
    assert "申请甲" not in lines and "系统中为" not in lines
    result = load_workbook(io.BytesIO(job.result_file.read())).active
    assert "申请甲" not in str([c.value for row in result.iter_rows() for c in row][len(_headers()) :])


def test_export_follows_the_boards_filter_and_is_audited(
    world, people, login, college_organizer, member_user, outsider_organizer, django_assert_max_num_queries
) -> None:
    for key, applied in (("a", D(2026, 9, 1)), ("b", D(2026, 9, 2))):
        services.case_open(
            scope=Scope.system(), actor=None, person=people[key], branch=world.cs_branch2, applied_on=applied
        )
    case = Case.objects.get(person=people["b"])
    services.step_record(
        actor=None, scope=Scope.system(), case=case, code="talk", done_on=D(2026, 9, 5), today=TODAY
    )
    services.step_record(
        actor=None, scope=Scope.system(), case=case, code="activist", done_on=D(2026, 11, 1), today=TODAY
    )
    client = login(college_organizer)
    url = reverse("recruitment:export")
    with django_assert_max_num_queries(14):
        response = client.get(url + f"?org={world.cs.pk}")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:4] == ["姓名", "工号/学号", "党支部", "阶段"] and len(values) == 3
    assert values[1][0] == "申请甲" and values[1][-1] == "是"  # the talk is overdue
    assert values[2][values[0].index("3.推荐和确定入党积极分子")] == "2026-11-01"
    response = client.get(url + f"?org={world.cs.pk}&stage=activist")
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    assert [r[0] for r in rows[1:]] == ["积极乙"]
    assert AuditEvent.objects.filter(action="recruitment.export").count() == 2
    assert login(member_user).get(url).status_code == 404
    assert login(outsider_organizer).get(url + f"?org={world.cs.pk}").status_code == 404


def test_admitted_import_ends_the_case(world, people, send) -> None:
    steps = [
        *PROBATIONER_STEPS,
        "2025-01-20",
        "2025-01-20",
        "2025-02-01",
        "2025-06-01",
        "2025-11-20",
        "2025-12-05",
        "2026-01-10",
        "2026-01-20",
    ]
    send(_xlsx([_row("2023003", "预备丙", "2023-03-01", *steps)]), commit=True)
    case = Case.objects.get(person=people["c"])
    membership = Membership.objects.get(person=people["c"])
    assert (case.status, case.stage) == (CaseStatus.ADMITTED, Stage.FULL)
    assert (membership.membership_type, membership.full_on) == (MembershipType.FULL, D(2025, 12, 1))


def test_a_step_date_after_today_names_the_step_and_today(world, people, send) -> None:
    checked = send(_xlsx([_row("2023002", "积极乙", "2025-03-01", "2026-12-01")]))
    assert "第 2 行 2.党组织派人谈话: 不能晚于今天(2026-11-20)" in checked.row_errors, checked.row_errors


def test_a_formula_cell_is_named_as_a_formula(world, people, send) -> None:
    checked = send(_xlsx([_row("2023001", '=HYPERLINK("http://x","申请甲")', "2026-08-01")]))
    assert "第 2 行 姓名: 不能是公式" in checked.row_errors, checked.row_errors


def test_a_macro_workbook_is_refused_by_the_page_before_it_is_stored(
    world, people, login, college_organizer, django_capture_on_commit_callbacks
) -> None:
    content = _xlsx([_row("2023001", "申请甲", "2026-08-01")])
    with django_capture_on_commit_callbacks(execute=True):
        response = login(college_organizer).post(
            reverse("recruitment:import"), {"file": SimpleUploadedFile("cases.xlsm", content)}
        )
    assert response.status_code == 200
    assert "启用宏" in response.content.decode()
    assert not Job.objects.filter(kind="recruitment_import").exists()
    assert not Case.objects.exists()


def test_confirming_the_same_preview_twice_starts_one_commit(
    world, people, send, login, college_organizer, django_capture_on_commit_callbacks
) -> None:
    checked = send(_xlsx([_row("2023001", "申请甲", "2026-08-01")]))
    client = login(college_organizer)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("recruitment:import_commit", args=[checked.pk]), {"mode": "all"})
        second = client.post(reverse("recruitment:import_commit", args=[checked.pk]), {"mode": "all"})
    assert first["Location"] == second["Location"]
    assert Job.objects.filter(kind="recruitment_import", params__mode="commit").count() == 1
    assert Case.objects.count() == 1


def test_a_row_refused_while_writing_rolls_back_the_rows_before_it(world, people, send, monkeypatch) -> None:
    from django.db import IntegrityError

    real = services.case_import

    def clash_on_the_second(**kwargs):
        if kwargs["person"].staff_number == "2023002":
            raise IntegrityError("duplicate key value violates unique constraint")
        return real(**kwargs)

    content = _xlsx(
        [_row("2023001", "申请甲", "2026-08-01"), _row("2023002", "积极乙", "2025-03-01", "2025-03-10")]
    )
    checked = send(content)
    assert checked.result["can_commit"]
    monkeypatch.setattr(services, "case_import", clash_on_the_second)
    done = send(content, commit=True)
    assert done.result["message"].startswith("第 3 行 与已有记录冲突")
    assert "duplicate key" not in done.result["message"] and "未导入任何数据" in done.result["message"]
    assert not Case.objects.exists()
