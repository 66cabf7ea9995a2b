"""智慧宣传's audit action codes in words, for the audit log (``hooks.audit_actions``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.hooks import AuditActions

ACTIONS = AuditActions(
    key="news",
    label=_("智慧宣传"),
    order=68,
    actions={
        "news.article_create": _("撰写宣传稿件"),
        "news.article_update": _("修改宣传稿件"),
        "news.article_submit": _("宣传稿件送审"),
        "news.article_approve": _("宣传稿件审核通过"),
        "news.article_return": _("宣传稿件退回修改"),
        "news.article_schedule": _("宣传稿件定时发布"),
        "news.article_publish": _("发布宣传稿件"),
        "news.article_withdraw": _("撤回宣传稿件"),
        "news.attachment_add": _("添加稿件附件"),
        "news.attachment_remove": _("删除稿件附件"),
        "news.subscription_save": _("订阅新闻"),
        "news.subscription_cancel": _("退订新闻"),
    },
    fields={
        "next": _("下一环节"),
        "comment": _("意见说明"),
        "reason": _("撤回原因"),
        "fields": _("修改的字段"),
        "scheduled": _("定时发布"),
        "categories": _("订阅栏目"),
        "by_email": _("同时发送邮件"),
        "groups": _("指定人群"),
    },
)
