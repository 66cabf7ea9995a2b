"""The one import flow (``spreadsheets.views`` and ``spreadsheets.jobs``) driven by an ``ImportKind``: the
template, a dry run that writes nothing, the commit (all or nothing, or the valid rows where the kind
allows), row errors and warnings, a kind about one record, and who is refused."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dangjian import hooks
from dangjian.jobs.models import Job
from dangjian.jobs.registry import handler_for
from dangjian.jobs.services import job_start
from tests.spreadsheets.flow_kinds import GROUPS, MEMBERS, SPEC

pytestmark = pytest.mark.urls("tests.spreadsheets.flow_urls")


@pytest.fixture(autouse=True)
def kinds():
    with hooks.imports.contributed(GROUPS, MEMBERS):
        yield


def xlsx(*rows: tuple[str, str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(SPEC.headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def send(login, college_organizer, django_capture_on_commit_callbacks):
    """Upload to a page (a dry-run job); with ``commit`` ("all" or "valid_only"), then commit it."""

    def _send(content: bytes, *, commit: str = "", user=None, page=("flow:import", [])) -> Job:
        client = login(user or college_organizer)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse(page[0], args=page[1]), {"file": SimpleUploadedFile("g.xlsx", content)}
            )
        assert response.status_code == 302, response.content.decode()[:300]
        job = Job.objects.latest("id")
        if commit:
            with django_capture_on_commit_callbacks(execute=True):
                client.post(job.result["commit_url"], {"mode": commit})
            job = Job.objects.latest("id")
        return job

    return _send


def summary(job: Job) -> dict[str, int]:
    return dict(job.result["summary"])


def test_the_page_names_the_template_the_steps_and_the_columns(login, college_organizer) -> None:
    page = login(college_organizer).get(reverse("flow:import")).content.decode()
    assert f'href="{reverse("flow:import_template")}"' in page and f'href="{reverse("flow:home")}"' in page
    assert "导入测试组" in page and "上传后先预检；备注只是提醒。" in page and "组名" in page
    assert "任何一行出错都不写入" in page and "也可以只导入无误的行" not in page


def test_the_template_is_a_workbook_with_the_kinds_file_name(login, college_organizer) -> None:
    response = login(college_organizer).get(reverse("flow:import_template"))
    assert response["Content-Disposition"] == 'attachment; filename="groups-template.xlsx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [c.value for c in load_workbook(io.BytesIO(response.content)).active[1]] == ["组名", "备注"]


def test_the_dry_run_writes_nothing_and_answers_row_by_row(send) -> None:
    checked = send(xlsx(("一组", ""), ("坏组", ""), ("二组", "晚了")))
    assert checked.status == "succeeded" and checked.title == "导入测试组预检：g.xlsx"
    assert not Group.objects.exists()
    assert summary(checked) == {"新增": 2, "有提醒": 1, "错误": 1}
    assert checked.row_errors == ["第 3 行 组名: 不能以“坏”开头", "第 4 行 提醒：备注：晚了"]
    assert checked.result["message"] == "预检完成：没有写入任何数据。请修正错误行后重新上传。"
    assert checked.result["can_commit"] is False and checked.result["can_commit_valid"] is False
    assert checked.result["commit_url"] == reverse("flow:import_commit", args=[checked.pk])
    sheet = load_workbook(io.BytesIO(checked.result_file.read())).active
    assert [c.value for c in sheet[1]] == ["组名", "备注", "处理结果", "错误", "提醒"]
    assert [c.value for c in sheet[3]][2:4] == ["错误", "组名: 不能以“坏”开头"]
    assert [c.value for c in sheet[4]][2:] == ["新增", None, "备注：晚了"]


def test_a_clean_file_is_committed_whole(send) -> None:
    checked = send(xlsx(("一组", ""), ("二组", "晚了")))
    assert checked.result["can_commit"] and checked.row_errors == ["第 3 行 提醒：备注：晚了"]
    done = send(xlsx(("一组", ""), ("二组", "晚了")), commit="all")
    assert done.result["message"] == "导入完成。" and done.title.startswith("导入测试组：g")
    assert summary(done) == {"已新增": 2, "有提醒": 1}
    assert set(Group.objects.values_list("name", flat=True)) == {"一组", "二组"}


def test_one_bad_row_writes_nothing_even_when_the_valid_rows_are_asked_for(send) -> None:
    done = send(xlsx(("一组", ""), ("坏组", "")), commit="valid_only")
    assert done.params.get("valid_only") is None  # the kind imports all rows or none
    assert done.result["message"] == "文件中有错误行，未导入任何数据。"
    assert summary(done) == {"已新增": 0, "有提醒": 0}
    assert not Group.objects.exists()


def test_a_row_refused_while_writing_rolls_back_the_rows_before_it(send, monkeypatch) -> None:
    from django.db import IntegrityError

    real = Group.objects.create

    def clash(**kwargs):
        if kwargs["name"] == "二组":
            raise IntegrityError("duplicate key value")
        return real(**kwargs)

    content = xlsx(("一组", ""), ("二组", "晚了"))
    checked = send(content)
    monkeypatch.setattr(Group.objects, "create", clash)
    done = send(content, commit="all")
    assert (
        done.result["message"].startswith("第 3 行 与已有记录冲突")
        and "未导入任何数据" in done.result["message"]
    )
    assert done.row_errors == [done.result["message"].replace("。未导入任何数据。", "")]  # no warnings
    assert checked.status == "succeeded" and not Group.objects.exists()


def test_a_kind_about_one_record_keeps_it_on_its_jobs_and_imports_the_valid_rows(
    send, login, college_organizer
) -> None:
    team = Group.objects.create(name="总队")
    page = ("flow:members", [team.pk])
    html = login(college_organizer).get(reverse(*page[:1], args=page[1])).content.decode()
    assert "导入组员：总队" in html and "也可以只导入无误的行" in html
    assert reverse("flow:members_template", args=[team.pk]) in html
    checked = send(xlsx(("一组", ""), ("坏组", "")), page=page)
    assert checked.title == "导入组员预检：总队" and checked.params["group_id"] == team.pk
    assert checked.result["commit_url"] == reverse("flow:members_commit", args=[team.pk, checked.pk])
    assert checked.result["can_commit_valid"] is True
    assert "或只导入无误的行" in checked.result["message"]
    done = send(xlsx(("一组", ""), ("坏组", "")), page=page, commit="valid_only")
    assert done.title == "导入组员：总队"
    assert summary(done) == {"已新增": 1, "已更新": 0, "无变化": 0, "未导入": 1}
    assert (
        Group.objects.filter(name="总队-一组").exists()
        and not Group.objects.filter(name__contains="坏").exists()
    )


def test_outsiders_are_refused_on_every_page(
    send, login, college_organizer, member_user, outsider_organizer
) -> None:
    team = Group.objects.create(name="总队")
    foreign = Group.objects.create(name="外队")
    checked = send(xlsx(("一组", "")))
    member_check = send(xlsx(("一组", "")), page=("flow:members", [team.pk]))
    refused = login(member_user)
    for url in (
        reverse("flow:import"),
        reverse("flow:import_template"),
        reverse("flow:members", args=[team.pk]),
        reverse("flow:members_template", args=[team.pk]),
    ):
        assert refused.get(url).status_code == 404, url
        assert (
            refused.post(url, {"file": SimpleUploadedFile("g.xlsx", xlsx(("一组", "")))}).status_code == 404
        )
    for client in (refused, login(outsider_organizer)):  # another user's dry run
        assert (
            client.post(reverse("flow:import_commit", args=[checked.pk]), {"mode": "all"}).status_code == 404
        )
    owner = login(college_organizer)
    for url in (  # a record outside the scope, a kind's page under a URL it does not name
        reverse("flow:members", args=[foreign.pk]),
        reverse("flow:members_template", args=[foreign.pk]),
        reverse("flow:elsewhere"),
    ):
        assert owner.get(url).status_code == 404, url
    for url in (  # the dry run of another kind, or of another record of the kind
        reverse("flow:import_commit", args=[member_check.pk]),
        reverse("flow:members_commit", args=[team.pk, checked.pk]),
        reverse("flow:members_commit", args=[foreign.pk, member_check.pk]),
        reverse("core:import_commit", args=[checked.pk]),
    ):
        assert owner.post(url, {"mode": "all"}).status_code == 404, url
    assert (
        Job.objects.filter(params__mode="commit").count() == 0
        and not Group.objects.exclude(name__in=["总队", "外队"]).exists()
    )


def test_a_macro_workbook_is_refused_before_it_is_stored(login, college_organizer) -> None:
    response = login(college_organizer).post(
        reverse("flow:import"), {"file": SimpleUploadedFile("g.xlsm", xlsx(("一组", "")))}
    )
    assert response.status_code == 200 and "启用宏" in response.content.decode()
    assert not Job.objects.exists()


def test_every_kind_of_import_runs_the_one_job(world, college_organizer) -> None:
    from dangjian.spreadsheets.jobs import run_import

    assert handler_for("flow_groups") is run_import
    job_start(kind="flow_groups", user=college_organizer, title="x", params={"mode": "dry_run"})
    with pytest.raises(KeyError):
        handler_for("flow_nothing")
