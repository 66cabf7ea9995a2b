"""Graduates in bulk: problems listed, one job issues every letter (ZIP: merged PDF, one PDF per letter,
register), rows without a destination are reported, a re-run adds nothing."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from dangjian.core.models import PersonType
from dangjian.jobs.models import Job
from dangjian.jobs.services import job_retry
from dangjian.transfers.models import Letter, Transfer
from tests import factories as f


@pytest.fixture
def graduates(world):
    people = []
    for i in range(3):
        p = f.member(world.cs_branch2, f"毕业生{i}", person_type=PersonType.STUDENT, grade="2022")
        people.append(p)
    return people


def test_the_page_lists_candidates_and_starts_one_job(
    world, graduates, login, college_organizer, django_capture_on_commit_callbacks
) -> None:
    client = login(college_organizer)
    page = client.get(reverse("transfers:graduates") + f"?college={world.cs.pk}&grade=2022").content.decode()
    assert all(p.name in page for p in graduates)
    data = {f"pick-{p.pk}": "1" for p in graduates}
    data.update(
        {f"dest-{p.pk}": "中共某市某公司委员会" for p in graduates[:2]}
    )  # the third has no destination
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("transfers:graduates") + f"?college={world.cs.pk}&grade=2022", data)
    job = Job.objects.get(kind="graduate_letters")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert job.status == "succeeded", job.error_message
    assert Letter.objects.count() == 2 and any("缺少去向" in e for e in job.row_errors)
    archive = zipfile.ZipFile(io.BytesIO(job.result_file.read()))
    names = archive.namelist()
    assert (
        "letters-all.pdf" in names
        and "register.xlsx" in names
        and len([n for n in names if n.startswith("letters/")]) == 2
    )
    merged = PdfReader(io.BytesIO(archive.read("letters-all.pdf")))
    assert len(merged.pages) == 2 and "毕业生0" in merged.pages[0].extract_text()
    sheet = load_workbook(io.BytesIO(archive.read("register.xlsx"))).worksheets[0]
    assert sheet.max_row == 3
    # A re-run (e.g. after a crash) finds every transfer and letter again: nothing doubles.
    Job.objects.filter(pk=job.pk).update(status="failed")
    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job=Job.objects.get(pk=job.pk), user=college_organizer)
    assert Transfer.objects.count() == 2 and Letter.objects.count() == 2


def test_outsiders_cannot_open_the_page(world, login, branch_secretary, outsider_organizer) -> None:
    assert login(branch_secretary).get(reverse("transfers:graduates")).status_code == 404
    page = (
        login(outsider_organizer)
        .get(reverse("transfers:graduates") + f"?college={world.cs.pk}")
        .content.decode()
    )
    assert "计算机学院" not in page.split("<select", 1)[1].split("</select>", 1)[0]


def test_graduates_without_a_destination_keep_their_membership_with_a_reminder(
    world, graduates, login, college_organizer, branch_secretary
) -> None:
    import time_machine

    from dangjian.transfers.models import GraduateKeep
    from dangjian.transfers.reminders import send_keep_reminders
    from dangjian.workbench.models import Notification

    url = reverse("transfers:graduates") + f"?college={world.cs.pk}&grade=2022"
    seen = {f"pick-{graduates[0].pk}": "1", f"state-{graduates[0].pk}": "none", "action": "keep"}
    login(college_organizer).post(url, seen)
    keep = GraduateKeep.objects.get(person=graduates[0])
    assert (keep.keep_until.year - keep.kept_from.year) == 2  # the policy's 2 years
    page = login(college_organizer).get(url).content.decode()
    assert "保留组织关系至" in page and f'name="state-{graduates[0].pk}" value="kept"' in page
    again = login(college_organizer).post(url, seen, follow=True)  # the same page submitted twice
    assert "该事项已由他人处理" in again.content.decode() and GraduateKeep.objects.count() == 1
    with time_machine.travel(keep.keep_until.replace(day=1), tick=False):
        assert send_keep_reminders(today=keep.keep_until.replace(day=1)) == 1
        assert send_keep_reminders(today=keep.keep_until.replace(day=1)) == 0  # once per threshold
    assert Notification.objects.filter(kind="graduate_keep", recipient=college_organizer).count() == 1


def test_a_probationer_with_steps_still_open_is_shown_as_a_problem(world, login, college_organizer) -> None:
    from dangjian.recruitment.models import Case

    p = f.member(
        world.cs_branch2,
        "预备毕业生",
        full=False,
        joined_on=date(2026, 6, 1),
        person_type=PersonType.STUDENT,
        grade="2022",
    )
    Case.objects.create(person=p, branch=world.cs_branch2, applied_on=date(2024, 3, 1), stage="probationary")
    page = (
        login(college_organizer)
        .get(reverse("transfers:graduates") + f"?college={world.cs.pk}&grade=2022")
        .content.decode()
    )
    assert "发展党员程序尚未完成" in page


def test_the_same_batch_submitted_twice_returns_the_first_job(
    world, graduates, login, college_organizer, django_capture_on_commit_callbacks
) -> None:
    client = login(college_organizer)
    url = reverse("transfers:graduates") + f"?college={world.cs.pk}&grade=2022"
    data = {f"pick-{graduates[0].pk}": "1", f"dest-{graduates[0].pk}": "中共某市某公司委员会"}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data)
        second = client.post(url, data)
    assert first.url == second.url and Job.objects.filter(kind="graduate_letters").count() == 1
    assert Letter.objects.count() == 1
    data[f"dest-{graduates[0].pk}"] = "中共另一单位委员会"  # a different batch is a new job
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data)
    assert Job.objects.filter(kind="graduate_letters").count() == 2
