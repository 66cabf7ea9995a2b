"""Import pages: template download, upload (a dry-run job), commit (a second job on the same file)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangjian.accounts.roles import Permission
from dangjian.core.imports import PEOPLE
from dangjian.core.imports_members import MEMBERS
from dangjian.core.imports_orgs import ORGS
from dangjian.core.imports_positions import POSITIONS
from dangjian.jobs.selectors import get_job_for
from dangjian.jobs.services import job_commit_start, job_start
from dangjian.spreadsheets.engine import template_workbook
from dangjian.spreadsheets.reader import FileRejected, check_upload
from dangjian.spreadsheets.spec import ImportSpec


@dataclass(frozen=True)
class ImportKind:
    spec: ImportSpec
    job_kind: str
    permission: Permission
    title: Any  # a lazy translation
    back_url: str


IMPORTS = {
    "people": ImportKind(
        PEOPLE, "people_import", Permission.MANAGE_PEOPLE, gettext_lazy("导入人员"), "core:person_list"
    ),
    "members": ImportKind(
        MEMBERS,
        "member_import",
        Permission.MANAGE_MEMBERSHIPS,
        gettext_lazy("导入党员档案"),
        "core:person_list",
    ),
    "positions": ImportKind(
        POSITIONS,
        "position_import",
        Permission.MANAGE_POSITIONS,
        gettext_lazy("导入党内职务"),
        "core:org_tree",
    ),
    "orgs": ImportKind(
        ORGS, "org_import", Permission.MANAGE_ORGS, gettext_lazy("导入党组织"), "core:org_tree"
    ),
}


def register_import_page(name: str, kind: ImportKind) -> None:
    """Other apps add their imports to the same pages (called from their AppConfig.ready)."""
    IMPORTS[name] = kind


def _kind_of_job(job_kind: str) -> ImportKind | None:
    return next((k for k in IMPORTS.values() if k.job_kind == job_kind), None)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel 文件(.xlsx)"),
        error_messages={
            "empty": gettext_lazy("文件是空的。"),
            "required": gettext_lazy("请选择要上传的文件。"),
        },
    )


def _kind(request: HttpRequest, name: str) -> ImportKind:
    kind = IMPORTS.get(name)
    if kind is None or not request.scope.has(kind.permission):  # type: ignore[attr-defined]
        raise Http404
    return kind


@login_required
def import_page(request: HttpRequest, name: str) -> HttpResponse:
    kind = _kind(request, name)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            upload.name = check_upload(upload)
        except FileRejected as exc:
            form.add_error("file", str(exc))
        else:
            job = job_start(
                kind=kind.job_kind,
                user=request.user,
                params={"mode": "dry_run"},
                input_file=upload,
                title=_("%(t)s预检：%(f)s") % {"t": kind.title, "f": upload.name},
            )
            return redirect("jobs:detail", job.pk)
    return render(
        request,
        "core/import.html",
        {"form": form, "kind": kind, "name": name, "title": kind.title, "spec": kind.spec},
    )


@login_required
def import_template(request: HttpRequest, name: str) -> HttpResponse:
    kind = _kind(request, name)
    response = HttpResponse(
        template_workbook(kind.spec),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}-template.xlsx"'
    return response


@login_required
@require_POST
def import_commit(request: HttpRequest, job_id: int) -> HttpResponse:
    """Import the file of a finished dry run: all rows, or only the valid ones. Once: a second post (a
    double-click) lands on the page of the first commit."""
    checked = get_job_for(request.user, job_id)
    kind = _kind_of_job(checked.kind)
    if kind is None or not request.scope.has(kind.permission):  # type: ignore[attr-defined]
        raise Http404
    if checked.params.get("mode") != "dry_run" or not checked.input_file:
        return redirect("jobs:detail", job_id)
    name = checked.input_file.name.rsplit("/", 1)[-1]
    job = job_commit_start(
        dry_run=checked,
        user=request.user,
        title=_("%(t)s：%(f)s") % {"t": kind.title, "f": name},
        params={"valid_only": request.POST.get("mode") == "valid_only"},
    )
    return redirect("jobs:detail", job.pk)
