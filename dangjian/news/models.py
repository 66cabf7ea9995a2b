"""智慧宣传 (DOMAIN §11): articles an organization publishes to its own subtree or to the public, after
the review chain of 三审三校 (author → the steps of ``policy.news_review_steps``), and the notes each
reviewer left. The body is stored sanitised (``news.sanitize``); every saved version is kept.

An article may carry attachments (``Attachment``), added and removed while it is a draft; they are not
versioned with it.

The life of an article is its ``status``: draft → in_review (``step`` names the reviewer's step) →
scheduled (``publish_at`` in the future) or published → withdrawn. A return sends it back to draft with
a note.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dangjian.core.groups import group_labels
from dangjian.core.models import Organization


class Category(models.TextChoices):
    WORK = "work", _("工作动态")
    NOTICE = "notice", _("通知公告")
    THEORY = "theory", _("理论学习")
    PIONEER = "pioneer", _("先锋风采")
    MEDIA = "media", _("媒体聚焦")


class Audience(models.TextChoices):
    SUBTREE = "subtree", _("本组织及下级党组织")
    GROUPS = "groups", _("指定人群")
    PUBLIC = "public", _("公开")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    SCHEDULED = "scheduled", _("定时发布")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Step(models.TextChoices):
    """The reviewers' steps of 三审三校 after the author (the chain in force: ``rules.review_steps``)."""

    EDITOR = "editor", _("编辑审核")
    APPROVER = "approver", _("审批签发")


class Decision(models.TextChoices):
    APPROVE = "approve", _("通过")
    RETURN = "return", _("退回修改")


class Article(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name=_("发布组织"), on_delete=models.PROTECT, related_name="news_articles"
    )
    audience = models.CharField(
        _("发布范围"), max_length=10, choices=Audience.choices, default=Audience.SUBTREE
    )
    # 指定人群: the ``core.groups.PersonGroup`` codes (a comma list, in that order) of the people of the
    # organization's subtree it is for; empty for the other audiences. Filtered with ``contains`` (no
    # code is part of another).
    groups = models.CharField(_("指定人群"), max_length=60, blank=True)
    title = models.CharField(_("标题"), max_length=120)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = models.TextField(_("正文"))
    cover = models.ImageField(_("封面图片"), upload_to="news/covers/%Y/%m/", blank=True)
    category = models.CharField(_("栏目"), max_length=10, choices=Category.choices, default=Category.WORK)
    tags = models.CharField(_("标签"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    step = models.CharField(_("审核环节"), max_length=10, choices=Step.choices, blank=True)
    publish_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作者"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("宣传稿件")
        verbose_name_plural = _("宣传稿件")
        ordering = ["-publish_at", "-pk"]
        indexes = [models.Index(fields=["status", "audience", "-publish_at"], name="news_public_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    @property
    def group_list(self) -> list[str]:
        return [g for g in self.groups.split(",") if g]

    @property
    def group_labels(self) -> list[str]:
        return group_labels(self.group_list)


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is not the uploader's (kept in ``name``): no path or odd characters reach disk.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"news/attachments/{instance.article_id}/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    """A file an author attached to an article while it was a draft (PDF, Word, Excel, PowerPoint, an
    image, a zip): served only through the download views, to whoever may read the article. Not part
    of the article's versions (its history keeps the article's own fields)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小"), default=0)
    content_type = models.CharField(_("文件类型"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("稿件附件")
        verbose_name_plural = _("稿件附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class ReviewNote(models.Model):
    """One reviewer's decision at one step of the chain, with the comment (required to return)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    step = models.CharField(_("审核环节"), max_length=10, choices=Step.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    decision = models.CharField(_("审核意见"), max_length=10, choices=Decision.choices)
    comment = models.CharField(_("意见说明"), max_length=1000, blank=True)
    at = models.DateTimeField(_("审核时间"))

    class Meta:
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.article_id} {self.step} {self.decision}"


class Delivery(models.Model):
    """One message to a group robot (企业微信/钉钉) about a published article, and how its sending went:
    the log of the webhook adapter, retried a few times (``webhooks.MAX_ATTEMPTS``)."""

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(_("渠道"), max_length=20)
    url = models.CharField(_("地址"), max_length=500)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    next_try_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.article_id} {self.state}"


class Subscription(models.Model):
    """A reader's wish to be told of new articles they may read: in the app always, by e-mail when they
    ask and the platform has a mail server. ``categories`` is a comma list of ``Category`` values; empty
    means every category."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="news_subscription",
    )
    categories = models.CharField(_("订阅栏目"), max_length=100, blank=True)
    by_email = models.BooleanField(_("同时发送邮件"), default=False)
    created_at = models.DateTimeField(_("订阅时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("新闻订阅")
        verbose_name_plural = _("新闻订阅")

    def __str__(self) -> str:
        return f"{self.user_id} {self.categories or '*'}"

    @property
    def category_list(self) -> list[str]:
        return [c for c in self.categories.split(",") if c]


# 智能整理 (aggregated feeds) lives in its own package; Django finds the models through this module.
# 阅读关注度 (attention data) lives in its own package too.
from dangjian.news.attention.models import (  # noqa: E402, F401
    ArticleDay,
    ArticleReader,
    EventKind,
    Like,
    ReadEvent,
)
from dangjian.news.feeds.models import (  # noqa: E402, F401
    FeedItem,
    FeedSource,
    FetchLog,
    Topic,
)
