"""How 党费 plugs into the platform: pages, navigation, to-dos, person page, API, demo, monthly tasks."""

from celery.schedules import crontab
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts.roles import Permission as P
from dangjian.accounts.scope import Scope
from dangjian.core.imports_page import shared_page_kind
from dangjian.dues import (
    access,  # noqa: F401  (link rules register on import)
    audit_labels,
    province_demo,
    warning_sources,
)
from dangjian.dues.demo import seed_dues
from dangjian.dues.imports import DUES_BASES
from dangjian.dues.panels import declarations_tile, my_dues_questions, my_dues_tile, person_panel
from dangjian.dues.todos import dues_todos
from dangjian.hooks import DashboardTile, NavEntry, PeriodicTask, PersonPanel


def _pays_dues(request: HttpRequest, scope: Scope) -> bool:
    return scope.person_id is not None


hooks.url_mounts.add(hooks.UrlMount("dues/", "dangjian.dues.urls", order=50))
hooks.api_routers.add(hooks.ApiRouter("dangjian.dues.api:router", order=20))
hooks.nav_sections.add(hooks.NavSection("dues", _("党费"), order=40))
hooks.nav.add(
    NavEntry(
        _("党费收缴"),
        "dues:home",
        "coin",
        order=50,
        group="dues",
        permission=P.VIEW_DUES,
        tab="dues",
        tab_label=_("党费"),
    )
)
hooks.nav.add(
    NavEntry(
        _("我的党费"),
        "dues:me",
        "wallet",
        order=60,
        group="dues",
        visible=_pays_dues,
        tab="dues",
        tab_label=_("党费"),
    )
)
hooks.todos.add(hooks.TodoProvider("dues", ask=dues_todos.ask, answer=dues_todos.answer))
hooks.person_panels.add(PersonPanel("dues", "dues/_person_actions.html", order=30, context=person_panel))
hooks.tiles.add(
    DashboardTile("dues.declarations", "dues/_tile_declarations.html", order=20, context=declarations_tile)
)
hooks.tiles.add(
    DashboardTile("dues.mine", "dues/_tile_mine.html", order=60, context=my_dues_tile, ask=my_dues_questions)
)
hooks.seeders.add(
    hooks.DemoSeeder(
        "dues", lambda seed: seed_dues(seed=seed), province=lambda log: province_demo.generate(log)
    )
)
# On the shared import page /imports/dues-bases/ (the jobs' kind "dues_base_import" is stored on them).
hooks.imports.add(
    shared_page_kind(
        "dues_base_import", "dues-bases", _("导入党费基数"), DUES_BASES, P.MANAGE_DUES, "dues:home"
    )
)
hooks.periodic.add(
    PeriodicTask(
        "dues-monthly-bills",
        "dangjian.dues.tasks.generate_monthly_bills",
        crontab(day_of_month=1, hour=0, minute=30),
    )
)
hooks.periodic.add(
    PeriodicTask(
        "dues-reminders",
        "dangjian.dues.tasks.send_dues_reminders",
        crontab(day_of_month=10, hour=9, minute=0),
    )
)

hooks.audit_actions.add(audit_labels.ACTIONS)


# ---- 评价与预警: 党费's indicator and person indicator (issue 16) ----------------------------------------
def _contribute_indicators() -> None:
    from dangjian.dues.indicators import INDICATORS, PERSON_INDICATORS

    for indicator in INDICATORS:
        hooks.indicators.add(indicator)
    for person_indicator in PERSON_INDICATORS:
        hooks.person_indicators.add(person_indicator)


_contribute_indicators()

# ---- warning sources of the 预警 centre and the last payment for 失联 (issue 16) -------------------
hooks.warnings.add(
    hooks.WarningSource(
        warning_sources.CODE,
        _("党费连续未交"),
        count=lambda scope: warning_sources.unpaid_count(scope, timezone.localdate()),
        url_name="dues:home",
        permission=P.VIEW_DUES,
        findings=warning_sources.unpaid_findings,
    )
)
hooks.last_contacts.add(hooks.LastContact("dues.paid", _("交纳党费"), warning_sources.last_paid))
# ---- end of the warning sources --------------------------------------------------------------------
