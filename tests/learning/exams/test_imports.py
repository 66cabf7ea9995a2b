"""A question bank from Excel: the template, a dry run with per-row Chinese messages (nothing written),
then all rows or none; a row whose 题干 is in the bank updates that question."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from dangjian.jobs.models import Job
from dangjian.learning.exams.imports import QUESTIONS
from dangjian.learning.exams.models import Question

pytestmark = pytest.mark.django_db


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(QUESTIONS.headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD = [
    [
        "单选题",
        "党章党规",
        "1",
        "党的最高领导机关是？",
        "全国代表大会和中央委员会",
        "中央政治局",
        "",
        "",
        "",
        "",
        "A",
        "党章第十条",
    ],
    [
        "多选题",
        "理论学习",
        "2",
        "四个自信包括？",
        "道路自信",
        "理论自信",
        "制度自信",
        "文化自信",
        "",
        "",
        "ABCD",
        "",
    ],
    ["判断题", "党史", "", "遵义会议召开于1935年。", "", "", "", "", "", "", "正确", ""],
    [
        "填空题",
        "党章党规",
        "1",
        "入党介绍人一般由____名正式党员担任。",
        "",
        "",
        "",
        "",
        "",
        "",
        "两|2|二",
        "",
    ],
]


@pytest.fixture
def send(login, college_organizer, django_capture_on_commit_callbacks):
    def _send(org, content: bytes, commit: bool = False, user=None) -> Job:
        client = login(user or college_organizer)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("exams:import", args=[org.pk]), {"file": SimpleUploadedFile("bank.xlsx", content)}
            )
        job = Job.objects.latest("id")
        if commit:
            with django_capture_on_commit_callbacks(execute=True):
                client.post(reverse("exams:import_commit", args=[org.pk, job.pk]), {"mode": "all"})
            job = Job.objects.latest("id")
        return job

    return _send


def test_the_template_downloads(world, college_organizer, login) -> None:
    response = login(college_organizer).get(reverse("exams:import_template", args=[world.cs.pk]))
    assert response.status_code == 200


def test_a_dry_run_names_each_bad_row_and_writes_nothing(world, send) -> None:
    bad = [
        ["单选题", "党章党规", "1", "只有一个选项？", "甲", "", "", "", "", "", "A", ""],
        ["单选题", "党章党规", "1", "两个答案？", "甲", "乙", "", "", "", "", "AB", ""],
        ["填空题", "党史", "1", "没有答案____", "", "", "", "", "", "", "", ""],
        ["判断题", "党史", "1", "判断？", "", "", "", "", "", "", "也许", ""],
        ["单选题", "党章党规", "5", "难度不对？", "甲", "乙", "", "", "", "", "A", ""],
    ]
    job = send(world.cs, xlsx(GOOD + bad))
    text = "\n".join(job.row_errors)
    for message in (
        "选择题至少需要两个选项",
        "单选题只能有一个正确答案",
        "无法识别答案",
        "难度应为 1、2 或 3",
    ):
        assert message in text, message
    assert not Question.objects.exists()


def test_a_clean_file_is_imported_at_once_and_updates_by_text(world, send) -> None:
    send(world.cs, xlsx(GOOD), commit=True)
    assert Question.objects.filter(organization=world.cs).count() == 4
    fill = Question.objects.get(kind="fill")
    assert fill.answer == ["两", "2", "二"]
    changed = [row[:] for row in GOOD]
    changed[0][11] = "见党章"
    send(world.cs, xlsx(changed), commit=True)
    assert Question.objects.count() == 4
    assert Question.objects.get(kind="single").explanation == "见党章"


def test_an_outsider_cannot_import_into_the_bank(world, send, outsider_organizer, login) -> None:
    assert login(outsider_organizer).get(reverse("exams:import", args=[world.cs.pk])).status_code == 404
