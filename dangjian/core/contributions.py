"""How 组织与人员 plugs into the platform (pages, navigation, to-dos, API, periodic tasks, imports)."""

from celery.schedules import crontab
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts.roles import Permission as P
from dangjian.core import (
    access,  # noqa: F401  (link rules register on import)
    audit_labels,
    imports,
    imports_members,
    imports_orgs,
    imports_positions,
    search,
    warning_sources,
)
from dangjian.core.imports_page import shared_page_kind
from dangjian.core.todos import core_todos
from dangjian.hooks import NavEntry, PeriodicTask

hooks.url_mounts.add(hooks.UrlMount("", "dangjian.core.urls", order=10))
hooks.api_routers.add(hooks.ApiRouter("dangjian.core.api:router", order=10))
hooks.nav_sections.add(hooks.NavSection("people", _("组织与人员"), order=10))
hooks.nav.add(NavEntry(_("组织"), "core:org_tree", "tree", order=20, group="people", permission=P.VIEW_ORGS))
hooks.nav.add(
    NavEntry(_("人员"), "core:person_list", "users", order=30, group="people", permission=P.VIEW_PEOPLE)
)
hooks.nav.add(
    NavEntry(_("规范检查"), "core:rule_checks", "check", order=40, group="people", permission=P.VIEW_ORGS)
)
hooks.todos.add(hooks.TodoProvider("core", core_todos))
hooks.search.add(
    hooks.SearchProvider("people", _("人员"), search.search_people, order=10, permission=P.VIEW_PEOPLE)
)
hooks.search.add(
    hooks.SearchProvider("orgs", _("党组织"), search.search_orgs, order=20, permission=P.VIEW_ORGS)
)
hooks.periodic.add(
    PeriodicTask(
        "term-expiry-reminders", "dangjian.core.tasks.send_term_expiry_reminders", crontab(hour=7, minute=30)
    )
)
hooks.periodic.add(
    PeriodicTask("repair-counters", "dangjian.core.tasks.repair_counters", crontab(hour=3, minute=40))
)
hooks.periodic.add(
    PeriodicTask(
        "anonymise-departed-people",
        "dangjian.core.tasks.anonymise_departed_people",
        crontab(hour=4, minute=15),
    )
)

# Imports on the shared page /imports/<name>/; the first argument is the kind of their jobs (stored).
hooks.imports.add(
    shared_page_kind(
        "people_import",
        "people",
        _("导入人员"),
        imports.PEOPLE,
        P.MANAGE_PEOPLE,
        "core:person_list",
        context=imports.context,
    )
)
hooks.imports.add(
    shared_page_kind(
        "member_import",
        "members",
        _("导入党员档案"),
        imports_members.MEMBERS,
        P.MANAGE_MEMBERSHIPS,
        "core:person_list",
    )
)
hooks.imports.add(
    shared_page_kind(
        "position_import",
        "positions",
        _("导入党内职务"),
        imports_positions.POSITIONS,
        P.MANAGE_POSITIONS,
        "core:org_tree",
        context=imports_positions.context,
    )
)
hooks.imports.add(
    shared_page_kind(
        "org_import",
        "orgs",
        _("导入党组织"),
        imports_orgs.ORGS,
        P.MANAGE_ORGS,
        "core:org_tree",
        context=imports_orgs.context,
    )
)

hooks.audit_actions.add(audit_labels.ACTIONS)


# ---- 评价与预警: the core's indicators (issue 16) ----------------------------------------------------
def _contribute_indicators() -> None:
    from dangjian.core.indicators import INDICATORS

    for indicator in INDICATORS:
        hooks.indicators.add(indicator)


_contribute_indicators()

# ---- warning sources of the 预警 centre: 换届, the branch committee and secretary, branch size (issue 16)
hooks.warnings.add(
    hooks.WarningSource(
        warning_sources.TERM,
        _("换届提醒"),
        count=lambda scope: warning_sources.term_count(scope, timezone.localdate()),
        url_name="core:rule_checks",
        permission=P.VIEW_ORGS,
        findings=warning_sources.term_findings,
    )
)
hooks.warnings.add(
    hooks.WarningSource(
        warning_sources.COMMITTEE,
        _("支部委员会或书记未配齐"),
        count=lambda scope: warning_sources.committee_count(scope, timezone.localdate()),
        url_name="core:rule_checks",
        permission=P.VIEW_ORGS,
        findings=warning_sources.committee_findings,
    )
)
hooks.warnings.add(
    hooks.WarningSource(
        warning_sources.BRANCH_SIZE,
        _("支部规模不符合规定"),
        count=lambda scope: warning_sources.size_count(scope, timezone.localdate()),
        url_name="core:rule_checks",
        permission=P.VIEW_ORGS,
        findings=warning_sources.size_findings,
    )
)
# ---- end of the warning sources --------------------------------------------------------------------
