from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.jobs.selectors import get_job_for, jobs_of
from dangjian.jobs.services import job_cancel, job_retry
from dangjian.kit.access_rules import access_rule, own, signed_in


@access_rule(signed_in())
@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(jobs_of(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"page": page, "title": _("我的任务")})


@access_rule(own())
@login_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_job_for(request.user, job_id)
    return render(request, "jobs/detail.html", {"job": job, "title": job.title})


@access_rule(own())
@login_required
def job_progress_partial(request: HttpRequest, job_id: int) -> HttpResponse:
    """Polled by htmx every second while the job runs; a finished job reloads the page once."""
    job = get_job_for(request.user, job_id)
    response = render(request, "jobs/progress.html", {"job": job})
    if job.is_finished and request.GET.get("was") != "finished":
        response["HX-Refresh"] = "true"
    return response


@access_rule(own())
@login_required
@require_POST
def job_cancel_view(request: HttpRequest, job_id: int) -> HttpResponse:
    job_cancel(job=get_job_for(request.user, job_id), user=request.user)
    return redirect("jobs:detail", job_id)


@access_rule(own())
@login_required
@require_POST
def job_retry_view(request: HttpRequest, job_id: int) -> HttpResponse:
    job_retry(job=get_job_for(request.user, job_id), user=request.user)
    return redirect("jobs:detail", job_id)


@access_rule(own())
@login_required
def job_result(request: HttpRequest, job_id: int) -> FileResponse:
    job = get_job_for(request.user, job_id)
    if not job.result_file:
        raise Http404
    return FileResponse(
        job.result_file.open("rb"), as_attachment=True, filename=job.result_file.name.rsplit("/", 1)[-1]
    )
