"""Enrolments and results of a class from Excel: the template, a dry run with per-row Chinese messages
(nothing written), then all rows or none."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.jobs.models import Job
from dangjian.learning.imports import ENROLMENTS
from dangjian.learning.models import Enrolment, ExamResult

HEADERS = ENROLMENTS.headers


def xlsx(rows: list[list[object]], headers: list[str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def send(login, college_organizer, django_capture_on_commit_callbacks):
    """Upload to the class's import page (a dry-run job); with ``commit``, then import it."""

    def _send(training_class, content: bytes, commit: bool = False, user=None) -> Job:
        client = login(user or college_organizer)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("learning:import", args=[training_class.pk]),
                {"file": SimpleUploadedFile("enrolments.xlsx", content)},
            )
        job = Job.objects.latest("id")
        if commit:
            with django_capture_on_commit_callbacks(execute=True):
                client.post(
                    reverse("learning:import_commit", args=[training_class.pk, job.pk]), {"mode": "all"}
                )
            job = Job.objects.latest("id")
        return job

    return _send


def rows(school, *, activist_row: bool = False) -> list[list[object]]:
    data: list[list[object]] = [
        [school.candidate.staff_number, "陈发展", "24", "92", "合格"],
        [school.candidate_no_case.staff_number, "周无档", "20", "58", "不合格"],
    ]
    if activist_row:
        data.append([school.activist.staff_number, "吴积极", "24", "80", "合格"])
    return data


def test_the_template_has_the_headers(school, candidate_class, login, college_organizer) -> None:
    response = login(college_organizer).get(reverse("learning:import_template", args=[candidate_class.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == HEADERS


def test_dry_run_writes_nothing_then_commit_writes_every_row(
    school, candidate_class, send, login, college_organizer
) -> None:
    content = xlsx(rows(school), headers=HEADERS)
    checked = send(candidate_class, content)
    assert dict(checked.result["summary"])["新增"] == 2 and checked.result["can_commit"]
    page = login(college_organizer).get(reverse("jobs:detail", args=[checked.pk])).content.decode()
    assert reverse("learning:import_commit", args=[candidate_class.pk, checked.pk]) in page
    assert "只导入无误的行" not in page
    assert not Enrolment.objects.exists()
    done = send(candidate_class, content, commit=True)
    assert done.result["message"] == "导入完成。", done.result
    results = dict(Enrolment.objects.values_list("person__name", "result"))
    assert results == {"陈发展": ExamResult.PASS, "周无档": ExamResult.FAIL}
    assert AuditEvent.objects.filter(action="learning.enrol").count() == 2
    assert AuditEvent.objects.filter(action="learning.result").count() == 2
    assert dict(send(candidate_class, content).result["summary"])["无变化"] == 2  # idempotent


def test_bad_rows_are_explained_and_nothing_is_written(school, candidate_class, send) -> None:
    content = xlsx(
        [
            *rows(school, activist_row=True),
            ["NOPE123", "某人", "", "", ""],
            [school.fl_candidate.staff_number, "郑外院", "", "", ""],
            [school.candidate_early.staff_number, "林晚", "30", "abc", "优秀"],
        ],
        headers=HEADERS,
    )
    checked = send(candidate_class, content)
    errors = "\n".join(checked.row_errors)
    for message in (
        "第 4 行 工号/学号: 吴积极 现为入党积极分子，发展对象培训班只招收发展对象",
        "第 5 行 工号/学号: 系统中没有工号/学号为“NOPE123”的人员",
        f"第 6 行 工号/学号: 系统中没有工号/学号为“{school.fl_candidate.staff_number}”的人员",
        "第 7 行 考试结果: “优秀”不是可选值",
    ):
        assert message in errors, errors
    assert not checked.result["can_commit"] and not checked.result["can_commit_valid"]
    done = send(candidate_class, content, commit=True)
    assert "未导入任何数据" in done.result["message"]
    assert not Enrolment.objects.exists()


def test_a_row_outside_the_scope_reveals_no_stored_name(school, candidate_class, send) -> None:
    """Someone of another college reads as unknown: neither their name nor the scope refusal shows."""
    number = school.fl_candidate.staff_number
    checked = send(candidate_class, xlsx([[number, "猜的名字", "", "", ""]], headers=HEADERS))
    errors = "\n".join(checked.row_errors)
    assert f"第 2 行 工号/学号: 系统中没有工号/学号为“{number}”的人员" in errors, errors
    assert "郑外院" not in errors and "系统中为" not in errors


def test_school_admin_is_told_a_person_is_outside_the_organizer(
    school, candidate_class, send, school_admin
) -> None:
    """Within the importer's scope the refusal may name the person."""
    number = school.fl_candidate.staff_number
    content = xlsx([[number, "郑外院", "", "", ""]], headers=HEADERS)
    checked = send(candidate_class, content, user=school_admin)
    assert "郑外院 不在“中共示范大学计算机学院委员会”范围内" in "\n".join(checked.row_errors)


def test_name_and_numbers_are_checked(school, candidate_class, send) -> None:
    content = xlsx([[school.candidate_early.staff_number, "林晚", "30", "abc", ""]], headers=HEADERS)
    errors = "\n".join(send(candidate_class, content).row_errors)
    assert "姓名: 与工号/学号不符(系统中为“林早”)" in errors
    assert "出勤学时: 应为 0 至 24 之间的数" in errors and "考试成绩: “abc”不是数字" in errors


def test_outsiders_cannot_import_or_commit(school, candidate_class, send, login, outsider_organizer) -> None:
    job = send(candidate_class, xlsx(rows(school), headers=HEADERS))
    client = login(outsider_organizer)
    assert (
        client.post(reverse("learning:import_commit", args=[candidate_class.pk, job.pk])).status_code == 404
    )
    assert not Enrolment.objects.exists()


def test_a_closed_class_refuses_the_import(school, candidate_class, send) -> None:
    from datetime import date

    from dangjian.learning import services

    services.training_class_close(
        actor=None, scope=Scope.system(), training_class=candidate_class, today=date(2026, 11, 1)
    )
    checked = send(candidate_class, xlsx(rows(school), headers=HEADERS))
    assert any("班次已结班" in line for line in checked.row_errors)


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "-inf", "sNaN"])
def test_a_number_that_is_not_finite_is_not_a_number(school, candidate_class, send, raw) -> None:
    content = xlsx([[school.candidate.staff_number, "陈发展", raw, raw, ""]], headers=HEADERS)
    checked = send(candidate_class, content)
    assert checked.status == "succeeded", checked.result
    errors = "\n".join(checked.row_errors)
    assert f"出勤学时: “{raw}”不是数字" in errors and f"考试成绩: “{raw}”不是数字" in errors, errors


def test_a_row_the_database_refuses_rolls_back_the_rows_before_it(
    school, candidate_class, send, monkeypatch
) -> None:
    from django.db import DataError

    from dangjian.learning import services

    real = services.enrolment_record

    def refuse_the_second(**kwargs):
        if kwargs["enrolment"].person == school.candidate_no_case:
            raise DataError("value too long for type character varying(10)")
        return real(**kwargs)

    content = xlsx(rows(school), headers=HEADERS)
    assert send(candidate_class, content).result["can_commit"]
    monkeypatch.setattr(services, "enrolment_record", refuse_the_second)
    done = send(candidate_class, content, commit=True)
    assert done.result["message"].startswith("第 3 行 有内容超出允许的长度或范围")
    assert "character varying" not in done.result["message"] and "未导入任何数据" in done.result["message"]
    assert not Enrolment.objects.exists()


def test_a_formula_cell_is_named_as_a_formula(school, candidate_class, send) -> None:
    checked = send(
        candidate_class, xlsx([[school.candidate.staff_number, "陈发展", "=10+14", "", ""]], HEADERS)
    )
    assert "第 2 行 出勤学时: 不能是公式" in checked.row_errors, checked.row_errors


def test_a_macro_workbook_is_refused_by_the_page_before_it_is_stored(
    school, candidate_class, login, college_organizer
) -> None:
    content = xlsx(rows(school), HEADERS)
    response = login(college_organizer).post(
        reverse("learning:import", args=[candidate_class.pk]),
        {"file": SimpleUploadedFile("enrolments.xlsm", content)},
    )
    assert response.status_code == 200 and "启用宏" in response.content.decode()
    assert not Job.objects.exists()


def test_confirming_the_same_preview_twice_starts_one_commit(
    school, candidate_class, send, login, college_organizer, django_capture_on_commit_callbacks
) -> None:
    checked = send(candidate_class, xlsx(rows(school), HEADERS))
    client = login(college_organizer)
    url = reverse("learning:import_commit", args=[candidate_class.pk, checked.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {"mode": "all"})
        second = client.post(url, {"mode": "all"})
    assert first["Location"] == second["Location"]
    assert Job.objects.filter(params__mode="commit").count() == 1
    assert Enrolment.objects.filter(training_class=candidate_class).count() == 2
