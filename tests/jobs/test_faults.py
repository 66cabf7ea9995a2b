"""Faults survived (issue 19): a worker killed in the middle of an import or of the graduates' letters, and
the broker down when a job is started. A kill is a BaseException (as SystemExit when the worker is stopped):
nothing of the job's own error handling runs, the job stays "running", and the task is delivered again
(acks late) — the test's second ``job_run``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from kombu.exceptions import OperationalError as BrokerError

from dangjian.core import services
from dangjian.core.models import Person, PersonType
from dangjian.jobs import tasks
from dangjian.jobs.models import Job
from dangjian.jobs.services import job_requeue_stale, job_run, job_start
from dangjian.transfers import graduates as graduates_module
from dangjian.transfers.models import Letter, Transfer
from tests import factories as f
from tests.spreadsheets.test_people_import import row, xlsx


class Killed(BaseException):
    """The worker process dies here."""


def _queued_import(user, rows: int, capture) -> Job:
    """A commit job created but not run (its enqueue captured and dropped): the test plays the worker."""
    with capture(execute=False):
        job = job_start(
            kind="people_import",
            user=user,
            title="导入",
            params={"mode": "commit"},
            input_file=ContentFile(xlsx([row(i) for i in range(rows)]), name="p.xlsx"),
        )
    return job


def _imported() -> int:
    return Person.objects.filter(staff_number__startswith="IMP").count()


def test_a_worker_killed_before_the_import_commits_leaves_nothing_and_the_redelivery_imports_every_row_once(
    world, college_organizer, monkeypatch, settings, django_capture_on_commit_callbacks
) -> None:
    real_create = services.people_create_bulk
    calls = {"n": 0}

    def killed_on_the_second_batch(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise Killed
        return real_create(**kwargs)

    monkeypatch.setattr(services, "people_create_bulk", killed_on_the_second_batch)
    settings.IMPORT_BATCH_SIZE = 5
    job = _queued_import(college_organizer, 12, django_capture_on_commit_callbacks)
    with pytest.raises(Killed):
        job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "running" and _imported() == 0  # the first batch was rolled back with the rest
    monkeypatch.setattr(services, "people_create_bulk", real_create)
    job = job_run(job.pk)
    assert job.status == "succeeded", job.error_message
    assert _imported() == 12 and job.attempts == 2


def test_a_worker_killed_after_the_import_committed_is_rerun_without_importing_twice(
    world, college_organizer, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from dangjian.spreadsheets import jobs as import_jobs

    def killed_after_the_commit(*args, **kwargs):
        raise Killed

    job = _queued_import(college_organizer, 7, django_capture_on_commit_callbacks)
    real_lines = import_jobs.row_error_lines
    monkeypatch.setattr(import_jobs, "row_error_lines", killed_after_the_commit)
    with pytest.raises(Killed):
        job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "running" and _imported() == 7
    assert job.result["committed"]["new"] == 7  # written in the import's own transaction
    monkeypatch.setattr(import_jobs, "row_error_lines", real_lines)
    job = job_run(job.pk)
    assert job.status == "succeeded", job.error_message
    assert _imported() == 7
    assert job.result["summary"][0][1] == 7 and job.result["message"] == "导入完成。"


def test_two_runs_of_one_commit_cannot_both_write(
    world, college_organizer, django_capture_on_commit_callbacks
) -> None:
    from dangjian.spreadsheets.jobs import AlreadyCommitted, _mark_committed

    job = _queued_import(college_organizer, 1, django_capture_on_commit_callbacks)
    _mark_committed(job, {"new": 1, "updated": 0, "failed": 0})
    with pytest.raises(AlreadyCommitted):  # the slower run's transaction rolls back
        _mark_committed(job, {"new": 1, "updated": 0, "failed": 0})


@pytest.fixture
def five_graduates(world):
    return [
        f.member(world.cs_branch2, f"毕业生{i}", person_type=PersonType.STUDENT, grade="2022")
        for i in range(5)
    ]


def test_a_worker_killed_in_the_graduates_letters_is_rerun_with_no_double_and_no_gap_in_the_serials(
    world, five_graduates, college_organizer, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    real_issue = graduates_module.letter_issue
    calls = {"n": 0}

    def killed_after_the_third_serial(**kwargs):
        letter = real_issue(**kwargs)
        calls["n"] += 1
        if calls["n"] == 3:  # the serial is taken and the letter written, but the row never commits
            raise Killed
        return letter

    monkeypatch.setattr(graduates_module, "letter_issue", killed_after_the_third_serial)
    rows = [{"person": p.pk, "destination": "中共某市某公司委员会"} for p in five_graduates]
    with django_capture_on_commit_callbacks(execute=False):
        job = graduates_module.graduate_letters_start(
            actor=college_organizer, college=world.cs, rows=rows, title="毕业生介绍信"
        )
    with pytest.raises(Killed):
        job_run(job.pk)
    assert (
        Letter.objects.count() == 2 and Transfer.objects.count() == 2
    )  # two rows committed, one rolled back
    monkeypatch.setattr(graduates_module, "letter_issue", real_issue)
    job = job_run(job.pk)
    assert job.status == "succeeded", job.error_message
    assert Transfer.objects.count() == 5
    letters = list(Letter.objects.order_by("number"))
    assert [letter.number for letter in letters] == [1, 2, 3, 4, 5]  # contiguous: none skipped, none twice
    assert len({letter.transfer.person_id for letter in letters}) == 5
    assert job.result["summary"][0][1] == 5


def _broker_down(*args, **kwargs):
    raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_starting_a_job_while_the_broker_is_down_leaves_it_pending_instead_of_a_500(
    world, login, college_organizer, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    monkeypatch.setattr(tasks.run_job, "delay", _broker_down)
    client = login(college_organizer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("core:import", args=["people"]),
            {"file": ContentFile(xlsx([row(1)]), name="people.xlsx")},
        )
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    assert job.status == "pending"
    assert client.get(response.url).status_code == 200


def test_jobs_left_pending_are_sent_again_once_the_broker_is_back(
    world, college_organizer, monkeypatch, settings, django_capture_on_commit_callbacks
) -> None:
    monkeypatch.setattr(tasks.run_job, "delay", _broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            kind="people_import",
            user=college_organizer,
            title="导入",
            params={"mode": "commit"},
            input_file=ContentFile(xlsx([row(i) for i in range(3)]), name="p.xlsx"),
        )
    assert job_requeue_stale(older_than=timedelta(0)) == 0  # still down: left pending for the next sweep
    assert job_requeue_stale() == 0  # and a job queued just now is not stale yet
    monkeypatch.undo()  # the broker is back (eager here: the job runs at once)
    settings.JOB_REQUEUE_AFTER_MINUTES = 0
    call_command("requeue_jobs")
    job.refresh_from_db()
    assert job.status == "succeeded", job.error_message
    assert _imported() == 3
    assert job_requeue_stale(older_than=timedelta(0)) == 0  # nothing pending is left to send


def test_the_sweep_is_a_periodic_task() -> None:
    from config.celery import beat_schedule

    assert beat_schedule()["requeue-stale-jobs"]["task"] == "dangjian.jobs.tasks.requeue_stale_jobs"
