"""Importing people from Excel: template, dry run, commit, idempotency, and every kind of bad file."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from dangjian.audit.models import AuditEvent
from dangjian.core import services
from dangjian.core.idnumbers import make_id_number
from dangjian.core.imports import PEOPLE
from dangjian.core.models import Person
from dangjian.jobs.models import Job
from dangjian.jobs.services import job_start

HEADERS = PEOPLE.headers


def xlsx(rows: list[list[object]], headers: list[str] | None = None, merge: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers if headers is not None else HEADERS)
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row(
    n: int, *, org: str = "CS-T1", birth: object = None, number: str | None = None, **over: object
) -> list:
    idn = (
        number if number is not None else make_id_number("110101", date(1990, 1, 1), 2 * n + 1, female=False)
    )
    values = {
        "姓名": f"导入{n}",
        "工号/学号": f"IMP{n:04d}",
        "身份证号码": idn,
        "性别": "男",
        "出生日期": birth,
        "民族": "汉族",
        "人员类别": "教职工",
        "所在党支部代码": org,
        "所在单位": "计算机学院",
        "手机号码": "13800000000",
        "学历": "研究生",
    }
    values.update({k: v for k, v in over.items()})
    return [values[h] for h in HEADERS]


def summary(job: Job) -> dict[str, int]:
    return dict(job.result["summary"])


def test_template_has_headers_choices_and_instructions(world, login, college_organizer) -> None:
    response = login(college_organizer).get(reverse("core:import_template", args=["people"]))
    wb = load_workbook(io.BytesIO(response.content))
    sheet = wb.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.data_validations.dataValidation  # drop-down lists for choice columns
    assert wb.sheetnames[1] == "填写说明"


def test_dry_run_writes_nothing_then_commit_imports_and_reimport_changes_nothing(world, upload) -> None:
    content = xlsx([row(1), row(2, birth="1990/1/1"), row(3, birth="1990年1月1日")])
    people_before = Person.objects.count()
    checked = upload(content)
    assert checked.status == "succeeded", checked.error_message
    assert summary(checked) == {"新增": 3, "更新": 0, "无变化": 0, "错误": 0}
    assert Person.objects.count() == people_before
    done = upload.commit(checked)
    assert done.status == "succeeded" and summary(done)["已新增"] == 3
    assert Person.objects.count() == people_before + 3
    assert AuditEvent.objects.filter(action="person.create", actor=done.created_by).count() == 3
    again = upload(content)
    assert summary(again) == {"新增": 0, "更新": 0, "无变化": 3, "错误": 0}


def test_update_by_staff_number(world, upload) -> None:
    upload.commit(upload(xlsx([row(1)])))
    checked = upload(xlsx([row(1, **{"手机号码": "13911112222"})]))
    assert summary(checked)["更新"] == 1
    upload.commit(checked)
    assert Person.objects.get(staff_number="IMP0001").phone == "13911112222"


def test_cells_are_normalised(world, upload) -> None:
    content = xlsx(
        [row(1, **{"工号/学号": " ＩＭＰ０００１ ", "手机号码": "１３８００００００００", "出生日期": 32874})]
    )
    checked = upload(content)  # 32874 is the Excel serial number of 1990-01-01
    assert summary(checked)["新增"] == 1, checked.row_errors
    upload.commit(checked)
    person = Person.objects.get(staff_number="IMP0001")
    assert person.phone == "13800000000" and person.birth_date == date(1990, 1, 1)


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"身份证号码": "110101199001010011"}, "第 2 行 身份证号码: 身份证号码校验位不正确"),
        ({"出生日期": "1991-02-03"}, "第 2 行 出生日期: 与身份证号码不一致"),
        ({"出生日期": "2026-02-30"}, "第 2 行 出生日期: 日期“2026-02-30”不存在"),
        ({"出生日期": "去年"}, "第 2 行 出生日期: 无法识别日期"),
        ({"性别": "未知"}, "第 2 行 性别: “未知”不是可选值"),
        ({"姓名": ""}, "第 2 行 姓名: 必填"),
        (
            {"所在党支部代码": "FL-T1"},
            "第 2 行 所在党支部代码: “FL-T1”不存在、不是党支部或不在您的管理范围内",
        ),
        ({"所在党支部代码": "CS"}, "不是党支部"),
        ({"手机号码": "12345"}, "第 2 行 手机号码: 格式不正确"),
    ],
)
def test_row_errors_are_reported_per_row_and_block_the_import(world, upload, over, message) -> None:
    checked = upload(xlsx([row(1, **over)]))
    assert summary(checked)["错误"] == 1
    assert any(message in line for line in checked.row_errors), checked.row_errors
    done = upload.commit(checked)
    assert summary(done).get("已新增", 0) == 0
    assert not Person.objects.filter(staff_number="IMP0001").exists()


def test_duplicate_keys_in_file_and_valid_rows_only(world, upload) -> None:
    checked = upload(xlsx([row(1), row(2, **{"工号/学号": "IMP0001"}), row(3)]))
    assert any("与第 2 行重复" in line for line in checked.row_errors)
    assert checked.result["can_commit"] is False and checked.result["can_commit_valid"] is True
    done = upload.commit(checked, mode="valid_only")
    assert summary(done)["已新增"] == 2
    assert Person.objects.filter(staff_number__startswith="IMP").count() == 2


def test_staff_number_of_someone_outside_scope_is_refused(world, upload) -> None:
    checked = upload(xlsx([row(1, **{"工号/学号": world.fl_member.staff_number})]))
    assert any("管理范围以外" in line for line in checked.row_errors)


def test_id_number_of_another_person_is_refused(world, upload) -> None:
    from dangjian.core import crypto

    number = crypto.decrypt(world.member.id_number_encrypted)
    checked = upload(xlsx([row(1, number=number, **{"出生日期": None, "性别": "女"})]))
    assert any("身份证号码已登记在人员“李晓红”" in line for line in checked.row_errors)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"name,staff\n1,2\n", "people.xlsx", "这不是 .xlsx 文件"),
        (b"MZ\x90\x00binary", "people.xlsx", "这不是 .xlsx 文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "people.xlsx", "文件已加密"),
        (b"", "people.xlsx", "文件是空的"),
        (b"PK\x03\x04garbage", "people.xlsx", "无法读取该文件"),
    ],
)
def test_bad_files_are_refused_on_upload_and_nothing_is_stored(world, upload, content, name, message) -> None:
    people, jobs = Person.objects.count(), Job.objects.count()
    response = upload.client.post(
        reverse("core:import", args=["people"]), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert Job.objects.count() == jobs and Person.objects.count() == people


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,staff\n1,2\n", "这不是 .xlsx 文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "文件已加密"),
        (b"PK\x03\x04garbage", "无法读取该文件"),
    ],
)
def test_a_bad_file_that_reaches_a_job_fails_it_with_the_reason(
    world, college_organizer, django_capture_on_commit_callbacks, content, message
) -> None:
    people = Person.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            kind="people_import",
            user=college_organizer,
            title="导入",
            params={"mode": "dry_run"},
            input_file=ContentFile(content, name="people.xlsx"),
        )
    job.refresh_from_db()
    assert job.status == "failed" and message in job.error_message
    assert Person.objects.count() == people


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ([*HEADERS[:-1], "学历层次"], "多出或改名的列：学历层次"),
        (HEADERS[:-1], "缺少列：学历"),
        ([*HEADERS, "备注"], "多出或改名的列：备注"),
        ([HEADERS[1], HEADERS[0], *HEADERS[2:]], "列的顺序与模板不同"),
    ],
)
def test_header_problems(world, upload, headers, message) -> None:
    job = upload(xlsx([["x"] * len(headers)], headers=headers))
    assert job.status == "failed" and message in job.error_message


def test_empty_sheet_merged_cells_and_too_many_rows(world, upload, settings) -> None:
    assert "只有表头" in upload(xlsx([])).error_message
    assert "合并单元格" in upload(xlsx([row(1), row(2)], merge="A2:B2")).error_message
    settings.IMPORT_MAX_ROWS = 2
    assert "超过上限 2" in upload(xlsx([row(1), row(2), row(3)])).error_message


def test_file_over_the_size_limit(world, upload, settings) -> None:
    settings.IMPORT_MAX_BYTES = 1000
    response = upload.client.post(
        reverse("core:import", args=["people"]), {"file": SimpleUploadedFile("big.xlsx", xlsx([row(1)] * 50))}
    )
    assert response.status_code == 200 and "上限" in response.content.decode()


def test_error_sheet_is_downloadable(world, upload) -> None:
    checked = upload(xlsx([row(1, **{"性别": "?"})]))
    response = upload.client.get(reverse("jobs:result", args=[checked.pk]))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    last = [c.value for c in wb.worksheets[0][2]]
    assert last[-2] == "错误" and "性别" in last[-1]


def test_outsider_cannot_see_or_commit_someone_elses_import(world, upload, login, outsider_organizer) -> None:
    checked = upload(xlsx([row(1)]))
    other = login(outsider_organizer)
    assert other.get(reverse("jobs:detail", args=[checked.pk])).status_code == 404
    assert other.post(reverse("core:import_commit", args=[checked.pk])).status_code == 404
    assert not Person.objects.filter(staff_number="IMP0001").exists()


def test_member_cannot_import(world, login, member_user) -> None:
    assert login(member_user).get(reverse("core:import", args=["people"])).status_code == 404


def test_a_job_speaks_the_language_of_the_person_who_started_it(
    world, college_organizer, django_capture_on_commit_callbacks
) -> None:
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            kind="people_import",
            user=college_organizer,
            title="import",
            params={"mode": "dry_run"},
            input_file=ContentFile(b"name,staff\n1,2\n", name="people.xlsx"),
        )
    job.refresh_from_db()
    assert job.error_message.startswith("This is not an .xlsx file")


def test_the_upload_page_speaks_the_language_of_the_person(world, upload) -> None:
    upload.client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = upload.client.post(
        reverse("core:import", args=["people"]), {"file": SimpleUploadedFile("p.xlsx", b"name,staff\n1,2\n")}
    )
    assert "This is not an .xlsx file" in response.content.decode()


def test_same_id_number_twice_in_one_file_is_caught_by_the_dry_run(world, upload) -> None:
    number = make_id_number("110101", date(1990, 1, 1), 7, female=False)
    checked = upload(xlsx([row(1, number=number), row(2, number=number.lower())]))
    assert any("第 3 行 身份证号码: 与第 2 行重复" in line for line in checked.row_errors), checked.row_errors


def test_new_rows_go_through_the_bulk_path_with_history_and_audit(world, upload, settings) -> None:
    settings.IMPORT_BATCH_SIZE = 4
    done = upload.commit(upload(xlsx([row(n) for n in range(1, 11)])))
    assert summary(done)["已新增"] == 10
    created = Person.objects.filter(staff_number__startswith="IMP")
    assert created.count() == 10
    assert all(p.history.count() == 1 for p in created)
    assert AuditEvent.objects.filter(action="person.create", actor=done.created_by).count() == 10
    assert {p.name_initials for p in created} == {"dr"}  # pinyin filled in bulk too


def test_a_refused_bulk_batch_falls_back_to_row_by_row(world, upload, monkeypatch) -> None:
    from django.core.exceptions import ValidationError

    from dangjian.core import services

    def refuse(**kwargs):
        raise ValidationError("simulated clash")

    monkeypatch.setattr(services, "people_create_bulk", refuse)
    done = upload.commit(upload(xlsx([row(1), row(2)])))
    assert summary(done)["已新增"] == 2 and Person.objects.filter(staff_number__startswith="IMP").count() == 2


def test_a_second_commit_of_the_same_dry_run_returns_the_first_commit(world, upload) -> None:
    checked = upload(xlsx([row(1), row(2)]))
    first = upload.commit(checked)
    response = upload.client.post(reverse("core:import_commit", args=[checked.pk]), {"mode": "valid_only"})
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[first.pk])
    assert Job.objects.filter(params__dry_run_job=checked.pk).count() == 1
    assert Person.objects.filter(staff_number__startswith="IMP").count() == 2


def test_an_import_of_updates_goes_through_the_bulk_path(world, upload, monkeypatch) -> None:
    upload.commit(upload(xlsx([row(n) for n in range(1, 6)])))
    calls = []
    real = services.people_update_bulk
    monkeypatch.setattr(services, "people_update_bulk", lambda **kw: calls.append(kw) or real(**kw))
    monkeypatch.setattr(services, "person_update", lambda **kw: pytest.fail("row by row"))
    checked = upload(xlsx([row(n, **{"手机号码": "13911112222"}) for n in range(1, 6)]))
    assert summary(checked)["更新"] == 5
    done = upload.commit(checked)
    assert summary(done)["已更新"] == 5 and len(calls) == 1
    assert set(Person.objects.filter(staff_number__startswith="IMP").values_list("phone", flat=True)) == {
        "13911112222"
    }
    assert AuditEvent.objects.filter(action="person.update", actor=done.created_by).count() == 5
