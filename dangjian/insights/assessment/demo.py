"""Demo 述职评议考核: last year's assessments finished and published — the school's of its colleges and
each college's of its branches — with 述职报告, reviewers' scores spread around each organization's
indicator score, grades by the scheme (one adjusted with a reason). The year's indices are computed
first so the indicator scores are there. Through the services, as in real work."""

from __future__ import annotations

import random
from decimal import Decimal

from django.utils import timezone

from dangjian.accounts.recipients import organizers_at
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind
from dangjian.insights.assessment import services
from dangjian.insights.assessment.models import Assessment, Grade, Reviewer, Target
from dangjian.insights.indices.services import indices_compute
from dangjian.insights.models import PeriodKind
from dangjian.insights.periods import containing

SYSTEM = Scope.system()
REPORT = (
    "一、履行党建工作责任情况：班子把党建工作列入重要议事日程，定期研究党建工作，书记带头讲党课。\n"
    "二、抓基层党建重点任务情况：按时开展“三会一课”和主题党日，党员教育管理和发展党员工作规范有序。\n"
    "三、存在的问题：组织生活的形式还不够丰富，个别党员学习的主动性不强。\n"
    "四、下一步工作思路：落实组织生活制度，加强党员日常教育管理，推动党建与业务深度融合。"
)


def _run(rng: random.Random, org: Organization, year: int, reviewers: list[str]) -> Assessment | None:
    if Assessment.objects.filter(organization=org, year=year).exists() or not reviewers:
        return None
    assessment = services.assessment_open(actor=None, scope=SYSTEM, org=org, year=year)
    services.reviewers_set(
        actor=None, scope=SYSTEM, assessment=assessment, usernames=reviewers, expected_status=None
    )
    targets = list(Target.objects.filter(assessment=assessment))
    for t in targets:
        if rng.random() < 0.9:
            services.report_submit(actor=None, scope=SYSTEM, target=t, text=REPORT, expected_status=None)
    services.assessment_advance(actor=None, scope=SYSTEM, assessment=assessment, expected_status=None)
    # Reviewers judge an organization a little above what its indices say, with their own spread.
    quality = {
        t.pk: 88 + ((t.indicator_score if t.indicator_score is not None else rng.uniform(55, 80)) - 60) / 2
        for t in targets
    }
    for reviewer in Reviewer.objects.filter(assessment=assessment):
        scores = {
            t.pk: Decimal(str(round(min(100.0, max(40.0, rng.gauss(quality[t.pk], 4))) * 2) / 2))
            for t in targets
        }
        services.scores_submit(
            actor=None,
            scope=SYSTEM,
            assessment=assessment,
            scores=scores,
            expected_status=None,
            on_behalf_of=reviewer.user_id,
        )
    services.assessment_advance(actor=None, scope=SYSTEM, assessment=assessment, expected_status=None)
    graded = list(Target.objects.filter(assessment=assessment).order_by("organization__path"))
    grades = {t.pk: (t.proposed_grade, "") for t in graded}
    raised = next((t for t in graded if t.proposed_grade == Grade.FAIRLY_GOOD), None)
    if raised is not None:
        grades[raised.pk] = (Grade.GOOD, "年度内获评校级样板支部，经考核组织研究调整为“好”")
    services.grades_decide(
        actor=None, scope=SYSTEM, assessment=assessment, grades=grades, expected_status=None
    )
    services.assessment_publish(actor=None, scope=SYSTEM, assessment=assessment, expected_status=None)
    return assessment


def seed_assessment(seed: int) -> dict[str, int]:
    rng = random.Random(seed + 81)
    year = timezone.localdate().year - 1
    last_year = containing(PeriodKind.YEAR, timezone.localdate().replace(year=year))
    indices_compute(actor=None, scope=SYSTEM, period=last_year, today=timezone.localdate())
    root = Organization.objects.get_first_root_node()  # type: ignore[attr-defined]
    if root is None:
        return {"assessments": 0}
    school_reviewers = [u.username for u in organizers_at(root)]
    made = 0
    if _run(rng, root, year, school_reviewers):
        made += 1
    colleges = Organization.objects.filter(
        depth=root.depth + 1, kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH], is_active=True
    ).order_by("path")
    for college in colleges:
        reviewers = [u.username for u in organizers_at(college)] + school_reviewers
        if _run(rng, college, year, list(dict.fromkeys(reviewers))):
            made += 1
    return {"assessments": made}
