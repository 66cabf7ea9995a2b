"""阅读关注度 (issue 18): how much an article is read, kept as counts only.

A reading page sends beacons (a view on load; on leaving, the seconds on the page and whether the end was
reached; a share when the share control is used); each beacon is one INSERT into ``ReadEvent``, the buffer.
A periodic task (``services.events_fold``) folds the buffer into the aggregates in a few set-based
statements and deletes what it folded: ``ArticleReader`` (one row per article and reader) and
``ArticleDay`` (one row per article and day, for the charts). A like is one ``Like`` row per person and
article (the toggle also buffers a +1/−1 for the day's count).

A reader is a person (``p<id>``), a signed-in user without a person record (``u<id>``) or an anonymous
public reader (``c`` + a keyed hash of a random first-party cookie, never linked to anyone). The pages show
counts only: who read what is never shown, exported or served by the API.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization, Person
from dangjian.news.models import Article


class EventKind(models.TextChoices):
    VIEW = "view", _("打开")
    LEAVE = "leave", _("离开")
    SHARE = "share", _("分享")
    LIKE = "like", _("点赞")
    UNLIKE = "unlike", _("取消点赞")


class ReadEvent(models.Model):
    """One beacon, waiting to be folded (the buffer: written once, read and deleted by the fold)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    reader_key = models.CharField(max_length=48)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_constraint=False
    )
    kind = models.CharField(max_length=8, choices=EventKind.choices)
    seconds = models.PositiveIntegerField(default=0)
    reached_end = models.BooleanField(default=False)
    at = models.DateTimeField()
    day = models.DateField()  # the local date of ``at`` (Asia/Shanghai): the day it counts on

    class Meta:
        verbose_name = _("阅读事件")
        verbose_name_plural = _("阅读事件")
        indexes = [models.Index(fields=["at"], name="news_readevent_at")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ArticleReader(models.Model):
    """One reader of one article: their views, longest time on the page, whether they reached the end;
    for a member, the branch and the college they belonged to when first counted."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="readers")
    reader_key = models.CharField(max_length=48)
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    branch = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    college = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    views = models.PositiveIntegerField(default=0)
    max_seconds = models.PositiveIntegerField(default=0)
    reached_end = models.BooleanField(default=False)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    first_day = models.DateField()
    last_day = models.DateField()

    class Meta:
        verbose_name = _("文章读者")
        verbose_name_plural = _("文章读者")
        constraints = [
            models.UniqueConstraint(fields=["article", "reader_key"], name="news_reader_unique"),
        ]
        indexes = [
            models.Index(fields=["college", "article"], name="news_reader_college"),
            models.Index(fields=["branch", "article"], name="news_reader_branch"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.views}"


class ArticleDay(models.Model):
    """An article's counts on one day: views, readers (distinct that day), seconds on the page and the
    leaves that reported them, readers who first reached the end that day, shares and net likes."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    readers = models.PositiveIntegerField(default=0)
    seconds = models.PositiveBigIntegerField(default=0)
    timed = models.PositiveIntegerField(default=0)  # leave beacons (the divisor of the mean time)
    reached_end = models.PositiveIntegerField(default=0)
    shares = models.PositiveIntegerField(default=0)
    likes = models.IntegerField(default=0)  # likes given less likes taken back that day

    class Meta:
        verbose_name = _("文章每日阅读")
        verbose_name_plural = _("文章每日阅读")
        constraints = [models.UniqueConstraint(fields=["article", "day"], name="news_articleday_unique")]
        indexes = [models.Index(fields=["day", "article"], name="news_articleday_day")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.day}"


class Like(models.Model):
    """One person's like of one article (a toggle: at most one)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="likes")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("点赞")
        verbose_name_plural = _("点赞")
        constraints = [models.UniqueConstraint(fields=["article", "person"], name="news_like_unique")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.person_id}"
