"""How 评价与预警 plugs into the platform: the module's menu section, pages and API, then one block per
part of the module (the 预警 centre: menu entry, tile, to-do, nightly run, demo, audit words)."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts.roles import Permission as P
from dangjian.insights.warnings import access as warnings_access  # noqa: F401  (link rules register on import)
from dangjian.insights.warnings import audit_labels as warnings_audit
from dangjian.insights.warnings.demo import seed_warnings
from dangjian.insights.warnings.tiles import warnings_tile
from dangjian.insights.warnings.todos import warning_todos

# ---- the module ------------------------------------------------------------------------------------------

hooks.nav_sections.add(hooks.NavSection("insights", _("评价与预警"), order=60))
hooks.url_mounts.add(hooks.UrlMount("insights/", "dangjian.insights.urls", order=95))
hooks.api_routers.add(hooks.ApiRouter("dangjian.insights.api:router", order=65))

# ---- 预警 centre (insights.warnings) -------------------------------------------------------------------

hooks.nav.add(
    hooks.NavEntry(
        _("预警中心"), "insights:warnings", "alert", order=160, group="insights", permission=P.HANDLE_WARNINGS
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
        after=("dues", "recruitment", "learning", "orglife.absence", "transfers", "returns"),
    )
)
hooks.audit_actions.add(warnings_audit.ACTIONS)
