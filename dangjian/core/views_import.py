"""People import pages: template download, upload (dry run as a job), commit."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangjian.accounts.decorators import requires
from dangjian.accounts.roles import Permission
from dangjian.core.imports import PEOPLE
from dangjian.jobs.selectors import get_job_for
from dangjian.jobs.services import job_start
from dangjian.spreadsheets.engine import template_workbook
from dangjian.spreadsheets.reader import max_bytes


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel 文件(.xlsx)"),
        error_messages={
            "empty": gettext_lazy("文件是空的。"),
            "required": gettext_lazy("请选择要上传的文件。"),
        },
    )


@login_required
@requires(Permission.MANAGE_PEOPLE)
def people_import(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > max_bytes():
            form.add_error("file", _("文件超过 %(m)s MB 的上限。") % {"m": max_bytes() // (1024 * 1024)})
        else:
            job = job_start(
                kind="people_import",
                user=request.user,
                title=_("人员导入预检：%(f)s") % {"f": upload.name},
                params={"mode": "dry_run"},
                input_file=upload,
            )
            return redirect("jobs:detail", job.pk)
    return render(request, "core/people_import.html", {"form": form, "spec": PEOPLE, "title": _("导入人员")})


@login_required
@requires(Permission.MANAGE_PEOPLE)
def people_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        template_workbook(PEOPLE),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="people-template.xlsx"'
    return response


@login_required
@requires(Permission.MANAGE_PEOPLE)
@require_POST
def people_import_commit(request: HttpRequest, job_id: int) -> HttpResponse:
    """Import the file of a finished dry run: all rows, or only the valid ones."""
    checked = get_job_for(request.user, job_id)
    if checked.kind != "people_import" or checked.params.get("mode") != "dry_run" or not checked.input_file:
        return redirect("jobs:detail", job_id)
    valid_only = request.POST.get("mode") == "valid_only"
    with checked.input_file.open("rb") as fileobj:
        copy = ContentFile(fileobj.read(), name=checked.input_file.name.rsplit("/", 1)[-1])
    job = job_start(
        kind="people_import",
        user=request.user,
        title=_("人员导入：%(t)s") % {"t": checked.title},
        params={"mode": "commit", "valid_only": valid_only, "dry_run_job": checked.pk},
        input_file=copy,
    )
    return redirect("jobs:detail", job.pk)
