"""发展党员's indicators for 评价与预警 (issue 16): open cases on time, and the people who want to join per
member of the branch (an attraction measure).

Overdue is the module's own rule (``selectors.overdue_condition``: the next step of a case has a deadline
under 细则 that passed — the talk within 1 month of the application, the half-yearly evaluation, the
branch meeting within 1 month of the pre-review, the approval within 3 months, the oath within 1 month),
judged on ``end`` with the steps as recorded. Set-based: open cases per branch in one grouped query, the
overdue ones in another; the applicants in one grouped query and the members in one more."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from dangjian.core.indicators import branch_q, member_counts
from dangjian.core.models import Person, PoliticalStatus
from dangjian.hooks import Indicator, Reading
from dangjian.recruitment.models import Case, CaseStatus
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
)
