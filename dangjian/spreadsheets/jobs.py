"""The background job every import runs: dry run (preview) or commit, with an error sheet as its result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.jobs.models import Job
from dangjian.jobs.registry import register
from dangjian.jobs.services import job_progress
from dangjian.spreadsheets.engine import commit, dry_run, error_workbook, row_error_lines
from dangjian.spreadsheets.reader import FileRejected, read_sheet
from dangjian.spreadsheets.spec import ImportSpec


def run_import_job(job: Job, spec: ImportSpec, context: Any, *, commit_url: str) -> None:
    try:
        with job.input_file.open("rb") as fileobj:
            sheet = read_sheet(fileobj, spec.headers)
    except FileRejected as exc:
        job.result = {"message": str(exc), "summary": []}
        job.save(update_fields=["result"])
        raise
    job_progress(job, 0, len(sheet.rows))
    outcomes = dry_run(spec, sheet, context, progress=lambda done, total: job_progress(job, done, total))
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in ("new", "updated", "unchanged", "error")}
    summary: list[list[Any]] = [
        [_("新增"), counts["new"]],
        [_("更新"), counts["updated"]],
        [_("无变化"), counts["unchanged"]],
        [_("错误"), counts["error"]],
    ]
    if job.params.get("mode") == "commit":
        if counts["error"] and not job.params.get("valid_only"):
            job.result = {"summary": summary, "message": _("文件中有错误行，未导入任何数据。")}
        else:
            done = commit(spec, outcomes, context, progress=lambda d, t: job_progress(job, d, t))
            summary = [
                [_("已新增"), done["new"]],
                [_("已更新"), done["updated"]],
                [_("无变化"), counts["unchanged"]],
                [_("未导入"), counts["error"] + done["failed"]],
            ]
            job.result = {"summary": summary, "message": _("导入完成。")}
    else:
        writable = counts["new"] + counts["updated"]
        job.result = {
            "summary": summary,
            "message": _("预检完成：没有写入任何数据。")
            + ("" if not counts["error"] else _("请修正错误行后重新上传，或只导入无误的行。")),
            "commit_url": commit_url,
            "can_commit": writable > 0 and counts["error"] == 0,
            "can_commit_valid": writable > 0 and counts["error"] > 0,
        }
    job.row_errors = row_error_lines(outcomes)
    if job.row_errors:  # the copy of the sheet with an error column: only worth writing when there are errors
        workbook = error_workbook(spec, sheet, outcomes)
        job.result_file.save(f"{job.kind}-{job.pk}.xlsx", ContentFile(workbook), save=False)
    job.save(update_fields=["row_errors", "result", "result_file"])
    job_progress(job, len(sheet.rows), len(sheet.rows))


def register_import(
    kind: str, spec: ImportSpec, make_context: Callable[[Any], Any], *, commit_url_name: str
) -> Callable[[Job], None]:
    """Register the background job of one kind of import: ``make_context(user)`` builds its context."""

    def handler(job: Job) -> None:
        url = reverse(commit_url_name, args=[job.pk])
        run_import_job(job, spec, make_context(job.created_by), commit_url=url)

    register(kind)(handler)
    return handler
