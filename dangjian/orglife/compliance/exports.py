"""Excel exports of 组织生活 statistics: the compliance matrix, the meetings of a scope and period with
their attendance counts, and attendance per member. Rows are generated in chunks (a bounded number of
queries per chunk) and handed out by ``audit.exports.export_response`` (the write-only workbook of
``dangjian.kit.xlsx``, audited with the filters and the row count); each export stops at ``MAX_ROWS``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from dangjian.core.models import ON_ROLL_STANDINGS, Membership, Organization
from dangjian.orglife.compliance import stats
from dangjian.orglife.models import Attendance, Meeting

MAX_ROWS = 100_000
CHUNK = 500


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def matrix_headers(year: int) -> list[str]:
    return [_("党支部"), _("红色月数"), _("黄色月数")] + [f"{year}-{m:02d}" for m in range(1, 13)]


def matrix_rows(org: Organization, year: int, today: date) -> Iterator[list[Any]]:
    """Each cell as its state and, when short, the forms missing (or still due)."""
    ids = list(stats.matrix_branches(org).values_list("pk", flat=True)[:MAX_ROWS])
    for i in range(0, len(ids), CHUNK):
        branches = Organization.objects.filter(pk__in=ids[i : i + CHUNK]).order_by("path")
        for row in stats.compliance_matrix(branches, year, today):
            cells = []
            for c in row.cells:
                text = stats.state_label(c.state)
                short = c.missing_labels or c.due_labels
                if short:
                    text = _("%(state)s：缺%(forms)s") % {"state": text, "forms": "、".join(short)}
                cells.append(text)
            yield [row.branch.name, row.red, row.yellow, *cells]


def meeting_headers() -> list[str]:
    return [
        _("日期"),
        _("党支部"),
        _("会议类型"),
        _("主题"),
        _("状态"),
        _("应到"),
        _("出席"),
        _("请假"),
        _("缺席"),
        _("出席率"),
    ]


def meeting_rows(org: Organization, start: date, end: date) -> Iterator[list[Any]]:
    qs = (
        Meeting.objects.filter(
            organization__path__startswith=org.path,
            date__gte=start,
            date__lte=end,
            status__in=stats.HELD_STATUSES,  # attendance exists once a meeting is held
        )
        .select_related("organization")
        .annotate(
            n_total=Count("attendees", filter=Q(attendees__role__in=stats.MEMBER_ROLES)),
            n_present=Count(
                "attendees",
                filter=Q(attendees__role__in=stats.MEMBER_ROLES, attendees__attendance=Attendance.PRESENT),
            ),
            n_leave=Count(
                "attendees",
                filter=Q(attendees__role__in=stats.MEMBER_ROLES, attendees__attendance=Attendance.LEAVE),
            ),
        )
        .order_by("date", "organization__path", "id")
    )
    for m in qs[:MAX_ROWS].iterator(chunk_size=2000):
        absent = m.n_total - m.n_present - m.n_leave
        yield [
            m.date,
            m.organization.name,
            m.get_kind_display(),
            m.topic,
            m.get_status_display(),
            m.n_total,
            m.n_present,
            m.n_leave,
            absent,
            _pct(m.n_present / m.n_total if m.n_total else None),
        ]


def member_headers() -> list[str]:
    return [
        _("姓名"),
        _("党支部"),
        _("应参加"),
        _("出席"),
        _("请假"),
        _("缺席"),
        _("出席率"),
        _("主题党日应参加"),
        _("主题党日出席"),
    ]


def member_rows(org: Organization, start: date, end: date) -> Iterator[list[Any]]:
    """Each member on the roll of a branch in ``org``'s subtree, with their attendance at the meetings
    of their own branch (one grouped query per chunk of members)."""
    members = (
        Membership.objects.filter(organization__path__startswith=org.path, standing__in=ON_ROLL_STANDINGS)
        .select_related("person", "organization")
        .order_by("organization__path", "person__name_pinyin", "person_id")[:MAX_ROWS]
    )
    chunk: list[Membership] = []
    for m in members.iterator(chunk_size=2000):
        chunk.append(m)
        if len(chunk) >= CHUNK:
            yield from _member_chunk(chunk, start, end)
            chunk = []
    if chunk:
        yield from _member_chunk(chunk, start, end)


def _member_chunk(chunk: Sequence[Membership], start: date, end: date) -> Iterator[list[Any]]:
    from django.db.models import F

    rates = stats.rates_grouped(
        stats.held_attendees(start, end).filter(
            person_id__in=[m.person_id for m in chunk],
            meeting__organization_id=F("person__membership__organization_id"),
        ),
        "person_id",
    )
    for m in chunk:
        r = rates.get(m.person_id, stats.Rate())
        yield [
            m.person.name,
            m.organization.name,
            r.total,
            r.present,
            r.leave,
            r.absent,
            _pct(r.rate),
            r.theme_total,
            r.theme_present,
        ]


def branch_headers() -> list[str]:
    return [
        _("党支部"),
        _("应参加"),
        _("出席"),
        _("请假"),
        _("缺席"),
        _("出席率"),
        _("主题党日应参加"),
        _("主题党日出席"),
    ]


def branch_rows(org: Organization, start: date, end: date) -> Iterator[list[Any]]:
    """Above a branch the attendance page lists branches, so its export does too: each active 党支部 in
    ``org``'s subtree with its rate (one grouped query per chunk of branches)."""
    branches = list(stats.matrix_branches(org)[:MAX_ROWS])
    for i in range(0, len(branches), CHUNK):
        chunk = branches[i : i + CHUNK]
        rates = stats.rates_by_branch([b.pk for b in chunk], start, end)
        for b in chunk:
            r = rates.get(b.pk, stats.Rate())
            yield [
                b.name,
                r.total,
                r.present,
                r.leave,
                r.absent,
                _pct(r.rate),
                r.theme_total,
                r.theme_present,
            ]
