"""How 评价与预警 plugs into the platform: the module's menu section, pages and API, then one block per
part of the module (评价指数 and 体检报告; 失联; the 预警 centre)."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts.roles import Permission as P
from dangjian.accounts.scope import Scope
from dangjian.insights import audit_labels, lost_contact
from dangjian.insights.assessment import audit_labels as assessment_audit
from dangjian.insights.assessment.demo import seed_assessment
from dangjian.insights.assessment.todos import assessment_todos
from dangjian.insights.indices import jobs as _jobs  # noqa: F401  (the job kinds register on import)
from dangjian.insights.indices.demo import seed_indices
from dangjian.insights.reports import jobs as _report_jobs  # noqa: F401
from dangjian.insights.warnings import access as warnings_access  # noqa: F401  (link rules register on import)
from dangjian.insights.warnings import audit_labels as warnings_audit
from dangjian.insights.warnings.demo import seed_warnings
from dangjian.insights.warnings.tiles import warnings_tile
from dangjian.insights.warnings.todos import warning_todos

# ---- the module ------------------------------------------------------------------------------------
hooks.nav_sections.add(hooks.NavSection("insights", _("评价与预警"), order=65))
hooks.url_mounts.add(hooks.UrlMount("insights/", "dangjian.insights.urls", order=95))
hooks.api_routers.add(hooks.ApiRouter("dangjian.insights.api:router", order=65))
hooks.audit_actions.add(audit_labels.ACTIONS)

# ---- 评价指数 and 体检报告 ----------------------------------------------------------------------------
hooks.api_routers.add(hooks.ApiRouter("dangjian.insights.indices.api:router", prefix="/insights", order=70))
hooks.api_routers.add(hooks.ApiRouter("dangjian.insights.reports.api:router", prefix="/reports", order=71))
hooks.nav.add(
    hooks.NavEntry(
        _("运行状态矩阵图"), "insights:home", "chart", order=10, group="insights", permission=P.VIEW_INSIGHTS
    )
)
hooks.nav.add(
    hooks.NavEntry(
        _("领导驾驶舱"), "insights:dashboard", "chart", order=5, group="insights", permission=P.VIEW_INSIGHTS
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
        after=("orglife.supervision", "dues", "learning", "recruitment", "news.attention", "volunteer"),
    )
)

# ---- 失联 computed from the modules' last contacts (a warning source) -------------------------------
hooks.warnings.add(
    hooks.WarningSource(
        lost_contact.CODE,
        _("失联党员"),
        count=lost_contact.lost_contact_count,
        url_name="insights:warnings",
        severity="serious",
        permission=P.HANDLE_WARNINGS,
        findings=lost_contact.lost_contact_findings,
    )
)

# ---- 预警 centre (insights.warnings) ---------------------------------------------------------------
hooks.nav.add(
    hooks.NavEntry(
        _("预警中心"), "insights:warnings", "alert", order=20, group="insights", permission=P.HANDLE_WARNINGS
    )
)
hooks.tiles.add(
    hooks.DashboardTile("insights.warnings", "insights/warnings/_tile.html", order=15, context=warnings_tile)
)
hooks.todos.add(hooks.TodoProvider("insights_warnings", warning_todos))
hooks.periodic.add(
    hooks.PeriodicTask(
        # after the modules' own daily runs (orglife's absence warnings at 06:15)
        "insights-warnings-sync",
        "dangjian.insights.warnings.tasks.sync_alerts",
        crontab(hour=6, minute=45),
    )
)
# After every module's demo, so that their cases are there to be found.
hooks.seeders.add(
    hooks.DemoSeeder(
        "insights.warnings",
        lambda seed: seed_warnings(),
        after=("dues", "recruitment", "learning", "orglife.absence", "transfers", "returns", "mailbox"),
    )
)
hooks.audit_actions.add(warnings_audit.ACTIONS)

# ---- 述职评议考核 (insights.assessment) -------------------------------------------------------------


def _assesses_or_reports(request: object, scope: Scope) -> bool:
    # Organizers run assessments; secretaries (VIEW_INSIGHTS over their branch) write their 述职报告.
    return scope.has(P.ASSESS_ORGS) or scope.has(P.VIEW_INSIGHTS)


hooks.nav.add(
    hooks.NavEntry(
        _("述职评议考核"),
        "insights:assessments",
        "list",
        order=30,
        group="insights",
        visible=_assesses_or_reports,
    )
)
hooks.todos.add(
    hooks.TodoProvider("insights_assessment", ask=assessment_todos.ask, answer=assessment_todos.answer)
)
hooks.seeders.add(hooks.DemoSeeder("insights.assessment", seed_assessment, after=("insights.indices",)))
hooks.audit_actions.add(assessment_audit.ACTIONS)
