"""账户与角色's audit action codes in words, for the audit log (``hooks.audit_actions``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.hooks import AuditActions

ACTIONS = AuditActions(
    key="accounts",
    label=_("账户与权限"),
    order=20,
    actions={
        "role.assign": _("分配角色"),
        "account.totp_enrol": _("启用两步验证"),
        "account.token_create": _("创建 API 令牌"),
        "account.token_revoke": _("吊销 API 令牌"),
        "account.unlock": _("解除账户锁定"),
        "account.guide_dismiss": _("关闭新手指引"),
        "account.password_reset": _("通过邮件重置密码"),
        "account.password_change": _("修改密码"),
        "accounts.sso.login": _("统一身份认证登录"),
        "accounts.sso.user_create": _("统一身份认证创建账号"),
    },
    fields={
        "user": _("用户"),
        "records": _("清除的失败记录数"),
        "username": _("用户名"),
        "confirmed": _("已确认"),
        "guide": _("新手指引"),
        "by": _("方式"),
        "name": _("名称"),
        "days": _("有效天数"),
        "read_only": _("只读"),
        "provider": _("认证方式"),
    },
    values={
        "guide": {"dismissed": _("已关闭")},
        "by": {"email": _("邮件链接"), "self": _("本人修改"), "expired": _("密码到期后修改")},
        "provider": {"cas": "CAS", "oidc": "OIDC"},
    },
)
