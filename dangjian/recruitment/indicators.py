"""发展党员's indicators for 评价与预警 (issue 16): open cases on time, the people who want to join per
member of the branch (an attraction measure), and the funnel — how many people stood at each stage
(入党申请人, 入党积极分子, 发展对象, 预备党员) at the period's end.

Overdue is the module's own rule (``selectors.overdue_condition``: the next step of a case has a deadline
under 细则 that passed — the talk within 1 month of the application, the half-yearly evaluation, the
branch meeting within 1 month of the pre-review, the approval within 3 months, the oath within 1 month),
judged on ``end`` with the steps as recorded. Set-based: open cases per branch in one grouped query, the
overdue ones in another; the applicants in one grouped query and the members in one more; each stage of
the funnel in one grouped query and the active branches in one more.

The funnel reads a case's stage *as at* the end from its step records (the last step done by then that
enters a stage; none: still 入党申请人), not the stage it has now, so a closed period keeps its counts
when the cases move on. A case counts at the branch it is held in now (a case follows its person)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from dangjian.core.indicators import active_branches, branch_q, member_counts
from dangjian.core.models import Person, PoliticalStatus
from dangjian.hooks import Indicator, Reading
from dangjian.recruitment.models import Case, CaseStatus, Stage, StepRecord
from dangjian.recruitment.selectors import overdue_among

SOURCE = _("发展党员")
WANTING = (PoliticalStatus.APPLICANT, PoliticalStatus.ACTIVIST, PoliticalStatus.CANDIDATE)


def on_time_readings(start: date, end: date) -> dict[int, Reading]:
    """``recruitment.on_time``: open cases not overdue at ``end`` / open cases applied by ``end``."""
    cases = Case.objects.filter(branch_q("branch", end), status=CaseStatus.OPEN, applied_on__lte=end)
    totals = dict(
        cases.values_list("branch_id").annotate(n=Count("id")).order_by().values_list("branch_id", "n")
    )
    overdue = dict(
        Case.objects.filter(pk__in=overdue_among(cases, end))
        .values_list("branch_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("branch_id", "n")
    )
    readings = {}
    for branch_id, n in totals.items():
        ok = n - overdue.get(branch_id, 0)
        readings[branch_id] = Reading(ok / n, ok, n)
    return readings


def applicant_ratio_readings(start: date, end: date) -> dict[int, Reading]:
    """``recruitment.applicant_ratio``: 入党申请人, 积极分子 and 发展对象 of the branch / its members."""
    wanting = dict(
        Person.objects.filter(branch_q("organization", end), political_status__in=WANTING, is_active=True)
        .values_list("organization_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("organization_id", "n")
    )
    return {
        branch_id: Reading(wanting.get(branch_id, 0) / members, wanting.get(branch_id, 0), members)
        for branch_id, (members, _full) in member_counts(end).items()
        if members
    }


# ---- the funnel: people at each stage at the period's end ---------------------------------------------


def stage_counts(end: date, stage: str) -> dict[int, int]:
    """branch id → the cases standing at ``stage`` on ``end`` (one grouped query): applied by ``end``, not
    stopped by then, and whose last stage-entering step done by ``end`` entered ``stage``."""
    entered = (
        StepRecord.objects.filter(case=OuterRef("pk"), done_on__lte=end)
        .exclude(step__enters_stage="")
        .order_by("-step__number", "-done_on")
        .values("step__enters_stage")[:1]
    )
    stopped_by_end = Q(status=CaseStatus.STOPPED) & (Q(closed_on__isnull=True) | Q(closed_on__lte=end))
    rows = (
        Case.objects.filter(branch_q("branch", end), applied_on__lte=end)
        .exclude(stopped_by_end)
        .annotate(stage_then=Coalesce(Subquery(entered), Value(Stage.APPLICANT.value)))
        .filter(stage_then=stage)
        .values_list("branch_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("branch_id", "n")
    )
    return dict(rows)


def _stage_readings(stage: str) -> Callable[[date, date], dict[int, Reading]]:
    def readings(start: date, end: date) -> dict[int, Reading]:
        """Every active branch, its people at the stage on ``end`` (0 when it has none)."""
        counts = stage_counts(end, stage)
        return {
            branch_id: Reading(float(counts.get(branch_id, 0)))
            for branch_id in active_branches(end).values_list("id", flat=True).iterator(chunk_size=5000)
        }

    return readings


applicants_readings = _stage_readings(Stage.APPLICANT)
activists_readings = _stage_readings(Stage.ACTIVIST)
candidates_readings = _stage_readings(Stage.CANDIDATE)
probationary_readings = _stage_readings(Stage.PROBATIONARY)

_FUNNEL_RULE = _(
    "申请入党日期不晚于期末日、且未在期末日前终止的发展党员档案，按期末日前已办理的最后一个进入新阶段的步骤"
    "确定其期末所处阶段（第 3 步进入积极分子，第 7 步进入发展对象，第 17 步进入预备党员，"
    "第 24 步转为正式党员；"
    "尚无此类步骤的为入党申请人），按档案当前所在党支部计数；没有的支部计 0，院系取所辖支部之和。"
    "依据：《中国共产党发展党员工作细则》（发展党员的五个阶段）。"
)

INDICATORS = (
    Indicator(
        "recruitment.on_time",
        _("发展党员按期办理率"),
        SOURCE,
        on_time_readings,
        unit="ratio",
        better="higher",
        description=_(
            "期末日仍在进行中、申请日期不晚于期末日的发展党员档案为分母（按所在党支部）；其中下一步骤在期末日"
            "未超过时限的为分子。超期按《中国共产党发展党员工作细则》的时限判定："
            "收到入党申请后 1 个月内谈话、"
            "积极分子每半年考察一次、上级预审后 1 个月内召开支部党员大会、支部大会后 3 个月内审批、"
            "审批后 1 个月内入党宣誓；有被退回待更正记录的档案不算超期（与发展党员超期提醒同一口径）。"
            "没有进行中档案的支部不计。依据：《中国共产党发展党员工作细则》。"
        ),
        rollup="ratio",
        order=410,
    ),
    Indicator(
        "recruitment.applicant_ratio",
        _("入党积极性（申请人与党员之比）"),
        SOURCE,
        applicant_ratio_readings,
        unit="ratio",
        better="higher",
        description=_(
            "所在党组织为本支部、在册的入党申请人、入党积极分子和发展对象人数（按当前政治面貌），除以期末日"
            "本支部在册且已入党的党员人数；可以大于 1。没有党员的支部不计。反映党组织对群众的吸引力。"
            "依据：《中国共产党发展党员工作细则》（发展党员的五个阶段）。"
        ),
        rollup="ratio",
        order=420,
    ),
    Indicator(
        "recruitment.applicants",
        _("入党申请人人数"),
        SOURCE,
        applicants_readings,
        unit="count",
        better="higher",
        description=_FUNNEL_RULE,
        rollup="sum",
        order=430,
    ),
    Indicator(
        "recruitment.activists",
        _("入党积极分子人数"),
        SOURCE,
        activists_readings,
        unit="count",
        better="higher",
        description=_FUNNEL_RULE,
        rollup="sum",
        order=440,
    ),
    Indicator(
        "recruitment.candidates",
        _("发展对象人数"),
        SOURCE,
        candidates_readings,
        unit="count",
        better="higher",
        description=_FUNNEL_RULE,
        rollup="sum",
        order=450,
    ),
    Indicator(
        "recruitment.probationary",
        _("预备党员人数"),
        SOURCE,
        probationary_readings,
        unit="count",
        better="higher",
        description=_FUNNEL_RULE,
        rollup="sum",
        order=460,
    ),
)
