"""How 组织生活 plugs into the platform: pages, navigation, to-dos, API, demo, the daily warning task."""

from celery.schedules import crontab
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts.roles import Permission as P
from dangjian.accounts.scope import Scope
from dangjian.hooks import NavEntry, PeriodicTask
from dangjian.orglife import (
    access,  # noqa: F401  (link rules register on import)
    audit_labels,
    province_demo,
    warning_sources,
)
from dangjian.orglife.compliance.todos import absence_warning_todos
from dangjian.orglife.compliance.warnings import raise_absence_warnings, warnings_visible_to
from dangjian.orglife.meetings.demo import seed_orglife
from dangjian.orglife.meetings.login_note import checkin_note
from dangjian.orglife.meetings.plan_tile import plan_tile
from dangjian.orglife.meetings.search import search_meetings
from dangjian.orglife.meetings.tiles import next_meeting_tile, secretary_questions, secretary_tile
from dangjian.orglife.meetings.todos import orglife_todos
from dangjian.orglife.models import WarningStatus
from dangjian.orglife.report_section import compliance_section
from dangjian.orglife.supervision.demo import seed_supervision
from dangjian.orglife.supervision.todos import supervision_todos


def _takes_part(scope: Scope) -> bool:
    """Members take part in their branch's meetings; organizers see those in their scope."""
    return scope.person_id is not None or scope.has(P.VIEW_ORGLIFE)


def _shown_in_menu(request: HttpRequest, scope: Scope) -> bool:
    return _takes_part(scope)


hooks.url_mounts.add(hooks.UrlMount("orglife/", "dangjian.orglife.urls", order=80))
hooks.api_routers.add(hooks.ApiRouter("dangjian.orglife.api:router", order=50))
hooks.nav_sections.add(hooks.NavSection("orglife", _("组织生活"), order=20))
hooks.nav.add(
    NavEntry(
        _("组织生活"),
        "orglife:home",
        "calendar",
        order=45,
        group="orglife",
        visible=_shown_in_menu,
        tab="orglife",
    )
)
hooks.nav.add(
    NavEntry(_("会议日历"), "orglife:calendar", "calendar", order=46, group="orglife", visible=_shown_in_menu)
)
hooks.login_notes.add(hooks.LoginNote("orglife.checkin", checkin_note))
hooks.nav.add(
    NavEntry(
        _("组织生活统计"),
        "orglife:stats_matrix",
        "chart",
        order=20,
        group="stats",
        permission=P.REVIEW_ORGLIFE,
    )
)
hooks.todos.add(hooks.TodoProvider("orglife", ask=orglife_todos.ask, answer=orglife_todos.answer))
hooks.search.add(hooks.SearchProvider("meetings", _("会议"), search_meetings, order=30, visible=_takes_part))
hooks.tiles.add(
    hooks.DashboardTile("orglife.next", "orglife/_tile_next.html", order=20, context=next_meeting_tile)
)
hooks.tiles.add(
    hooks.DashboardTile(
        "orglife.secretary",
        "orglife/_tile_secretary.html",
        order=21,
        context=secretary_tile,
        ask=secretary_questions,
    )
)
hooks.tiles.add(hooks.DashboardTile("orglife.plans", "orglife/_plan_tile.html", order=40, context=plan_tile))
hooks.todos.add(
    hooks.TodoProvider("orglife_stats", ask=absence_warning_todos.ask, answer=absence_warning_todos.answer)
)
hooks.todos.add(
    hooks.TodoProvider("orglife_supervision", ask=supervision_todos.ask, answer=supervision_todos.answer)
)
hooks.seeders.add(
    hooks.DemoSeeder(
        "orglife",
        lambda seed: seed_orglife(seed=seed),
        after=("learning",),
        province=lambda log: province_demo.generate(log),
    )
)
hooks.seeders.add(
    hooks.DemoSeeder("orglife.supervision", lambda seed: seed_supervision(seed=seed), after=("orglife",))
)
# What the daily task would find on the demo data.
hooks.seeders.add(
    hooks.DemoSeeder(
        "orglife.absence",
        lambda seed: {"absence warnings": raise_absence_warnings()},
        after=("orglife.supervision",),
    )
)
hooks.periodic.add(
    PeriodicTask(
        "orglife-absence-warnings",
        "dangjian.orglife.tasks.raise_absence_warnings",
        crontab(hour=6, minute=15),
    )
)
# The attendance tally (ADR 0009): rows that drifted from the meetings (a write past the services) are
# recomputed nightly and audited; after the core counters' repair at 03:40.
hooks.periodic.add(
    PeriodicTask(
        "orglife-repair-tally", "dangjian.orglife.tasks.repair_attendance_tally", crontab(hour=3, minute=50)
    )
)
hooks.warnings.add(
    hooks.WarningSource(
        "orglife.absence",
        _("连续缺席组织生活"),
        count=lambda scope: warnings_visible_to(scope).filter(status=WarningStatus.OPEN).count(),
        url_name="orglife:stats_warnings",
        severity="serious",
        permission=P.VIEW_ORGLIFE,
        findings=warning_sources.absence_findings,
    )
)

hooks.audit_actions.add(audit_labels.ACTIONS)


# ---- 评价与预警: 组织生活's indicators and person indicator (issue 16) -----------------------------------
def _contribute_indicators() -> None:
    from dangjian.orglife.indicators import INDICATORS, PERSON_INDICATORS

    for indicator in INDICATORS:
        hooks.indicators.add(indicator)
    for person_indicator in PERSON_INDICATORS:
        hooks.person_indicators.add(person_indicator)


_contribute_indicators()

# ---- warning sources of the 预警 centre and the last attendance for 失联 (issue 16) ----------------
hooks.warnings.add(
    hooks.WarningSource(
        "orglife.plan_missing",
        _("组织生活计划未提交"),
        count=lambda scope: warning_sources.plan_missing_count(scope, timezone.localdate()),
        url_name="orglife:plans",
        severity="notice",
        permission=P.VIEW_ORGLIFE,
        findings=warning_sources.plan_findings,
    )
)
hooks.warnings.add(
    hooks.WarningSource(
        "orglife.problem_overdue",
        _("督查问题整改超期"),
        count=lambda scope: warning_sources.problem_overdue_count(scope, timezone.localdate()),
        url_name="orglife:sup_problems",
        permission=P.VIEW_ORGLIFE,
        findings=warning_sources.problem_findings,
    )
)
hooks.last_contacts.add(
    hooks.LastContact("orglife.attended", _("参加组织生活"), warning_sources.last_attended)
)
# ---- end of the warning sources --------------------------------------------------------------------

# ---- 体检报告: the compliance matrix of the year (issue 16) ----------------------------------------------
hooks.report_sections.add(
    hooks.ReportSection(
        "orglife.compliance",
        _("组织生活落实情况"),
        "orglife/report/_compliance.html",
        context=compliance_section,
        order=10,
    )
)
