"""智能整理 (DOMAIN §11, 智慧宣传): the external RSS/Atom feeds the school's 组织部 follows, the items
fetched from them, the topics near-duplicate items are grouped into, and a log row per fetch.

A source's ``url`` is http(s), or ``file:`` under ``settings.NEWS_FEED_FILE_ROOT`` (the demo and the
tests: these machines reach no web site). An item is unique per source by its ``guid`` (the feed's id,
else its link); its ``simhash`` is the 64-bit fingerprint of its tokens (``feeds.dedup``), stored signed.
An item within ``policy.news_feed_simhash_distance`` bits of an earlier one is its ``duplicate_of`` and
joins its topic; otherwise it starts a topic. Editors ignore an item or 转载 it: a news draft with the
attribution that then goes through 三审三校 (``article``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FetchStatus(models.TextChoices):
    OK = "ok", _("成功")
    NOT_MODIFIED = "not_modified", _("无更新")
    ERROR = "error", _("失败")


class ItemStatus(models.TextChoices):
    NEW = "new", _("待处理")
    REPUBLISHED = "republished", _("已转载")
    IGNORED = "ignored", _("已忽略")


class FeedSource(models.Model):
    name = models.CharField(_("名称"), max_length=60, unique=True)
    url = models.CharField(_("订阅地址"), max_length=500)
    enabled = models.BooleanField(_("启用"), default=True)
    etag = models.CharField(_("ETag"), max_length=200, blank=True)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True)
    last_fetched_at = models.DateTimeField(_("最近抓取时间"), null=True, blank=True)
    last_status = models.CharField(_("最近抓取结果"), max_length=20, choices=FetchStatus.choices, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    failures = models.PositiveIntegerField(_("连续失败次数"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("订阅源")
        verbose_name_plural = _("订阅源")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """Near-duplicate items of one story, from one or several sources; ``label`` from the top keywords
    of the first item, which stays ``representative``."""

    label = models.CharField(_("话题"), max_length=100)
    representative = models.ForeignKey(
        "news.FeedItem",
        verbose_name=_("代表条目"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    item_count = models.PositiveIntegerField(_("条目数"), default=0)
    first_seen = models.DateTimeField(_("首次出现"))
    last_seen = models.DateTimeField(_("最近出现"))

    class Meta:
        verbose_name = _("聚合话题")
        verbose_name_plural = _("聚合话题")
        ordering = ["-last_seen", "-pk"]
        indexes = [models.Index(fields=["-last_seen", "-id"], name="news_topic_recent")]

    def __str__(self) -> str:
        return self.label


class FeedItem(models.Model):
    source = models.ForeignKey(
        FeedSource, verbose_name=_("订阅源"), on_delete=models.CASCADE, related_name="items"
    )
    guid = models.CharField(_("条目标识"), max_length=500)
    title = models.CharField(_("标题"), max_length=300)
    summary = models.TextField(_("摘要"), blank=True)
    link = models.CharField(_("原文链接"), max_length=1000, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    fetched_at = models.DateTimeField(_("抓取时间"))
    simhash = models.BigIntegerField(_("SimHash"))
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    topic = models.ForeignKey(
        Topic, verbose_name=_("话题"), on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("重复于"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    status = models.CharField(_("状态"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.NEW)
    article = models.ForeignKey(
        "news.Article",
        verbose_name=_("转载稿件"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("聚合条目")
        verbose_name_plural = _("聚合条目")
        ordering = ["-fetched_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["source", "guid"], name="news_feeditem_unique_guid")]
        indexes = [models.Index(fields=["fetched_at"], name="news_feeditem_fetched")]

    def __str__(self) -> str:
        return self.title

    @property
    def keyword_list(self) -> list[str]:
        return [k for k in self.keywords.split(",") if k]


class FetchLog(models.Model):
    source = models.ForeignKey(
        FeedSource, verbose_name=_("订阅源"), on_delete=models.CASCADE, related_name="logs"
    )
    at = models.DateTimeField(_("抓取时间"))
    status = models.CharField(_("结果"), max_length=20, choices=FetchStatus.choices)
    items_new = models.PositiveIntegerField(_("新条目"), default=0)
    items_duplicate = models.PositiveIntegerField(_("近似重复"), default=0)
    error = models.CharField(_("错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("抓取记录")
        verbose_name_plural = _("抓取记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source_id} {self.at:%Y-%m-%d %H:%M} {self.status}"
