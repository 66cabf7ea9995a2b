"""A Job row per long piece of work (imports, exports, reports): progress, result, row errors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("进行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")
    CANCELLED = "cancelled", _("已取消")


FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)


class Job(models.Model):
    kind = models.CharField(_("类型"), max_length=60)
    title = models.CharField(_("名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=20, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress = models.PositiveIntegerField(_("已处理"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="jobs"
    )
    org_path = models.CharField(max_length=255, blank=True)  # the scope the job works in
    params = models.JSONField(default=dict, blank=True)
    input_file = models.FileField(_("上传文件"), upload_to="jobs/in/%Y/%m/", blank=True)
    result_file = models.FileField(_("结果文件"), upload_to="jobs/out/%Y/%m/", blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    row_errors = models.JSONField(_("逐行错误"), default=list, blank=True)
    error_message = models.TextField(_("错误信息"), blank=True)
    cancel_requested = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # When it was last sent to the workers (created, retried, requeued): a job still pending long after is
    # one the broker never got (``job_requeue_stale``).
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="jobs_job_owner_recent")]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return int(self.progress * 100 / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED
