"""The one background job every Excel import runs: dry run (preview) or commit, with a result sheet.

Every kind of import (``hooks.imports``: an ``ImportKind`` per module's import) runs here: the job's
kind names its ``ImportKind``, which gives the spec, the rules' context and the options (valid rows
only, updates, warnings). A commit writes the rows its own dry run accepted, all in one transaction or
none, and only when that dry run decided the same as the preview the person confirmed ("plan"), and
when they are no more than one commit takes (``IMPORT_COMMIT_MAX_ROWS``: the dry run says to split a
larger file)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian import hooks
from dangjian.hooks import ImportKind
from dangjian.jobs.models import Job
from dangjian.jobs.registry import JobHandler
from dangjian.jobs.services import job_check_cancelled, job_progress
from dangjian.spreadsheets.engine import (
    ImportAborted,
    commit,
    commit_refusal,
    dry_run,
    error_workbook,
    plan_digest,
    row_error_lines,
    row_warning_lines,
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
        with transaction.atomic():
            done = commit(spec, outcomes, context, progress=lambda d, t: job_check_cancelled(job))
            _mark_committed(job, done)
    except AlreadyCommitted:
        return {"new": 0, "updated": 0, "failed": 0}, _("该导入已由本任务的另一次运行写入，未重复导入。")
    except ImportAborted as exc:
        # The row's message may end a sentence itself ("…早于入党日期。"): one full stop, not two.
        line = exc.line.rstrip("。")
        return {"new": 0, "updated": 0, "failed": 0}, _("%(line)s。未导入任何数据。") % {"line": line}
    return done, ""


class AlreadyCommitted(Exception):
    """Another run of the same job committed first (a redelivered task racing the first): roll back."""


def _mark_committed(job: Job, done: dict[str, int]) -> None:
    """Record in the job, inside the import's own transaction, that its rows are written: a worker killed
    after this commit and before the job is marked done is re-run (acks late) without writing twice. The
    row is locked by this update only at the very end, so a cancel never waits for the import."""
    marked = (
        Job.objects.filter(pk=job.pk)
        .exclude(result__has_key="committed")
        .update(result={**job.result, "committed": done})
    )
    if not marked:
        raise AlreadyCommitted


def handler_for_kind(kind: str) -> JobHandler | None:
    """The job handler of every kind of import (registered with ``jobs`` as a family)."""
    return run_import if kind in hooks.imports else None


def run_import(job: Job) -> None:
    """The job of an ``ImportKind``: a dry run (``mode`` "dry_run") or the commit of a reviewed one."""
    kind = hooks.imports.get(job.kind)
    spec = kind.spec()
    context = kind.context(job.created_by, job.params)
    if job.params.get("mode") == "commit" and "committed" in job.result:
        _finish_committed_rerun(job, kind)
        return
    sheet = read_job_sheet(job, spec.headers)
    job_progress(job, 0, len(sheet.rows))
    outcomes = dry_run(spec, sheet, context, progress=lambda done, total: job_progress(job, done, total))
    if job.params.get("mode") == "commit":
        job.result, written = _commit(job, kind, spec, outcomes, context)
    else:
        job.result, written = _preview(job, kind, outcomes), True
    # Warnings of rows that were (or will be) written; a refused commit wrote nothing to warn about.
    job.row_errors = row_error_lines(outcomes) + (
        row_warning_lines(outcomes, kind.warnings) if written else []
    )
    if job.row_errors:  # the copy of the sheet with the messages: only worth writing when there are some
        workbook = error_workbook(spec, sheet, outcomes, kind.warnings)
        job.result_file.save(f"{job.kind}-{job.pk}.xlsx", ContentFile(workbook), save=False)
    job.save(update_fields=["row_errors", "result", "result_file"])
    job_progress(job, len(sheet.rows), len(sheet.rows))


def _finish_committed_rerun(job: Job, kind: ImportKind) -> None:
    """A run after the rows were committed (the worker died before it marked the job done): the import
    is not done again; the job reports what the earlier run wrote."""
    done = job.result["committed"]
    summary: list[list[Any]] = [[_("已新增"), done.get("new", 0)]]
    if kind.updates:
        summary.append([_("已更新"), done.get("updated", 0)])
    job.result = {**job.result, "summary": summary, "message": _("导入完成。")}
    job.save(update_fields=["result"])
    job_progress(job, job.total, job.total)


def _counts(outcomes: list[RowOutcome]) -> dict[str, int]:
    return {s: sum(1 for o in outcomes if o.status == s) for s in ("new", "updated", "unchanged", "error")}


def _warned(kind: ImportKind, outcomes: list[RowOutcome]) -> int:
    warnings = kind.warnings
    if warnings is None:
        return 0
    return sum(1 for o in outcomes if not o.errors and warnings(o.values))


def _preview(job: Job, kind: ImportKind, outcomes: list[RowOutcome]) -> dict[str, Any]:
    counts = _counts(outcomes)
    summary: list[list[Any]] = [[_("新增"), counts["new"]]]
    if kind.updates:
        summary += [[_("更新"), counts["updated"]], [_("无变化"), counts["unchanged"]]]
    if kind.warnings is not None:
        summary.append([_("有提醒"), _warned(kind, outcomes)])
    summary.append([_("错误"), counts["error"]])
    writable = counts["new"] + counts["updated"]
    too_many = commit_refusal(outcomes)
    advice = too_many
    if not too_many and counts["error"]:
        advice = (
            _("请修正错误行后重新上传，或只导入无误的行。")
            if kind.valid_rows
            else _("请修正错误行后重新上传。")
        )
    url_kwargs = {"job_id": job.pk}
    if kind.subject_param:
        url_kwargs[kind.subject_param] = job.params[kind.subject_param]
    return {
        "summary": summary,
        "message": _("预检完成：没有写入任何数据。") + advice,
        "commit_url": reverse(kind.commit_url, kwargs=url_kwargs),
        "can_commit": writable > 0 and counts["error"] == 0 and not too_many,
        "can_commit_valid": kind.valid_rows and writable > 0 and counts["error"] > 0 and not too_many,
        "plan": plan_digest(outcomes),
    }


def _commit(
    job: Job, kind: ImportKind, spec: ImportSpec, outcomes: list[RowOutcome], context: Any
) -> tuple[dict[str, Any], bool]:
    """The commit's result, and whether it wrote (False when a row or a change since the preview
    refused it: then nothing is written)."""
    counts = _counts(outcomes)
    warned = _warned(kind, outcomes)
    done, refused = {"new": 0, "updated": 0}, ""
    if counts["error"] and not (kind.valid_rows and job.params.get("valid_only")):
        message = _("文件中有错误行，未导入任何数据。")
    else:
        written, refused = commit_rows(job, spec, outcomes, context)
        done = {"new": written["new"], "updated": written["updated"]}
        message = refused or _("导入完成。")
    summary: list[list[Any]] = [[_("已新增"), done["new"]]]
    if kind.updates:
        summary += [[_("已更新"), done["updated"]], [_("无变化"), counts["unchanged"]]]
    if kind.warnings is not None:
        summary.append([_("有提醒"), warned if done["new"] + done["updated"] else 0])
    if kind.valid_rows:
        left = sum(1 for o in outcomes if o.status != "unchanged") - done["new"] - done["updated"]
        summary.append([_("未导入"), left])
    result: dict[str, Any] = {"summary": summary, "message": message}
    if not refused and done["new"] + done["updated"]:
        result["committed"] = done  # kept, so that a re-run of this job never writes the rows again
    return result, not refused
