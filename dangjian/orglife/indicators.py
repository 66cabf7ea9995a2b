"""组织生活's indicators for 评价与预警 (issue 16): attendance, required meetings held, minutes on time,
the secretary's 党课, supervision scores and open problems — per branch and period — and the person
indicator of attendance shown beside each member in 民主评议.

Each reading is a few grouped queries over every branch (``hooks.Indicator``); what counts as held, as
required and as present is the compliance statistics' own rule (``compliance.stats``), so a score can
be checked on the 组织生活统计 pages. Only active branches are measured (``core.indicators``); a branch
with nothing to measure (no meeting held, no supervision) gets no reading."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, DateField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.indicators import active_branches, branch_q, member_counts, serving_on
from dangjian.core.models import Organization, OrgKind, Position, PositionTitle
from dangjian.hooks import Indicator, PersonIndicator, Reading
from dangjian.kit.dates import add_months
from dangjian.orglife.compliance.stats import PERIOD_MONTHS, held_attendees
from dangjian.orglife.models import (
    HELD_STATUSES,
    Attendance,
    Feedback,
    Meeting,
    MeetingKind,
    ProblemStatus,
)
from dangjian.policy import get_policy

SOURCE = gettext_lazy("组织生活")


def _month_starts(start: date, end: date) -> list[date]:
    months, m = [], start.replace(day=1)
    while m <= end:
        months.append(m)
        m = add_months(m, 1)
    return months


def _day_after(end: date) -> datetime:
    return timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))


# ---- attendance -------------------------------------------------------------------------------------


def attendance_readings(start: date, end: date) -> dict[int, Reading]:
    """``orglife.attendance_rate``: present / expected members at the branch's meetings held in the period."""
    rows = (
        held_attendees(start, end)
        .filter(branch_q("meeting__organization", end))
        .values_list("meeting__organization_id")
        .annotate(total=Count("id"), present=Count("id", filter=Q(attendance=Attendance.PRESENT)))
        .order_by()
    )
    return {org_id: Reading(present / total, present, total) for org_id, total, present in rows if total}


# ---- required meetings held --------------------------------------------------------------------------


def form_periods(
    frequencies: Iterable[tuple[str, str, int]], start: date, end: date
) -> list[tuple[str, date, date, int]]:
    """The required forms judged in [start, end]: (kind, first month, judging month, meetings needed).
    As in the compliance matrix (``judge_cell``), a form of period p is judged in the last month of its
    period over the whole period: a quarterly form in March, June, September and December, a yearly one in
    December."""
    periods = []
    for month in _month_starts(start, end):
        for kind, per, need in frequencies:
            span = PERIOD_MONTHS[per]
            if month.month % span == 0:
                periods.append((kind, add_months(month, 1 - span), month, need))
    return periods


def meetings_held_readings(start: date, end: date) -> dict[int, Reading]:
    """``orglife.meetings_held``: Σ min(held, needed) / Σ needed over the forms judged in the period."""
    policy = get_policy()
    periods = form_periods(policy.orglife_frequencies, start, end)
    if not periods:
        return {}
    first = min(p[1] for p in periods)
    branches = list(active_branches(end).values_list("id", "path", "established_on"))
    by_path = {path: pk for pk, path, _est in branches}
    steplen = Organization.steplen
    with_groups = {
        by_path[path[:-steplen]]
        for path in Organization.objects.filter(kind=OrgKind.GROUP, is_active=True)
        .values_list("path", flat=True)
        .iterator(chunk_size=5000)
        if path[:-steplen] in by_path
    }
    full = {pk: f for pk, (_n, f) in member_counts(end).items()}
    held: dict[int, dict[tuple[str, date], int]] = defaultdict(dict)
    rows = (
        Meeting.objects.filter(
            branch_q("organization", end), status__in=HELD_STATUSES, date__gte=first, date__lte=end
        )
        .annotate(month=TruncMonth("date"))
        .values_list("organization_id", "kind", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for org_id, kind, month, n in rows.iterator(chunk_size=5000):
        held[org_id][(kind, _as_date(month))] = n
    readings = {}
    for pk, _path, established in branches:
        required = {kind for kind, _per, _n in policy.orglife_frequencies}
        if full.get(pk, 0) < policy.branch_committee_threshold_full_members:
            required.discard(MeetingKind.COMMITTEE)
        if pk not in with_groups:
            required.discard(MeetingKind.GROUP)
        mine = held.get(pk, {})
        needed = done = 0
        for kind, first_month, judged, need in periods:
            if kind not in required or (established is not None and established > judged):
                continue
            have = sum(mine.get((kind, m), 0) for m in _month_starts(first_month, judged))
            needed += need
            done += min(have, need)
        if needed:
            readings[pk] = Reading(done / needed, done, needed)
    return readings


def _as_date(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value


# ---- minutes ------------------------------------------------------------------------------------------


def minutes_readings(start: date, end: date) -> dict[int, Reading]:
    """``orglife.minutes_on_time``: held meetings whose minutes were recorded within N days / held."""
    days = get_policy().orglife_minutes_within_days
    rows = (
        Meeting.objects.filter(
            branch_q("organization", end), status__in=HELD_STATUSES, date__gte=start, date__lte=end
        )
        .annotate(
            recorded_on=TruncDate("minutes__recorded_at"),
            deadline=ExpressionWrapper(F("date") + timedelta(days=days), output_field=DateField()),
        )
        .values_list("organization_id")
        .annotate(held=Count("id"), on_time=Count("id", filter=Q(recorded_on__lte=F("deadline"))))
        .order_by()
    )
    return {org_id: Reading(ok / held, ok, held) for org_id, held, ok in rows if held}


# ---- the secretary's 党课 ------------------------------------------------------------------------------


def secretary_lecture_readings(start: date, end: date) -> dict[int, Reading]:
    """``orglife.secretary_lecture``: each active branch with a secretary at ``end``: 1 when they gave a
    held 党课 from 1 January of ``end``'s year to ``end``."""
    lectures = Meeting.objects.filter(
        kind=MeetingKind.LECTURE,
        status__in=HELD_STATUSES,
        speaker_id=OuterRef("person_id"),
        date__gte=date(end.year, 1, 1),
        date__lte=end,
    )
    rows = (
        Position.objects.filter(serving_on(end), branch_q("organization", end), title=PositionTitle.SECRETARY)
        .annotate(gave=Exists(lectures))
        .values_list("organization_id", "gave")
        .order_by()
    )
    readings: dict[int, Reading] = {}
    for org_id, gave in rows.iterator(chunk_size=5000):
        if gave or org_id not in readings:  # two secretaries recorded: either one's 党课 counts
            readings[org_id] = Reading(1.0 if gave else 0.0, 1.0 if gave else 0.0, 1.0)
    return readings


# ---- supervision ------------------------------------------------------------------------------------


def supervision_score_readings(start: date, end: date) -> dict[int, Reading]:
    """``orglife.supervision_score``: the mean total of t"
    "he feedback on the branch's meetings of the period."""
    rows = (
        Feedback.objects.filter(
            branch_q("assignment__meeting__organization", end),
            assignment__meeting__date__gte=start,
            assignment__meeting__date__lte=end,
        )
        .values_list("assignment__meeting__organization_id")
        .annotate(n=Count("id"), total=Sum("total"))
        .order_by()
    )
    return {
        org_id: Reading(float(total) / n, float(total), n)
        for org_id, n, total in rows
        if n and total is not None
    }


def open_problems_readings(start: date, end: date) -> dict[int, Reading]:
    """``orglife.open_problems``: the branches supervised "
    "by ``end``, their problems not rectified at ``end``."""
    until = _day_after(end)
    not_rectified = Q(problems__status=ProblemStatus.OPEN) | Q(problems__answered_at__gte=until)
    rows = (
        Feedback.objects.filter(branch_q("assignment__meeting__organization", end), filed_at__lt=until)
        .values_list("assignment__meeting__organization_id")
        .annotate(open=Count("problems", filter=not_rectified, distinct=True))
        .order_by()
    )
    return {org_id: Reading(float(n), float(n), 1.0) for org_id, n in rows}


# ---- the person indicator: attendance in a year ------------------------------------------------------------


def missed_run(months: dict[date, tuple[int, int]], run: int) -> bool:
    """In ``run`` consecutive calendar months the member was expected at a held meeting and attended
    (present or on leave) none — the absence warnings' rule (党章 第九条); a month without a meeting for
    the member breaks the run. ``months`` maps a month to (expected, attended)."""
    streak, previous = 0, None
    for month in sorted(months):
        expected, attended = months[month]
        if expected and not attended:
            streak = streak + 1 if previous is not None and add_months(previous, 1) == month else 1
            previous = month
            if streak >= run:
                return True
        else:
            streak, previous = 0, None
    return False


def attendance_values(person_ids: Sequence[int], year: int) -> dict[int, tuple[Any, str, bool | None]]:
    """``orglife.attendance``: the meetings held in ``year`` each person was expected at as a member (one
    grouped query): "出席 10/12 次"; not ok when they missed every meeting of N months in a row."""
    run = get_policy().orglife_absence_warning_months
    rows = (
        held_attendees(date(year, 1, 1), date(year, 12, 31))
        .filter(person_id__in=list(person_ids))
        .annotate(month=TruncMonth("meeting__date"))
        .values_list("person_id", "month")
        .annotate(
            total=Count("id"),
            present=Count("id", filter=Q(attendance=Attendance.PRESENT)),
            attended=Count("id", filter=Q(attendance__in=[Attendance.PRESENT, Attendance.LEAVE])),
        )
        .order_by()
    )
    months: dict[int, dict[date, tuple[int, int]]] = defaultdict(dict)
    present: dict[int, int] = defaultdict(int)
    for person_id, month, total, here, attended in rows:
        months[person_id][_as_date(month)] = (total, attended)
        present[person_id] += here
    values: dict[int, tuple[Any, str, bool | None]] = {}
    for person_id, by_month in months.items():
        total = sum(t for t, _a in by_month.values())
        text = _("出席 %(present)d/%(total)d 次") % {"present": present[person_id], "total": total}
        values[person_id] = (present[person_id] / total, text, not missed_run(by_month, run))
    return values


INDICATORS = (
    Indicator(
        "orglife.attendance_rate",
        gettext_lazy("组织生活出席率"),
        SOURCE,
        attendance_readings,
        unit="ratio",
        better="higher",
        description=gettext_lazy(
            "统计期内已召开（已召开、已记录纪要、已归档）的本支"
            "部会议中，以党员或双重组织生活身份应到的人次为分母，"
            "出席人次为分子；请假和缺席都计入应到、不计出席（与组"
            "织生活统计的出席率相同）。期内未召开会议的支部不计。"
            "依据：《中国共产党支部工作条例(试行)》第十八条（“三会一课”）；党章第九条。"
        ),
        rollup="ratio",
        order=110,
    ),
    Indicator(
        "orglife.meetings_held",
        gettext_lazy("规定会议召开率"),
        SOURCE,
        meetings_held_readings,
        unit="ratio",
        better="higher",
        description=gettext_lazy(
            "按本校组织生活频次设置（默认：支部党员大会每季度、支委会每月、党小组会每月、党课每季度、"
            "主题党日每月、组织生活会和民主评议党员每年），统计在期内判定的每项要求：月度要求在当月、"
            "季度要求在季末月、年度要求在 12 月判定，计整个周期内已召开的会议。分母为各项要求的应开次数"
            "之和，分子为各项实开次数（不超过应开次数）之和。支委会只要求正式党员 7 人以上的支部，"
            "党小组会只要求设有党小组的支部；判定月份首日尚未成立的支部不要求。与组织生活统计的达标矩阵"
            "同一口径。期内没有判定的要求的支部不计。"
            "依据：《中国共产党支部工作条例(试行)》第十八条；党课每季度一次为本校规定。"
        ),
        rollup="ratio",
        order=120,
    ),
    Indicator(
        "orglife.minutes_on_time",
        gettext_lazy("会议记录及时率"),
        SOURCE,
        minutes_readings,
        unit="ratio",
        better="higher",
        description=gettext_lazy(
            "统计期内已召开的本支部会议为分母，会议纪要在会议日期后规定天数内（本校设置，默认 7 天，以纪要"
            "首次录入日期计）录入的为分子。期内未召开会议的支部不计。"
            "依据：《中国共产党支部工作条例(试行)》（组织生活应有记录）；时限为本校规定。"
        ),
        rollup="ratio",
        order=130,
    ),
    Indicator(
        "orglife.secretary_lecture",
        gettext_lazy("书记讲党课"),
        SOURCE,
        secretary_lecture_readings,
        unit="ratio",
        better="higher",
        description=gettext_lazy(
            "期末日在任的支部书记，在期末日所在年度 1 月 1 日至期末日主讲过已召开的党课（任何支部）记为 1，"
            "否则记为 0；期末日没有在任书记的支部不计。院系取书记已讲党课的支部占比。"
            "依据：《中国共产党支部工作条例(试行)》第十八条（党支部书记每年至少讲 1 次党课）。"
        ),
        rollup="ratio",
        order=140,
    ),
    Indicator(
        "orglife.supervision_score",
        gettext_lazy("督查评分"),
        SOURCE,
        supervision_score_readings,
        unit="score",
        better="higher",
        description=gettext_lazy(
            "会议日期在统计期内的本支部会议所得督查反馈总分的平均数（满分为各评分项满分之和，默认 100 分）。"
            "期内会议没有督查反馈的支部不计。依据：本校组织生活督查制度（评分项和分值为本校设置）。"
        ),
        rollup="mean",
        order=150,
    ),
    Indicator(
        "orglife.open_problems",
        gettext_lazy("督查问题未整改数"),
        SOURCE,
        open_problems_readings,
        unit="count",
        better="lower",
        description=gettext_lazy(
            "期末日前已反馈的本支部会议督查中发现的问题，到期末日仍未整改（状态待整改，或整改答复晚于期末日）"
            "的个数；期末日前从未被督查的支部不计，被督查过且问题都已整改的记为 0。院系取所辖支部之和。"
            "依据：本校组织生活督查制度（问题整改时限默认 30 天）。"
        ),
        rollup="sum",
        order=160,
    ),
)

PERSON_INDICATORS = (
    PersonIndicator(
        "orglife.attendance",
        gettext_lazy("组织生活出席"),
        attendance_values,
        order=20,
    ),
)
