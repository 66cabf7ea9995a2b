"""Background jobs: progress, cancel, ownership, and a job killed half way resuming to the same end state."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from dangjian.core import services
from dangjian.core.models import Person
from dangjian.jobs.models import Job
from dangjian.jobs.services import job_cancel, job_retry, job_start
from tests.spreadsheets.test_people_import import row, xlsx


def _commit_job(user, rows: int, capture) -> Job:
    with capture(execute=True):
        job = job_start(
            kind="people_import",
            user=user,
            title="导入",
            params={"mode": "commit"},
            input_file=ContentFile(xlsx([row(i) for i in range(rows)]), name="p.xlsx"),
        )
    job.refresh_from_db()
    return job


def test_a_job_killed_half_way_writes_nothing_and_its_retry_writes_every_row_once(
    world, college_organizer, monkeypatch, settings, django_capture_on_commit_callbacks
) -> None:
    real_create = services.people_create_bulk
    calls = {"n": 0}

    def crash_on_the_second_batch(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker lost")
        return real_create(**kwargs)

    monkeypatch.setattr(services, "people_create_bulk", crash_on_the_second_batch)
    settings.IMPORT_BATCH_SIZE = 5  # the first batch is written, the second dies: both are rolled back
    job = _commit_job(college_organizer, 12, django_capture_on_commit_callbacks)
    assert job.status == "failed" and "worker lost" in job.error_message
    assert not Person.objects.filter(staff_number__startswith="IMP").exists()
    monkeypatch.setattr(services, "people_create_bulk", real_create)
    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job=job, user=college_organizer)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error_message
    assert Person.objects.filter(staff_number__startswith="IMP").count() == 12
    assert job.attempts == 2


def test_cancel_a_pending_job(world, college_organizer) -> None:
    job = job_start(kind="people_import", user=college_organizer, title="导入", params={"mode": "dry_run"})
    job_cancel(job=job, user=college_organizer)
    assert job.status == "cancelled"


def test_jobs_are_private_to_their_owner(
    world, login, college_organizer, school_admin, django_capture_on_commit_callbacks
) -> None:
    job = _commit_job(college_organizer, 1, django_capture_on_commit_callbacks)
    owner = login(college_organizer)
    assert owner.get(reverse("jobs:list")).status_code == 200
    assert owner.get(reverse("jobs:detail", args=[job.pk])).status_code == 200
    progress = owner.get(reverse("jobs:progress", args=[job.pk]))
    assert progress.status_code == 200 and "progress-bar" in progress.content.decode()
    other = login(school_admin)
    for name in ("jobs:detail", "jobs:progress", "jobs:result"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404
    for name in ("jobs:cancel", "jobs:retry"):
        assert other.post(reverse(name, args=[job.pk])).status_code == 404


def test_unknown_job_kind_is_refused_at_once(world, college_organizer) -> None:
    with pytest.raises(KeyError):
        job_start(kind="nope", user=college_organizer, title="x")


def test_a_database_failure_is_told_in_chinese_not_in_the_databases_words(
    world, college_organizer, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from django.db import OperationalError

    def lost(**kwargs):
        raise OperationalError('server closed the connection unexpectedly at "pg_catalog"')

    monkeypatch.setattr(services, "people_create_bulk", lost)
    job = _commit_job(college_organizer, 3, django_capture_on_commit_callbacks)
    assert job.status == "failed"
    assert job.error_message.startswith("数据库未能完成该任务") and "pg_catalog" not in job.error_message
    assert not Person.objects.filter(staff_number__startswith="IMP").exists()
