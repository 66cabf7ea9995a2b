"""How the audit log plugs into the platform."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts.roles import Permission as P
from dangjian.audit.tiles import exports_tile
from dangjian.hooks import DashboardTile, NavEntry, PeriodicTask

hooks.url_mounts.add(hooks.UrlMount("audit/", "dangjian.audit.urls", order=30))
hooks.nav.add(
    NavEntry(_("审计日志"), "audit:log", "shield", order=170, group="system", permission=P.VIEW_AUDIT)
)
hooks.audit_actions.add(
    hooks.AuditActions(
        key="audit",
        label=_("审计"),
        order=90,
        actions={
            "audit.export": _("导出审计日志"),
            "audit.chain.broken": _("审计日志完整性校验失败"),
            "audit.purge": _("清理过期审计日志"),
        },
        fields={
            "filters": _("筛选条件"),
            "rows": _("行数"),
            "chain": _("审计链"),
            "seq": _("序号"),
            "kind": _("问题"),
            "event": _("事件编号"),
            "before": _("清理截止日期"),
            "events": _("清理事件数"),
            "chains": _("清理链数"),
            "retention_days": _("保留天数"),
        },
    )
)
hooks.tiles.add(DashboardTile("audit.exports", "audit/_exports_tile.html", order=90, context=exports_tile))
hooks.periodic.add(
    PeriodicTask("audit-chain-check", "dangjian.audit.tasks.check_audit_chains", crontab(hour=2, minute=30))
)
hooks.periodic.add(
    PeriodicTask(
        "audit-retention-purge", "dangjian.audit.tasks.purge_expired_audit_events", crontab(hour=3, minute=30)
    )
)
