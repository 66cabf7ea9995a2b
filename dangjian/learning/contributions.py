"""How 党员学习 plugs into the platform: pages, navigation, to-dos, demo."""

from celery.schedules import crontab
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts.roles import Permission as P
from dangjian.accounts.scope import Scope
from dangjian.hooks import ImportKind, NavEntry, events
from dangjian.learning import access, audit_labels, imports, province_demo, warning_sources
from dangjian.learning.demo import seed_learning
from dangjian.learning.exams import imports as exam_imports
from dangjian.learning.report_section import hours_section
from dangjian.learning.tiles import hours_tile
from dangjian.learning.todos import learning_todos


def _has_person(request: HttpRequest, scope: Scope) -> bool:
    return scope.person_id is not None


def _reads_library(request: HttpRequest, scope: Scope) -> bool:
    """Readers (a person) and those who publish (manage training somewhere)."""
    return scope.person_id is not None or scope.has(P.MANAGE_TRAINING)


hooks.url_mounts.add(hooks.UrlMount("learning/", "dangjian.learning.urls", order=90))
hooks.api_routers.add(hooks.ApiRouter("dangjian.learning.api:router", prefix="/learning", order=55))
hooks.api_routers.add(hooks.ApiRouter("dangjian.learning.library.api:router", prefix="/learning", order=56))
hooks.url_mounts.add(hooks.UrlMount("learning/exams/", "dangjian.learning.exams.urls", order=89))
hooks.api_routers.add(hooks.ApiRouter("dangjian.learning.exams.api:router", prefix="/learning", order=57))
hooks.nav_sections.add(hooks.NavSection("learning", _("学习"), order=50))
hooks.nav.add(
    NavEntry(
        _("党校培训"), "learning:classes", "school", order=120, group="learning", permission=P.VIEW_TRAINING
    )
)
hooks.nav.add(
    NavEntry(
        _("学时台账"), "learning:ledger_home", "chart", order=124, group="learning", permission=P.VIEW_STUDY
    )
)
hooks.nav.add(
    NavEntry(_("专题培训"), "learning:topics", "list", order=126, group="learning", permission=P.RECORD_STUDY)
)
hooks.nav.add(
    NavEntry(_("学习库"), "learning:library", "book", order=127, group="learning", visible=_reads_library)
)
hooks.nav.add(
    NavEntry(_("网上课程"), "learning:courses", "school", order=128, group="learning", visible=_reads_library)
)
hooks.nav.add(
    NavEntry(
        _("学习计划"),
        "learning:study_plans",
        "list",
        order=129,
        group="learning",
        permission=P.MANAGE_TRAINING,
    )
)
hooks.nav.add(
    NavEntry(_("随堂测试"), "exams:quizzes", "list", order=132, group="learning", permission=P.VIEW_TRAINING)
)
hooks.nav.add(
    NavEntry(_("题库"), "exams:bank", "book", order=133, group="learning", permission=P.MANAGE_TRAINING)
)
hooks.nav.add(NavEntry(_("我的测试"), "exams:mine", "list", order=131, group="learning", visible=_has_person))
hooks.nav.add(
    NavEntry(_("我的学习"), "learning:me", "book", order=130, group="learning", visible=_has_person)
)
hooks.periodic.add(
    hooks.PeriodicTask(
        "learning-study-reminders",
        "dangjian.learning.ledger.tasks.send_study_reminders",
        crontab(hour=8, minute=20),
    )
)


hooks.periodic.add(
    hooks.PeriodicTask(
        "learning-plan-reminders",
        "dangjian.learning.library.tasks.send_plan_reminders",
        crontab(hour=8, minute=25),
    )
)


def _on_study_attended(sender: object, actor: object, attendances: list[object], **kwargs: object) -> None:
    from dangjian.learning.ledger.services import attendance_sync

    attendance_sync(actor=actor, attendances=attendances)  # type: ignore[arg-type]


events.study_attended.connect(_on_study_attended, dispatch_uid="learning.study_attended")
hooks.todos.add(hooks.TodoProvider("learning", ask=learning_todos.ask, answer=learning_todos.answer))
hooks.tiles.add(
    hooks.DashboardTile("learning.hours", "learning/_hours_tile.html", order=40, context=hours_tile)
)
# The demo has always been seeded in this order (dues, recruitment, learning, orglife); the same seed
# gives the same data.
hooks.seeders.add(
    hooks.DemoSeeder(
        "learning",
        lambda seed: seed_learning(seed=seed),
        after=("recruitment",),
        province=lambda log: province_demo.generate(log),
    )
)
hooks.imports.add(
    ImportKind(
        imports.JOB_KIND,
        _("导入学员"),  # the jobs: "导入学员预检：<class>", "导入学员：<class>"
        spec=lambda: imports.ENROLMENTS,
        context=imports.context,
        may_import=access.may_import,
        template_name="training-enrolments-template.xlsx",
        upload_url="learning:import",
        template_url="learning:import_template",
        commit_url="learning:import_commit",
        subject_param="class_id",
        subject=imports.subject,
        valid_rows=False,  # a class's rows go in together, or none
    )
)

hooks.imports.add(
    ImportKind(
        exam_imports.JOB_KIND,
        _("导入题库"),  # the jobs: "导入题库预检：<org>", "导入题库：<org>"
        spec=lambda: exam_imports.QUESTIONS,
        context=exam_imports.context,
        may_import=exam_imports.may_import,
        template_name="question-bank-template.xlsx",
        upload_url="exams:import",
        template_url="exams:import_template",
        commit_url="exams:import_commit",
        subject_param="org_id",
        subject=exam_imports.subject,
        valid_rows=False,  # a bank's rows go in together, or none
    )
)
hooks.periodic.add(
    hooks.PeriodicTask(
        "learning-close-due-attempts",
        "dangjian.learning.exams.tasks.close_due_attempts",
        crontab(minute="*/10"),
    )
)

hooks.audit_actions.add(audit_labels.ACTIONS)


# ---- 评价与预警: 党员学习's indicators and person indicators (issue 16) -----------------------------------
def _contribute_indicators() -> None:
    from dangjian.learning.indicators import INDICATORS, PERSON_INDICATORS

    for indicator in INDICATORS:
        hooks.indicators.add(indicator)
    for person_indicator in PERSON_INDICATORS:
        hooks.person_indicators.add(person_indicator)


_contribute_indicators()

# ---- warning source of the 预警 centre: members behind the year's study pace, per branch (issue 16) -
hooks.warnings.add(
    hooks.WarningSource(
        warning_sources.CODE,
        _("学时落后于年度进度"),
        count=lambda scope: warning_sources.behind_count(scope, timezone.localdate()),
        url_name="learning:ledger_home",
        severity="notice",
        permission=P.VIEW_STUDY,
        findings=warning_sources.behind_findings,
    )
)
# ---- end of the warning source ---------------------------------------------------------------------

# ---- 体检报告: the study hours' spread against the year's target (issue 16) ---------------------------
hooks.report_sections.add(
    hooks.ReportSection(
        "learning.hours",
        _("党员学时分布"),
        "learning/report/_hours.html",
        context=hours_section,
        order=20,
    )
)
