"""体检报告: each indicator with last period and the peers' median, problems named by the index line
they fall below, open warnings; as a page and an A4 PDF; a college sends its branches' reports in one
job; outsiders 404; the page's queries do not grow with the branches."""

from __future__ import annotations

import zipfile
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.hooks import Reading
from dangjian.insights.indices.services import indices_compute
from dangjian.insights.models import Alert, IndexVersion
from dangjian.insights.periods import parse
from dangjian.insights.reports.build import health_report
from dangjian.jobs.models import Job
from dangjian.workbench.models import Notification

pytestmark = pytest.mark.django_db
NOW = "2026-11-29 12:00+08:00"


def _setup(world, readings) -> None:
    IndexVersion.objects.create(
        index="basic",
        effective_from=date(2025, 1, 1),
        components=[
            {"indicator": "test.ratio", "weight": 0.5, "zero": 0, "full": 1},
            {"indicator": "test.score", "weight": 0.5, "zero": 0, "full": 100},
        ],
    )
    readings["test.ratio"] = {
        world.cs_branch.pk: Reading(0.4, 2, 5),
        world.cs_branch2.pk: Reading(0.8, 4, 5),
        world.fl_branch.pk: Reading(1.0, 1, 1),
    }
    readings["test.score"] = {world.cs_branch.pk: Reading(90), world.cs_branch2.pk: Reading(70)}
    indices_compute(actor=None, scope=Scope.system(), period=parse("2026Q4"), today=date(2026, 11, 29))
    readings["test.ratio"] = {world.cs_branch.pk: Reading(0.2, 1, 5)}
    indices_compute(actor=None, scope=Scope.system(), period=parse("2026Q3"), today=date(2026, 11, 29))
    Alert.objects.create(
        source="test.source",
        key="x",
        organization=world.cs_branch,
        summary="某某 已连续 6 个月未参加组织生活",
        rule="党章 第九条",
        raised_on=date(2026, 11, 1),
        last_seen_on=date(2026, 11, 28),
    )


@time_machine.travel(NOW, tick=False)
def test_the_report_compares_and_names_the_problems(world, fake_indicators) -> None:
    _setup(world, fake_indicators)
    report = health_report(world.cs_branch, parse("2026Q4"), date(2026, 11, 29))
    line = next(x for s in report.sections for x in s.lines if x.code == "test.ratio")
    assert (line.value, line.previous, line.peers) == (0.4, 0.2, 0.6)  # peers: the college's two branches
    assert line.trend == "up"
    assert "低于关注线 60 分" in line.problem  # 40 points on 基本状况指数
    score = next(x for s in report.sections for x in s.lines if x.code == "test.score")
    assert score.problem == ""
    assert [w.count for w in report.warning_counts] == [1]
    assert report.problem_count == 2


@time_machine.travel(NOW, tick=False)
def test_the_report_page_and_pdf(world, fake_indicators, branch_secretary, outsider_organizer, login) -> None:
    _setup(world, fake_indicators)
    page = login(branch_secretary).get(
        reverse("insights:report", args=[world.cs_branch.pk]) + "?period=2026Q4"
    )
    assert page.status_code == 200 and "已连续 6 个月" in page.content.decode()
    pdf = login(branch_secretary).get(
        reverse("insights:report_pdf", args=[world.cs_branch.pk]) + "?period=2026Q4"
    )
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert (
        login(outsider_organizer).get(reverse("insights:report", args=[world.cs_branch.pk])).status_code
        == 404
    )
    assert (
        login(outsider_organizer).get(reverse("insights:report_pdf", args=[world.cs_branch.pk])).status_code
        == 404
    )


@time_machine.travel(NOW, tick=False)
def test_a_college_sends_its_branches_reports(
    world,
    fake_indicators,
    college_organizer,
    branch_secretary,
    outsider_organizer,
    login,
    django_capture_on_commit_callbacks,
) -> None:
    _setup(world, fake_indicators)
    url = reverse("insights:reports_send", args=[world.cs.pk])
    assert login(outsider_organizer).post(url, {"period": "2026Q4"}).status_code == 404
    mine = reverse("insights:reports_send", args=[world.cs_branch.pk])
    assert login(branch_secretary).post(mine, {"period": "2026Q4"}).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        answer = login(college_organizer).post(url, {"period": "2026Q4"})
    assert answer.status_code == 302
    job = Job.objects.get(kind="insights_reports")
    assert job.status == "succeeded", job.error_message
    with zipfile.ZipFile(job.result_file.open("rb")) as archive:
        assert len(archive.namelist()) == 2
    assert Notification.objects.filter(kind="insights.report").count() == 1  # the one branch with a secretary


@time_machine.travel(NOW, tick=False)
def test_the_report_page_queries_are_bounded(
    world, fake_indicators, college_organizer, login, django_assert_max_num_queries
) -> None:
    _setup(world, fake_indicators)
    client = login(college_organizer)
    client.get(reverse("insights:report", args=[world.cs.pk]))
    # 16 for the indicators, peers, warnings and the page; the modules' own sections at most 10 more
    # (组织生活 compliance 4, study hours 1, the 发展党员 funnel 5), whatever the size of the college.
    with django_assert_max_num_queries(26):
        assert (
            client.get(reverse("insights:report", args=[world.cs.pk]) + "?period=2026Q4").status_code == 200
        )


@time_machine.travel(NOW, tick=False)
def test_the_api_answers_the_pdf_in_scope(
    world, fake_indicators, college_organizer, outsider_organizer, login
) -> None:
    _setup(world, fake_indicators)
    url = f"/api/v1/reports/{world.cs_branch.pk}/health.pdf?period=2026Q4"
    assert login(college_organizer).get(url).content.startswith(b"%PDF")
    assert login(outsider_organizer).get(url).status_code == 404
    assert (
        login(college_organizer).get(f"/api/v1/reports/{world.cs_branch.pk}/health.pdf?period=x").status_code
        == 400
    )


@time_machine.travel(NOW, tick=False)
def test_one_job_sends_at_most_a_college_worth_of_reports(
    world, fake_indicators, school_admin, login, monkeypatch
) -> None:
    from dangjian.insights.reports import jobs

    monkeypatch.setattr(jobs, "MAX_REPORTS", 2)  # the school has three branches
    answer = login(school_admin).post(
        reverse("insights:reports_send", args=[world.school.pk]), {"period": "2026Q4"}, follow=True
    )
    assert "请逐个院系下发体检报告" in answer.content.decode()
    assert not Job.objects.filter(kind="insights_reports").exists()


@time_machine.travel(NOW, tick=False)
def test_the_school_has_a_report_without_peers(world, fake_indicators, school_admin, login) -> None:
    _setup(world, fake_indicators)
    page = login(school_admin).get(reverse("insights:report", args=[world.school.pk]) + "?period=2026Q4")
    assert page.status_code == 200 and "无可比较的同级组织" in page.content.decode()
