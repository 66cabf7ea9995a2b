"""How 评价与预警 plugs into the platform: pages, menu, API, the nightly computation, the demo."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts.roles import Permission as P
from dangjian.insights import audit_labels, lost_contact
from dangjian.insights.indices import jobs as _jobs  # noqa: F401  (the job kinds register on import)
from dangjian.insights.indices.demo import seed_indices
from dangjian.insights.reports import jobs as _report_jobs  # noqa: F401

hooks.url_mounts.add(hooks.UrlMount("insights/", "dangjian.insights.urls", order=95))
hooks.nav_sections.add(hooks.NavSection("insights", _("评价与预警"), order=65))
hooks.audit_actions.add(audit_labels.ACTIONS)

# ---- 评价指数 -----------------------------------------------------------------------------------
hooks.api_routers.add(hooks.ApiRouter("dangjian.insights.indices.api:router", prefix="/insights", order=70))
hooks.api_routers.add(hooks.ApiRouter("dangjian.insights.reports.api:router", prefix="/reports", order=71))
hooks.nav.add(
    hooks.NavEntry(
        _("运行状态矩阵图"), "insights:home", "chart", order=10, group="insights", permission=P.VIEW_INSIGHTS
    )
)
hooks.periodic.add(
    hooks.PeriodicTask(
        "insights-compute-indices",
        "dangjian.insights.indices.tasks.compute_indices",
        crontab(hour=3, minute=30),
    )
)
hooks.seeders.add(
    hooks.DemoSeeder(
        "insights.indices",
        seed_indices,
        after=("orglife.supervision", "dues", "learning", "recruitment"),
    )
)

# ---- 失联 computed from the modules' last contacts (issue 16: warning sources) ---------------------
hooks.warnings.add(
    hooks.WarningSource(
        lost_contact.CODE,
        _("失联党员"),
        count=lost_contact.lost_contact_count,
        url_name="core:person_list",
        severity="serious",
        permission=P.HANDLE_WARNINGS,
        findings=lost_contact.lost_contact_findings,
    )
)
# ---- end of 失联 -----------------------------------------------------------------------------------
