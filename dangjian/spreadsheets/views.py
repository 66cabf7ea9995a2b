"""The pages of every Excel import (``hooks.imports``): the template, the upload (a dry-run job that
writes nothing), and the commit of a reviewed dry run (a second job on the same file).

A module's URLs point here with its kind's key, e.g.
``path("import/", views.upload, {"kind": "recruitment_import"}, name="import")``; the kinds with a
``name`` share the page ``/imports/<name>/`` (``core:import``). A kind's pages answer only under the
URL names it declares, and only to whom ``may_import`` (and, for a kind about one record, ``subject``)
admits: anyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian import hooks
from dangjian.hooks import ImportKind, ImportSubject
from dangjian.jobs.selectors import get_job_for
from dangjian.jobs.services import job_commit_start, job_start
from dangjian.kit.pdf import XLSX, file_response
from dangjian.spreadsheets.engine import template_workbook
from dangjian.spreadsheets.forms import UploadForm
from dangjian.spreadsheets.reader import FileRejected, check_upload


def _opened(
    request: HttpRequest, page: str, kind: str, name: str, kwargs: dict[str, Any]
) -> tuple[ImportKind, ImportSubject | None]:
    """The kind (by key, or by its name on the shared page) if this URL is its ``page`` and the user may
    import it, with its subject; else 404."""
    if kind:
        found = hooks.imports.get(kind) if kind in hooks.imports else None
    else:
        found = next((k for k in hooks.imports.all() if k.name and k.name == name), None)
    route = getattr(request.resolver_match, "view_name", None)
    if found is None or getattr(found, page) != route or not found.may_import(request):
        raise Http404
    subject = None
    if found.subject is not None:
        subject = found.subject(request, kwargs.get(found.subject_param))
    return found, subject


def _subject_params(kind: ImportKind, kwargs: dict[str, Any]) -> dict[str, Any]:
    return {kind.subject_param: kwargs[kind.subject_param]} if kind.subject_param else {}


@login_required
def upload(request: HttpRequest, kind: str = "", name: str = "", **kwargs: Any) -> HttpResponse:
    """The import page: its steps and columns, and the upload, which starts the dry-run job."""
    import_kind, subject = _opened(request, "upload_url", kind, name, kwargs)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            upload.name = check_upload(upload)
        except FileRejected as exc:
            form.add_error("file", str(exc))
        else:
            job = job_start(
                kind=import_kind.key,
                user=request.user,
                params={"mode": "dry_run", **_subject_params(import_kind, kwargs)},
                input_file=upload,
                org_path=subject.org_path if subject else "",
                title=_("%(t)s预检：%(f)s")
                % {"t": import_kind.title, "f": subject.name if subject else upload.name},
            )
            return redirect("jobs:detail", job.pk)
    if subject is not None:
        back_url, back_label, title = subject.back_url, subject.back_label, subject.title
    else:
        back_url = reverse(import_kind.back_url) if import_kind.back_url else ""
        back_label, title = import_kind.back_label or _("返回"), import_kind.title
    return render(
        request,
        "spreadsheets/import_page.html",
        {
            "form": form,
            "spec": import_kind.spec(),
            "title": title,
            "back_url": back_url,
            "back_label": back_label,
            "template_url": reverse(import_kind.template_url, kwargs={"name": name} if name else kwargs),
            "dry_run_note": import_kind.dry_run_note,
            "valid_rows": import_kind.valid_rows,
        },
    )


@login_required
def template(request: HttpRequest, kind: str = "", name: str = "", **kwargs: Any) -> HttpResponse:
    """The .xlsx template: headers, an example row, drop-down lists and the instructions."""
    import_kind, _subject = _opened(request, "template_url", kind, name, kwargs)
    return file_response(template_workbook(import_kind.spec()), import_kind.template_name, XLSX)


@login_required
@require_POST
def commit(request: HttpRequest, job_id: int, kind: str = "", **kwargs: Any) -> HttpResponse:
    """Import the file of a finished dry run: all rows, or (a kind that allows it) only the valid ones.
    Once: a second post (a double-click) lands on the page of the first commit."""
    checked = get_job_for(request.user, job_id)
    if kind and checked.kind != kind:
        raise Http404
    import_kind, subject = _opened(request, "commit_url", checked.kind, "", kwargs)
    params = _subject_params(import_kind, kwargs)
    if any(checked.params.get(key) != value for key, value in params.items()):
        raise Http404  # the dry run of another record (another class) of the kind
    if checked.params.get("mode") != "dry_run" or not checked.input_file:
        return redirect("jobs:detail", job_id)
    if import_kind.valid_rows:
        params["valid_only"] = request.POST.get("mode") == "valid_only"
    name = subject.name if subject else checked.input_file.name.rsplit("/", 1)[-1]
    job = job_commit_start(
        dry_run=checked,
        user=request.user,
        title=_("%(t)s：%(f)s") % {"t": import_kind.title, "f": name},
        params=params,
    )
    return redirect("jobs:detail", job.pk)
