"""The background job every import runs: dry run (preview) or commit, with an error sheet as its result.

A commit writes the rows its own dry run accepted, all in one transaction or none, and only when that
dry run decided the same as the preview the person confirmed ("plan"), and when they are no more than
one commit takes (``IMPORT_COMMIT_MAX_ROWS``: the dry run says to split a larger file)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.jobs.models import Job
from dangjian.jobs.registry import register
from dangjian.jobs.services import job_check_cancelled, job_progress
from dangjian.spreadsheets.engine import (
    ImportAborted,
    commit,
    commit_refusal,
    dry_run,
    error_workbook,
    plan_digest,
    row_error_lines,
)
from dangjian.spreadsheets.reader import FileRejected, Sheet, read_sheet
from dangjian.spreadsheets.spec import ImportSpec, RowOutcome


def read_job_sheet(job: Job, headers: list[str]) -> Sheet:
    """The job's uploaded sheet; a refused file is the job's result message (and fails the job)."""
    try:
        with job.input_file.open("rb") as fileobj:
            return read_sheet(fileobj, headers, name=job.input_file.name)
    except FileRejected as exc:
        job.result = {"message": str(exc), "summary": []}
        job.save(update_fields=["result"])
        raise


def plan_changed(job: Job, outcomes: list[RowOutcome]) -> bool:
    """Whether this commit's dry run decided differently from the preview the person confirmed."""
    preview_id = job.params.get("dry_run_job")
    if not preview_id:
        return False
    preview = Job.objects.filter(pk=preview_id).values_list("result", flat=True).first() or {}
    expected = preview.get("plan")
    return bool(expected) and expected != plan_digest(outcomes)


def commit_rows(
    job: Job, spec: ImportSpec, outcomes: list[RowOutcome], context: Any
) -> tuple[dict[str, int], str]:
    """Write the accepted rows all or nothing: (counts, "") or (zero counts, the reason nothing was
    written — one Chinese row message, added to the job's row errors)."""
    too_many = commit_refusal(outcomes)
    if too_many:
        return {"new": 0, "updated": 0, "failed": 0}, _("%(line)s。未导入任何数据。") % {
            "line": too_many.rstrip("。")
        }
    if plan_changed(job, outcomes):
        return {"new": 0, "updated": 0, "failed": 0}, _(
            "自预检以来数据已有变化，未导入任何数据：请查看下方的逐行结果，重新上传预检。"
        )
    try:
        done = commit(spec, outcomes, context, progress=lambda d, t: job_check_cancelled(job))
    except ImportAborted as exc:
        # The row's message may end a sentence itself ("…早于入党日期。"): one full stop, not two.
        line = exc.line.rstrip("。")
        return {"new": 0, "updated": 0, "failed": 0}, _("%(line)s。未导入任何数据。") % {"line": line}
    return done, ""


def run_import_job(job: Job, spec: ImportSpec, context: Any, *, commit_url: str) -> None:
    sheet = read_job_sheet(job, spec.headers)
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
            done, refused = commit_rows(job, spec, outcomes, context)
            summary = [
                [_("已新增"), done["new"]],
                [_("已更新"), done["updated"]],
                [_("无变化"), counts["unchanged"]],
                [
                    _("未导入"),
                    sum(1 for o in outcomes if o.status != "unchanged") - done["new"] - done["updated"],
                ],
            ]
            job.result = {"summary": summary, "message": refused or _("导入完成。")}
    else:
        writable = counts["new"] + counts["updated"]
        too_many = commit_refusal(outcomes)
        job.result = {
            "summary": summary,
            "message": _("预检完成：没有写入任何数据。")
            + (too_many or ("" if not counts["error"] else _("请修正错误行后重新上传，或只导入无误的行。"))),
            "commit_url": commit_url,
            "can_commit": writable > 0 and counts["error"] == 0 and not too_many,
            "can_commit_valid": writable > 0 and counts["error"] > 0 and not too_many,
            "plan": plan_digest(outcomes),
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
