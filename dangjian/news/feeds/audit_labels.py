"""智能整理's audit action codes in words, for the audit log (``hooks.audit_actions``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.hooks import AuditActions

ACTIONS = AuditActions(
    key="news.feeds",
    label=_("智能整理"),
    order=69,
    actions={
        "news.feed_source_create": _("添加订阅源"),
        "news.feed_source_update": _("修改订阅源"),
        "news.feed_fetch": _("抓取订阅源"),
        "news.feed_item_ignore": _("忽略聚合条目"),
        "news.feed_item_republish": _("转载聚合条目"),
    },
    fields={
        "url": _("订阅地址"),
        "enabled": _("启用"),
        "new": _("新条目"),
        "duplicates": _("近似重复"),
        "error": _("错误"),
        "article": _("转载稿件"),
    },
)
