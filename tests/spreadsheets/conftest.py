from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.jobs.models import Job


@pytest.fixture
def import_file(login, django_capture_on_commit_callbacks):
    """Upload a file to an import page as ``user`` (a dry-run job); with ``commit``, then import it."""

    def _import(user, name: str, content: bytes, commit: str | None = None) -> Job:
        client = login(user)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("core:import", args=[name]), {"file": SimpleUploadedFile(f"{name}.xlsx", content)}
            )
        job = Job.objects.latest("id")
        if commit:
            with django_capture_on_commit_callbacks(execute=True):
                client.post(reverse("core:import_commit", args=[job.pk]), {"mode": commit})
            job = Job.objects.latest("id")
        return job

    return _import
