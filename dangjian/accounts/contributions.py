"""How accounts plugs into the platform: its pages, the security page and the user's own page."""

from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts import audit_labels
from dangjian.accounts.roles import Permission as P
from dangjian.hooks import NavEntry

hooks.url_mounts.add(hooks.UrlMount("accounts/", "dangjian.accounts.urls", order=20))
hooks.nav.add(
    NavEntry(
        _("安全策略"),
        "accounts:security",
        "lock",
        order=180,
        group="system",
        permission=P.MANAGE_SECURITY,
    )
)
hooks.nav.add(NavEntry(_("我的"), "accounts:me", "user", order=190, group="mine", tab="me"))

hooks.audit_actions.add(audit_labels.ACTIONS)
