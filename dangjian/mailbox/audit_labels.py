"""The 书记信箱's audit action codes in words, for the audit log (``hooks.audit_actions``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.hooks import AuditActions

ACTIONS = AuditActions(
    key="mailbox",
    label=_("书记信箱"),
    order=76,
    actions={
        "mailbox.letter_write": _("来信"),
        "mailbox.letter_reply": _("回复来信"),
        "mailbox.letter_transfer": _("转办来信"),
        "mailbox.letter_close": _("办结来信"),
        "mailbox.letter_rate": _("评价来信答复"),
    },
    fields={"reply": _("回复"), "reason": _("转办理由"), "public": _("社会公众来信")},
)
