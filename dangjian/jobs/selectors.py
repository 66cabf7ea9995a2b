from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from dangjian.jobs.models import Job


def jobs_of(user: Any) -> QuerySet[Job]:
    """A user sees the jobs they started (results may hold personal data of their scope)."""
    return Job.objects.filter(created_by=user)


def get_job_for(user: Any, job_id: int) -> Job:
    try:
        return jobs_of(user).get(pk=job_id)
    except Job.DoesNotExist:
        raise Http404 from None
