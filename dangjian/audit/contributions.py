"""How the audit log plugs into the platform."""

from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts.roles import Permission as P
from dangjian.audit.tiles import exports_tile
from dangjian.hooks import DashboardTile, NavEntry

hooks.url_mounts.add(hooks.UrlMount("audit/", "dangjian.audit.urls", order=30))
hooks.nav.add(
    NavEntry(_("审计日志"), "audit:log", "shield", order=170, group="system", permission=P.VIEW_AUDIT)
)
hooks.audit_actions.add(
    hooks.AuditActions(
        key="audit",
        label=_("审计"),
        order=90,
        actions={"audit.export": _("导出审计日志")},
        fields={"filters": _("筛选条件"), "rows": _("行数")},
    )
)
hooks.tiles.add(DashboardTile("audit.exports", "audit/_exports_tile.html", order=90, context=exports_tile))
