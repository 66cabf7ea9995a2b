"""Writes of 智慧宣传: an article drafted and edited, submitted to the review chain of 三审三校, approved
step by step or returned with a note, published (at once or at ``publish_at``), withdrawn with a reason,
and the periodic publishing of scheduled articles.

Attachments are added to and removed from drafts (a checked upload each, a limit per article).

Each service takes the actor and the scope, runs in one transaction, locks the article, checks the state
the page showed (``expected_status``, see ``rules.state_of``) and writes one audit event. The body is
sanitised here, whatever the caller sent. Reviewers are told of an article waiting at their step; the
author of a return and of the publication.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian import audit
from dangjian.accounts.recipients import organizers_at, upper_organizers
from dangjian.accounts.scope import Scope
from dangjian.core.groups import PersonGroup
from dangjian.core.models import Organization
from dangjian.kit.errors import NotFound, RuleViolation
from dangjian.kit.transitions import expect_state
from dangjian.kit.uploads import checked_upload
from dangjian.news import access, rules, subscribers, webhooks
from dangjian.news.models import (
    Article,
    Attachment,
    Audience,
    Category,
    Decision,
    ReviewNote,
    Status,
    Subscription,
)
from dangjian.news.sanitize import clean_html, plain_text
from dangjian.policy import get_policy
from dangjian.workbench.services import notify

MAX_BODY = 100_000
MB = 1024 * 1024
COVER_EXTENSIONS = (".jpg", ".jpeg", ".png")
# An attachment's extensions and the type it is served as (from the checked extension, never the
# browser's word).
ATTACHMENT_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".zip": "application/zip",
}
ATTACHMENT_KINDS = gettext_lazy("PDF、Word、Excel、PowerPoint、JPG、PNG、ZIP")


@dataclass(frozen=True)
class ArticleInput:
    """What an author writes; ``cover`` an uploaded file (None keeps the current one)."""

    title: str
    body: str
    summary: str = ""
    category: str = Category.WORK
    audience: str = Audience.SUBTREE
    groups: tuple[str, ...] = ()  # 指定人群: ``core.groups.PersonGroup`` codes
    tags: str = ""
    publish_at: datetime | None = None
    cover: Any = None


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _locked(article: Article) -> Article:
    return Article.objects.select_for_update().select_related("organization").get(pk=article.pk)


def _steps() -> tuple[str, ...]:
    return rules.review_steps(get_policy().news_review_steps)


def _tags(text: str) -> str:
    tags: list[str] = []
    for raw in text.replace("，", ",").split(","):
        tag = raw.strip()[:20]
        if tag and tag not in tags:
            tags.append(tag)
    joined = ",".join(tags[:8])
    return joined[:100]


def _checked_cover(upload: Any) -> str:
    """A real JPEG or PNG within NEWS_COVER_MAX_MB: the signature, then Pillow reads the whole image."""
    name = checked_upload(
        upload,
        extensions=COVER_EXTENSIONS,
        max_bytes=settings.NEWS_COVER_MAX_MB * 1024 * 1024,
        kinds="JPG、PNG",
    )
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise RuleViolation(_("封面不是有效的图片"), field="cover") from exc
    finally:
        upload.seek(0)
    return name


def _clean(data: ArticleInput) -> dict[str, Any]:
    title = " ".join(data.title.split())
    if not title:
        raise RuleViolation(_("请填写标题"), field="title")
    if len(title) > 120:
        raise RuleViolation(_("标题不能超过 120 字"), field="title")
    if len(data.body or "") > MAX_BODY:
        raise RuleViolation(_("正文太长"), field="body")
    body = clean_html(data.body)
    if not plain_text(body, 1) and "<img" not in body:
        raise RuleViolation(_("请填写正文"), field="body")
    if data.category not in Category.values:
        raise RuleViolation(_("请选择栏目"), field="category")
    if data.audience not in Audience.values:
        raise RuleViolation(_("请选择发布范围"), field="audience")
    groups = ""
    if data.audience == Audience.GROUPS:
        chosen = set(data.groups)
        if not chosen or chosen - set(PersonGroup.values):
            raise RuleViolation(_("发布范围为“指定人群”时，请至少选择一类人群"), field="groups")
        groups = ",".join(g for g in PersonGroup.values if g in chosen)
    summary = " ".join((data.summary or "").split())[:300] or plain_text(body, 120)
    return {
        "title": title,
        "summary": summary,
        "body": body,
        "category": data.category,
        "audience": data.audience,
        "groups": groups,
        "tags": _tags(data.tags),
        "publish_at": data.publish_at,
    }


def _set_cover(article: Article, upload: Any) -> None:
    if upload is None:
        return
    try:
        name = _checked_cover(upload)
    except RuleViolation as exc:
        raise RuleViolation(exc.message, field="cover") from exc
    article.cover.save(name, upload, save=False)


def article_create(*, actor: Any, scope: Scope, organization: Organization, data: ArticleInput) -> Article:
    """A draft of ``organization`` (the author writes for it)."""
    if not access.may_author(scope, organization):
        raise NotFound(_("未找到该党组织。"))
    values = _clean(data)
    with transaction.atomic():
        article = Article(organization=organization, author=_actor(actor), **values)
        _set_cover(article, data.cover)
        article.save()
        audit.record(
            actor=actor,
            action="news.article_create",
            target=article,
            org=organization,
            changes={"title": article.title, "audience": article.audience, "groups": article.groups},
        )
    return article


def article_update(
    *, actor: Any, scope: Scope, article: Article, data: ArticleInput, expected_status: str | None
) -> Article:
    """Rewrite a draft (a returned article is a draft again)."""
    values = _clean(data)
    with transaction.atomic():
        article = _locked(article)
        if not access.may_manage(scope, article):
            raise NotFound(_("未找到该稿件。"))
        expect_state(rules.state_of(article.status, article.step), expected_status)
        if not access.may_edit(scope, article):
            raise RuleViolation(_("只有草稿可以修改。"))
        changed = [k for k, v in values.items() if getattr(article, k) != v]
        for key, value in values.items():
            setattr(article, key, value)
        _set_cover(article, data.cover)
        if data.cover is not None:
            changed.append("cover")
        article.save()
        audit.record(
            actor=actor,
            action="news.article_update",
            target=article,
            org=article.organization,
            changes={"fields": changed},
        )
    return article


def _reviewers(article: Article) -> list[Any]:
    """Who is told an article waits: the organizers of its organization and of the nearest above."""
    people = organizers_at(article.organization) + upper_organizers(article.organization)
    return [u for u in people if u.pk != article.author_id]


def _tell_reviewers(article: Article) -> None:
    notify(
        _reviewers(article),
        "news",
        _("稿件待审核：%(t)s") % {"t": article.title[:60]},
        link=reverse("news:review", args=[article.pk]),
    )


def _tell_author(article: Article, title: str, body: str = "") -> None:
    if article.author_id:
        notify([article.author], "news", title, body, link=reverse("news:review", args=[article.pk]))


def _publish(actor: Any, article: Article, now: datetime) -> None:
    """The last step passed: published now, or scheduled if ``publish_at`` is still ahead."""
    article.step = ""
    if article.publish_at and article.publish_at > now:
        article.status = Status.SCHEDULED
    else:
        article.status = Status.PUBLISHED
        article.publish_at = now
    article.save(update_fields=["status", "step", "publish_at", "updated_at"])
    audit.record(
        actor=actor,
        action="news.article_publish" if article.status == Status.PUBLISHED else "news.article_schedule",
        target=article,
        org=article.organization,
        changes={"status": article.status, "publish_at": article.publish_at.isoformat()},
    )
    if article.status == Status.PUBLISHED:
        webhooks.queue_for(article)
        subscribers.queue_for(article)
    _tell_author(
        article,
        (
            _("稿件已发布：%(t)s")
            if article.status == Status.PUBLISHED
            else _("稿件已审核通过，将定时发布：%(t)s")
        )
        % {"t": article.title[:60]},
    )


def article_submit(*, actor: Any, scope: Scope, article: Article, expected_status: str | None) -> Article:
    """Send a draft to the first step of the chain (with no chain, publish it)."""
    with transaction.atomic():
        article = _locked(article)
        if not access.may_manage(scope, article):
            raise NotFound(_("未找到该稿件。"))
        expect_state(rules.state_of(article.status, article.step), expected_status)
        if not access.may_edit(scope, article):
            raise RuleViolation(_("只有草稿可以送审。"))
        first = rules.first_step(_steps())
        if first is None:
            _publish(actor, article, timezone.now())
            return article
        article.status = Status.IN_REVIEW
        article.step = first
        article.save(update_fields=["status", "step", "updated_at"])
        audit.record(
            actor=actor,
            action="news.article_submit",
            target=article,
            org=article.organization,
            changes={"step": first},
        )
        _tell_reviewers(article)
    return article


def _review(scope: Scope, article: Article, expected_status: str | None) -> Article:
    article = _locked(article)
    if not access.may_manage(scope, article):
        raise NotFound(_("未找到该稿件。"))
    expect_state(rules.state_of(article.status, article.step), expected_status)
    if article.status != Status.IN_REVIEW:
        raise RuleViolation(_("该稿件不在审核中。"))
    if not access.may_review(scope, article):
        raise RuleViolation(_("你不能审核该稿件（作者本人不能审核自己的稿件）。"))
    return article


def article_approve(
    *, actor: Any, scope: Scope, article: Article, expected_status: str | None, comment: str = ""
) -> Article:
    """Pass the current step: on to the next reviewer, or published (scheduled) after the last."""
    comment = comment.strip()[:1000]
    with transaction.atomic():
        article = _review(scope, article, expected_status)
        now = timezone.now()
        step = article.step
        ReviewNote.objects.create(
            article=article,
            step=step,
            actor=_actor(actor),
            decision=Decision.APPROVE,
            comment=comment,
            at=now,
        )
        following = rules.next_step(_steps(), step)
        audit.record(
            actor=actor,
            action="news.article_approve",
            target=article,
            org=article.organization,
            changes={"step": step, "next": following or ""},
        )
        if following is None:
            _publish(actor, article, now)
        else:
            article.step = following
            article.save(update_fields=["step", "updated_at"])
            _tell_reviewers(article)
    return article


def article_return(
    *, actor: Any, scope: Scope, article: Article, expected_status: str | None, comment: str
) -> Article:
    """Send it back to the author as a draft, with what to change (required)."""
    comment = comment.strip()
    if not comment:
        raise RuleViolation(_("退回时请写明修改意见"), field="comment")
    with transaction.atomic():
        article = _review(scope, article, expected_status)
        step = article.step
        ReviewNote.objects.create(
            article=article,
            step=step,
            actor=_actor(actor),
            decision=Decision.RETURN,
            comment=comment[:1000],
            at=timezone.now(),
        )
        article.status = Status.DRAFT
        article.step = ""
        article.save(update_fields=["status", "step", "updated_at"])
        audit.record(
            actor=actor,
            action="news.article_return",
            target=article,
            org=article.organization,
            changes={"step": step, "comment": comment[:200]},
        )
        _tell_author(article, _("稿件被退回修改：%(t)s") % {"t": article.title[:60]}, comment[:500])
    return article


def article_withdraw(
    *, actor: Any, scope: Scope, article: Article, expected_status: str | None, reason: str
) -> Article:
    """Take a published (or scheduled) article down, with the reason; it stays on record."""
    reason = reason.strip()
    if not reason:
        raise RuleViolation(_("请填写撤回原因"), field="reason")
    with transaction.atomic():
        article = _locked(article)
        if not access.may_manage(scope, article):
            raise NotFound(_("未找到该稿件。"))
        expect_state(article.status, expected_status)
        if not access.may_withdraw(scope, article):
            raise RuleViolation(_("只有已发布或定时发布的稿件可以撤回。"))
        before = article.status
        article.status = Status.WITHDRAWN
        article.withdrawn_reason = reason[:300]
        article.save(update_fields=["status", "withdrawn_reason", "updated_at"])
        audit.record(
            actor=actor,
            action="news.article_withdraw",
            target=article,
            org=article.organization,
            changes={"status": [before, Status.WITHDRAWN], "reason": reason[:300]},
        )
    return article


def scheduled_publish(*, scope: Scope, now: datetime | None = None) -> int:
    """Publish the scheduled articles whose time has come (the periodic task, ``Scope.system()``);
    running it twice publishes nothing twice. Returns how many were published."""
    if not scope.is_system:
        raise NotFound(_("未找到该稿件。"))
    now = now or timezone.now()
    done = 0
    due = list(
        Article.objects.filter(status=Status.SCHEDULED, publish_at__lte=now).values_list("pk", flat=True)[
            :500
        ]
    )
    for pk in due:
        with transaction.atomic():
            article = (
                Article.objects.select_for_update()
                .select_related("organization")
                .filter(pk=pk, status=Status.SCHEDULED, publish_at__lte=now)
                .first()
            )
            if article is None:
                continue
            article.status = Status.PUBLISHED
            article.save(update_fields=["status", "updated_at"])
            audit.record(
                actor=None,
                action="news.article_publish",
                target=article,
                org=article.organization,
                changes={"status": Status.PUBLISHED, "scheduled": True},
            )
            webhooks.queue_for(article)
            subscribers.queue_for(article)
            done += 1
    return done


# ---------------------------------------------------------------- attachments


def _touch(article: Article) -> None:
    """The article changed without a new version: the public page's cache key (its ``updated_at``)
    moves on. A queryset update, so simple-history records no version for it."""
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())


def _editable(scope: Scope, article: Article, expected_status: str | None) -> Article:
    article = _locked(article)
    if not access.may_manage(scope, article):
        raise NotFound(_("未找到该稿件。"))
    expect_state(rules.state_of(article.status, article.step), expected_status)
    if not access.may_edit(scope, article):
        raise RuleViolation(_("只有草稿（含退回修改的稿件）可以添加或删除附件。"))
    return article


def attachment_add(
    *, actor: Any, scope: Scope, article: Article, upload: Any, expected_status: str | None = None
) -> Attachment:
    """Attach a checked file to a draft: one of ``ATTACHMENT_TYPES`` by extension and by content, within
    NEWS_ATTACHMENT_MAX_MB, and at most NEWS_ATTACHMENT_MAX_COUNT to an article. Nothing is stored when
    refused."""
    with transaction.atomic():
        article = _editable(scope, article, expected_status)
        if upload is None:
            raise RuleViolation(_("请选择要上传的文件"), field="file")
        name = checked_upload(
            upload,
            extensions=tuple(ATTACHMENT_TYPES),
            max_bytes=settings.NEWS_ATTACHMENT_MAX_MB * MB,
            kinds=str(ATTACHMENT_KINDS),
        )
        extension = "." + name.rsplit(".", 1)[-1].lower()
        limit = settings.NEWS_ATTACHMENT_MAX_COUNT
        if article.attachments.count() >= limit:
            raise RuleViolation(
                _("每篇稿件最多 %(n)s 个附件，请先删除不需要的附件") % {"n": limit}, field="file"
            )
        attachment = Attachment(
            article=article,
            name=name[:200],
            size=upload.size,
            content_type=ATTACHMENT_TYPES[extension],
            uploaded_by=_actor(actor),
        )
        attachment.file.save(name, upload, save=False)
        try:
            attachment.save()
            _touch(article)
            audit.record(
                actor=actor,
                action="news.attachment_add",
                target=attachment,
                org=article.organization,
                changes={"article": article.pk, "name": attachment.name, "size": attachment.size},
            )
        except BaseException:
            attachment.file.delete(save=False)  # the row is rolled back: the file goes too
            raise
    return attachment


def attachment_remove(
    *, actor: Any, scope: Scope, attachment: Attachment, expected_status: str | None
) -> None:
    """Remove an attachment from a draft; its file is deleted once the removal is committed."""
    with transaction.atomic():
        article = _editable(scope, attachment.article, expected_status)
        found = Attachment.objects.filter(pk=attachment.pk, article=article).first()
        if found is None:
            raise NotFound(_("未找到该附件。"))
        audit.record(
            actor=actor,
            action="news.attachment_remove",
            target=found,
            org=article.organization,
            changes={"article": article.pk, "name": found.name, "size": found.size},
        )
        storage, stored = found.file.storage, found.file.name
        found.delete()
        _touch(article)
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))


# ---------------------------------------------------------------- subscriptions


def subscription_save(*, actor: Any, categories: list[str], by_email: bool) -> Subscription:
    """Subscribe (or change the subscription): the chosen categories (none chosen: all) and whether to
    mail too — only with an e-mail address on the account."""
    chosen = sorted({c for c in categories if c in Category.values})
    if len(chosen) == len(Category.values):
        chosen = []
    if by_email and not actor.email:
        raise RuleViolation(_("您的账号没有登记电子邮箱，无法通过邮件接收；请只选择站内通知。"))
    with transaction.atomic():
        found = Subscription.objects.select_for_update().filter(user=actor).first()
        before = (found.categories, found.by_email) if found else (None, None)
        sub = found or Subscription(user=actor)
        sub.categories = ",".join(chosen)
        sub.by_email = by_email
        sub.save()
        audit.record(
            actor=actor,
            action="news.subscription_save",
            target=sub,
            changes={"categories": [before[0], sub.categories], "by_email": [before[1], sub.by_email]},
        )
    return sub


def subscription_cancel(*, actor: Any) -> bool:
    """Unsubscribe; True when there was a subscription."""
    with transaction.atomic():
        found = Subscription.objects.select_for_update().filter(user=actor).first()
        if found is None:
            return False
        audit.record(
            actor=actor,
            action="news.subscription_cancel",
            target=found,
            changes={"categories": [found.categories, None], "by_email": [found.by_email, None]},
        )
        found.delete()
    return True
