"""The upload-and-commit helper for the people import page, shared by the import tests."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.jobs.models import Job


@pytest.fixture
def upload(login, college_organizer, django_capture_on_commit_callbacks):
    client = login(college_organizer)

    def _upload(content: bytes, name: str = "people.xlsx") -> Job:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("core:import", args=["people"]), {"file": SimpleUploadedFile(name, content)}
            )
        assert response.status_code == 302, response.content.decode()[:500]
        return Job.objects.latest("id")

    def _commit(job: Job, mode: str = "all") -> Job:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("core:import_commit", args=[job.pk]), {"mode": mode})
        return Job.objects.latest("id")

    _upload.commit = _commit  # type: ignore[attr-defined]
    _upload.client = client  # type: ignore[attr-defined]
    return _upload
