"""Under real concurrency (PostgreSQL): ten identical "确认导入" posts start one commit, write every row
once, and all land on the first commit's page."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse

from dangjian.core.models import Person
from dangjian.jobs.models import Job
from dangjian.jobs.services import job_run, job_start
from tests.race import parallel_posts
from tests.spreadsheets.test_people_import import row, xlsx

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_ten_parallel_commits_of_one_dry_run_start_one_commit(world, college_organizer) -> None:
    checked = job_start(
        kind="people_import",
        user=college_organizer,
        title="导入人员预检",
        params={"mode": "dry_run"},
        input_file=ContentFile(xlsx([row(1), row(2), row(3)]), name="people.xlsx"),
    )
    job_run(checked.pk)
    responses = parallel_posts(
        college_organizer, reverse("core:import_commit", args=[checked.pk]), {"mode": "all"}
    )
    commits = Job.objects.filter(params__dry_run_job=checked.pk)
    assert commits.count() == 1
    first = commits.get()
    assert all(r.status_code == 302 for r in responses), responses
    assert {r["Location"] for r in responses} == {reverse("jobs:detail", args=[first.pk])}
    first.refresh_from_db()
    assert first.status == "succeeded", first.error_message
    assert Person.objects.filter(staff_number__startswith="IMP").count() == 3
