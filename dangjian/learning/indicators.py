"""党员学习's indicators for 评价与预警 (issue 16) — study hours on pace and 党校 results, per branch and
period — and the person indicators shown beside each member in 民主评议 (the year's hours, the latest
党校 result).

The pace is the ledger's own rule (``ledger.rules``: the straight line from 1 January to the yearly target,
32 hours for a member, 56 for a secretary or committee member, times ``study_pace_share``); a member's
hours are the ledger rows of the year up to ``end`` (the maintained yearly total when ``end`` is 31
December). Set-based: one grouped query over the members for the pace, one over the enrolments for the
results."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.indicators import active_branches, members_on
from dangjian.core.models import COMMITTEE_TITLES, Position
from dangjian.hooks import Indicator, PersonIndicator, Reading
from dangjian.learning.ledger.rules import expected_by, yearly_target
from dangjian.learning.ledger.selectors import cadre_exists
from dangjian.learning.models import Enrolment, ExamResult, StudyHours, StudyYear
from dangjian.policy import get_policy

SOURCE = gettext_lazy("党员学习")
HOURS: DecimalField[Decimal, Decimal] = DecimalField(max_digits=7, decimal_places=1)
ZERO = Value(Decimal("0"), output_field=HOURS)


def pace_thresholds(end: date) -> tuple[Decimal, Decimal]:
    """The hours a member and a cadre need by the end of ``end`` to be on pace (never above the target)."""
    policy = get_policy()
    member, cadre = yearly_target(policy, cadre=False), yearly_target(policy, cadre=True)
    share = policy.study_pace_share
    return (
        min(expected_by(member, end, share), Decimal(member)),
        min(expected_by(cadre, end, share), Decimal(cadre)),
    )


def study_pace_readings(start: date, end: date) -> dict[int, Reading]:
    """``learning.study_pace``: members on pace at ``end`` / members, per branch (one grouped query)."""
    member_need, cadre_need = pace_thresholds(end)
    members = members_on(end)
    if (end.month, end.day) == (12, 31):
        members = members.annotate(
            year_total=FilteredRelation(
                "person__study_years", condition=Q(person__study_years__year=end.year)
            )
        ).annotate(hours=Coalesce(F("year_total__hours"), ZERO))
    else:
        rows = (
            StudyHours.objects.filter(
                person_id=OuterRef("person_id"), on__gte=date(end.year, 1, 1), on__lte=end
            )
            .values("person_id")
            .annotate(total=Sum("hours"))
            .values("total")
        )
        members = members.annotate(hours=Coalesce(Subquery(rows, output_field=HOURS), ZERO))
    on_pace = (Q(cadre=True) & Q(hours__gte=cadre_need)) | (Q(cadre=False) & Q(hours__gte=member_need))
    grouped = (
        members.annotate(cadre=cadre_exists(end))
        .values_list("organization_id")
        .annotate(n=Count("id"), ok=Count("id", filter=on_pace))
        .order_by()
    )
    return {org_id: Reading(ok / n, ok, n) for org_id, n, ok in grouped if n}


def training_pass_readings(start: date, end: date) -> dict[int, Reading]:
    """``learning.training_pass``: trainees passed / trainees with a result, of the classes that ended
    from 1 January of ``end``'s year to ``end``, by the trainee's branch."""
    branches = set(active_branches(end).values_list("id", flat=True))
    rows = (
        Enrolment.objects.filter(
            training_class__ends_on__gte=date(end.year, 1, 1),
            training_class__ends_on__lte=end,
            result__in=[ExamResult.PASS, ExamResult.FAIL],
        )
        .annotate(branch=Coalesce("person__membership__organization_id", "person__organization_id"))
        .values_list("branch")
        .annotate(n=Count("id"), passed=Count("id", filter=Q(result=ExamResult.PASS)))
        .order_by()
    )
    return {branch: Reading(passed / n, passed, n) for branch, n, passed in rows if n and branch in branches}


# ---- person indicators ---------------------------------------------------------------------------


def hours_values(person_ids: Sequence[int], year: int) -> dict[int, tuple[Any, str, bool | None]]:
    """``learning.hours``: the year's ledger total against the person's target ("28.5/32 学时"), ok when
    met; the target is a cadre's when they hold a committee post on 31 December (today in the running
    year). Two queries."""
    policy = get_policy()
    today = timezone.localdate()
    on = today if today.year == year else date(year, 12, 31)
    ids = list(person_ids)
    hours = dict(StudyYear.objects.filter(year=year, person_id__in=ids).values_list("person_id", "hours"))
    cadres = set(
        Position.objects.filter(person_id__in=ids, title__in=COMMITTEE_TITLES, started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .values_list("person_id", flat=True)
    )
    values: dict[int, tuple[Any, str, bool | None]] = {}
    for person_id in ids:
        total = hours.get(person_id, Decimal("0"))
        target = yearly_target(policy, cadre=person_id in cadres)
        text = _("%(hours)s/%(target)d 学时") % {"hours": f"{total.normalize():f}", "target": target}
        values[person_id] = (total, text, total >= target)
    return values


def training_values(person_ids: Sequence[int], year: int) -> dict[int, tuple[Any, str, bool | None]]:
    """``learning.training``: the latest 党校 class (by its end) that began by 31 December of ``year``,
    with its result ("2026-06 结业 合格"); people never enrolled are absent. One query."""
    rows = (
        Enrolment.objects.filter(
            person_id__in=list(person_ids), training_class__starts_on__lte=date(year, 12, 31)
        )
        .select_related("training_class")
        .order_by("person_id", "-training_class__ends_on", "-id")
    )
    values: dict[int, tuple[Any, str, bool | None]] = {}
    for enrolment in rows:
        if enrolment.person_id in values:
            continue
        klass = enrolment.training_class
        state = _("结业") if enrolment.completed else _("未结业")
        result = enrolment.get_result_display() if enrolment.result else _("未录入成绩")
        text = f"{klass.ends_on:%Y-%m} {state} {result}"
        values[enrolment.person_id] = (enrolment.result or None, text, None)
    return values


INDICATORS = (
    Indicator(
        "learning.study_pace",
        gettext_lazy("学习学时进度达标率"),
        SOURCE,
        study_pace_readings,
        unit="ratio",
        better="higher",
        description=gettext_lazy(
            "期末日在册且已入党的党员为分母（按组织关系所在支部）；其期末日所在年度 1 月 1 日至期末日的学时"
            "合计（学时台账）不低于按进度应有学时的为分子。应有学时＝年度目标×当年已过天数÷全年天数"
            "（×本校进度系数，默认 1，保留一位小数）；年度目标为党员 32 学时，"
            "期末日担任党组织书记、副书记或委员的 56 学时（本校设置）。"
            "依据：《中国共产党党员教育管理工作条例》（每年集中学习培训不少于 32 学时）；56 学时为本校设置。"
        ),
        url_name="learning:ledger",
        rollup="ratio",
        order=310,
    ),
    Indicator(
        "learning.training_pass",
        gettext_lazy("党校培训合格率"),
        SOURCE,
        training_pass_readings,
        unit="ratio",
        better="higher",
        description=gettext_lazy(
            "结束日期在期末日所在年度 1 月 1 日至期末日之间的党校班次中，已录入考试结果（合格或不合格）的学员"
            "为分母，结果为合格的为分子；学员按其组织关系所在支部（非党员按其所在党组织）统计。没有这样学员的"
            "支部不计。依据：《中国共产党发展党员工作细则》（入党积极分子、发展对象须经集中培训）。"
        ),
        rollup="ratio",
        order=320,
    ),
)

PERSON_INDICATORS = (
    PersonIndicator("learning.hours", gettext_lazy("年度学时"), hours_values, order=10),
    PersonIndicator("learning.training", gettext_lazy("党校培训"), training_values, order=40),
)
