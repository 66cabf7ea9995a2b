"""How 发展党员 plugs into the platform: pages, navigation, to-dos, person page, API, demo, warnings."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts.roles import Permission as P
from dangjian.accounts.scope import Scope
from dangjian.hooks import ImportKind, NavEntry, PersonPanel, events
from dangjian.recruitment import access, audit_labels, imports, province_demo, reactions, warning_sources
from dangjian.recruitment.demo import seed_recruitment
from dangjian.recruitment.panels import person_panel
from dangjian.recruitment.report_section import funnel_section
from dangjian.recruitment.search import search_recruitment
from dangjian.recruitment.selectors import has_own_case, overdue_count
from dangjian.recruitment.todos import recruitment_todos

PIPELINE_STATUSES = ("applicant", "activist", "candidate", "probationary")


def _in_pipeline(request: HttpRequest, scope: Scope) -> bool:
    """Applicants, activists, development targets and probationers see their own 入党进度."""
    person = getattr(request.user, "person", None)
    return person is not None and person.political_status in PIPELINE_STATUSES and has_own_case(person.pk)


def _school_admin(request: HttpRequest, scope: Scope) -> bool:
    return access.may_enter_holidays(scope)


hooks.url_mounts.add(hooks.UrlMount("recruitment/", "dangjian.recruitment.urls", order=70))
hooks.api_routers.add(hooks.ApiRouter("dangjian.recruitment.api:router", order=40))
hooks.nav_sections.add(hooks.NavSection("recruitment", _("发展党员"), order=30))
hooks.nav.add(
    NavEntry(
        _("发展党员"),
        "recruitment:board",
        "flag",
        order=80,
        group="recruitment",
        permission=P.MANAGE_RECRUITMENT,
    )
)
hooks.nav.add(
    NavEntry(
        _("超期与违规提醒"),
        "recruitment:alerts",
        "alert",
        order=90,
        group="recruitment",
        permission=P.MANAGE_RECRUITMENT,
    )
)
hooks.nav.add(
    NavEntry(
        _("我的入党进度"), "recruitment:me", "flag", order=100, group="recruitment", visible=_in_pipeline
    )
)
hooks.nav.add(
    NavEntry(
        _("法定节假日"), "recruitment:holidays", "calendar", order=110, group="system", visible=_school_admin
    )
)
hooks.todos.add(hooks.TodoProvider("recruitment", ask=recruitment_todos.ask, answer=recruitment_todos.answer))
hooks.search.add(
    hooks.SearchProvider(
        "recruitment", _("发展党员"), search_recruitment, order=40, permission=P.MANAGE_RECRUITMENT
    )
)
hooks.person_panels.add(
    PersonPanel("recruitment", "recruitment/_person_actions.html", order=20, context=person_panel)
)
hooks.seeders.add(
    hooks.DemoSeeder(
        "recruitment",
        lambda seed: seed_recruitment(seed=seed),
        after=("dues",),
        province=lambda log: province_demo.generate(log),
    )
)
hooks.warnings.add(
    hooks.WarningSource(
        "recruitment.overdue",
        _("发展党员超期"),
        count=lambda scope: overdue_count(scope, timezone.localdate()),
        url_name="recruitment:alerts",
        permission=P.MANAGE_RECRUITMENT,
        findings=warning_sources.overdue_findings,  # issue 16: one finding per overdue case
    )
)
hooks.imports.add(
    ImportKind(
        imports.JOB_KIND,
        _("导入发展党员档案"),
        spec=imports.spec,
        context=imports.context,
        may_import=access.may_import,
        template_name="recruitment-template.xlsx",
        upload_url="recruitment:import",
        template_url="recruitment:import_template",
        commit_url="recruitment:import_commit",
        back_url="recruitment:board",
        back_label=_("发展党员"),
        valid_rows=False,  # the cases of a file go in together, or none
        updates=False,  # only new cases: a person with a case is refused
        warnings=imports.row_warnings,
        dry_run_note=_(
            "上传文件：平台先做预检，逐行检查而不写入任何数据；不符合时限规则的日期列为提醒，不阻止导入。"
        ),
    )
)

# Reactions to other modules' events, through this module's own services.
events.membership_moved.connect(reactions.on_membership_moved, dispatch_uid="recruitment.case_follows")
events.training_passed.connect(reactions.on_training_passed, dispatch_uid="recruitment.training_step")

hooks.audit_actions.add(audit_labels.ACTIONS)


# ---- 评价与预警: 发展党员's indicators (issue 16) --------------------------------------------------------
def _contribute_indicators() -> None:
    from dangjian.recruitment.indicators import INDICATORS

    for indicator in INDICATORS:
        hooks.indicators.add(indicator)


_contribute_indicators()

# ---- 体检报告: the 发展党员 funnel (issue 16) -----------------------------------------------------
hooks.report_sections.add(
    hooks.ReportSection(
        "recruitment.funnel",
        _("发展党员"),
        "recruitment/report/_funnel.html",
        context=funnel_section,
        order=30,
    )
)
