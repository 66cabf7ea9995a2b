"""Reads of the 预警 centre, always through the scope (HANDLE_WARNINGS over the alert's organization):
the filtered list, the counts per kind and level (one grouped query), the organizations to filter by
(bounded selects), the sources that only count (no stored alerts) and one alert (404 outside).

Everything is filtered and counted in SQL; the list is paginated by the caller. The organization
filter is a path prefix (an index range scan), the status filter the ``(status, source)`` index."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind
from dangjian.core.selectors import get_org_for, organizations_within
from dangjian.insights.models import Alert, AlertLevel, AlertStatus
from dangjian.insights.warnings import access

P = Permission
ACTIVE = (AlertStatus.OPEN, AlertStatus.HANDLING)
# The status filter: the default shows what still needs a person (待处理 and 处理中).
STATUS_CHOICES = (
    ("", _("未关闭")),
    (AlertStatus.OPEN.value, AlertStatus.OPEN.label),
    (AlertStatus.HANDLING.value, AlertStatus.HANDLING.label),
    ("cleared", _("已消除未关闭")),
    (AlertStatus.CLOSED.value, AlertStatus.CLOSED.label),
    ("all", _("全部")),
)
LEVEL_ORDER: dict[str, int] = {
    AlertLevel.SERIOUS.value: 0,
    AlertLevel.WARNING.value: 1,
    AlertLevel.NOTICE.value: 2,
}
PICKER_LIMIT = 300  # organizations in a select; past it, narrow by college or search by name
SEARCH_MAX = 50


def alerts_visible_to(scope: Scope) -> QuerySet[Alert]:
    return Alert.objects.filter(access.alerts_q(scope))


def get_alert_for(scope: Scope, alert_id: Any) -> Alert:
    """The alert if the viewer may handle it; otherwise 404 (nothing says it exists)."""
    try:
        return (
            alerts_visible_to(scope)
            .select_related("organization", "person", "handled_by")
            .get(pk=int(alert_id))
        )
    except (Alert.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def source_label(code: str) -> str:
    """The source's name as its module gives it (a source no longer contributed: its code)."""
    return str(hooks.warnings.get(code).label) if code in hooks.warnings else code


def stored_sources() -> list[Any]:
    """The sources whose cases are stored as alerts (they have ``findings``)."""
    return [s for s in hooks.warnings.all() if s.findings is not None]


@dataclass(frozen=True)
class Filters:
    college: Organization | None = None
    branch: Organization | None = None
    level: str = ""
    source: str = ""
    status: str = ""
    q: str = ""

    @property
    def org(self) -> Organization | None:
        """The organization whose subtree is shown: the branch when one is chosen, else the college."""
        return self.branch or self.college

    def query(self, **change: Any) -> str:
        """The filters as a query string (for the chips and the pagination), with ``change`` applied."""
        from urllib.parse import urlencode

        values = {
            "college": self.college.pk if self.college else "",
            "branch": self.branch.pk if self.branch else "",
            "level": self.level,
            "source": self.source,
            "status": self.status,
            "q": self.q,
        }
        values.update(change)
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def _org_param(scope: Scope, value: Any) -> Organization | None:
    if value in (None, ""):
        return None
    return get_org_for(scope, value, P.HANDLE_WARNINGS)  # out of scope or not a number: 404


def parse_filters(scope: Scope, params: Mapping[str, Any]) -> Filters:
    """The filters of a request: organizations outside the scope answer 404; an unknown level or
    status is dropped (the list is shown unfiltered by it)."""
    level = str(params.get("level") or "")
    source = str(params.get("source") or "")
    status = str(params.get("status") or "")
    return Filters(
        college=_org_param(scope, params.get("college")),
        branch=_org_param(scope, params.get("branch")),
        level=level if level in AlertLevel.values else "",
        # any code: alerts of a source no longer contributed can still be listed by their code
        source=source[:60],
        status=status if status in dict(STATUS_CHOICES) else "",
        q=str(params.get("q") or "").strip()[:SEARCH_MAX],
    )


def _status_q(status: str) -> Q:
    if status == "all":
        return Q()
    if status == "cleared":
        return Q(status__in=ACTIVE, cleared_on__isnull=False)
    if status in AlertStatus.values:
        return Q(status=status)
    return Q(status__in=ACTIVE)


def filtered(scope: Scope, filters: Filters, *, kinds: bool = True) -> QuerySet[Alert]:
    """The alerts matching the filters, within the scope; without ``kinds``, not narrowed by level and
    source (what the chips count)."""
    qs = alerts_visible_to(scope).filter(_status_q(filters.status))
    if filters.org is not None:
        qs = qs.filter(organization__path__startswith=filters.org.path)
    if filters.q:
        qs = qs.filter(
            Q(summary__icontains=filters.q)
            | Q(person__name__icontains=filters.q)
            | Q(organization__name__icontains=filters.q)
        )
    if kinds:
        if filters.level:
            qs = qs.filter(level=filters.level)
        if filters.source:
            qs = qs.filter(source=filters.source)
    return qs


def most_serious_first() -> str:
    """The ordering key 严重, then 预警, then 提示 (``Alert.severity``, kept by the database)."""
    return "severity"


def listed(scope: Scope, filters: Filters) -> QuerySet[Alert]:
    """The list's rows, the most serious first, then newest, with what each row shows (no query per row)."""
    # The most serious first, then the newest: what needs acting on comes to the top of the list.
    return (
        filtered(scope, filters)
        .select_related("organization", "person")
        .order_by(most_serious_first(), "-raised_on", "-id")
    )


@dataclass
class Chip:
    source: str
    label: str
    total: int = 0
    by_level: dict[str, int] = field(default_factory=dict)

    @property
    def level(self) -> str:
        """The most serious level among its alerts (the chip's colour)."""
        return min(self.by_level, key=lambda lv: LEVEL_ORDER.get(lv, 9)) if self.by_level else ""

    @property
    def levels(self) -> list[tuple[str, str, int]]:
        labels = dict(AlertLevel.choices)
        return [
            (lv, str(labels.get(lv, lv)), self.by_level[lv])
            for lv in sorted(self.by_level, key=lambda lv: LEVEL_ORDER.get(lv, 9))
        ]


def chips(qs: QuerySet[Alert]) -> list[Chip]:
    """Counts per source and level (one grouped query), the biggest first."""
    found: dict[str, Chip] = {}
    rows = qs.order_by().values_list("source", "level").annotate(n=Count("id"))
    for source, level, n in rows:
        chip = found.setdefault(source, Chip(source, source_label(source)))
        chip.total += n
        chip.by_level[level] = chip.by_level.get(level, 0) + n
    return sorted(found.values(), key=lambda c: (-c.total, c.label))


def level_totals(found: list[Chip]) -> list[tuple[str, str, int]]:
    """Open counts by level, the most serious first, from the chips (no query)."""
    totals: dict[str, int] = {}
    for chip in found:
        for level, n in chip.by_level.items():
            totals[level] = totals.get(level, 0) + n
    labels = dict(AlertLevel.choices)
    return [(code, str(labels[code]), totals.get(code, 0)) for code in LEVEL_ORDER]


# ---------------------------------------------------------------- the organizations to filter by


def sees_colleges(scope: Scope) -> bool:
    """A grant at the school itself (or the whole tree): the centre offers the colleges to choose from."""
    return any(len(p) <= Organization.steplen for p in scope.prefixes(P.HANDLE_WARNINGS))


def college_choices(scope: Scope) -> list[Organization]:
    if not sees_colleges(scope):
        return []
    return list(
        organizations_within(scope, P.HANDLE_WARNINGS)
        .filter(depth=2)
        .exclude(kind=OrgKind.GROUP)
        .order_by("-is_active", "code")[:PICKER_LIMIT]
    )


def branch_choices(scope: Scope, college: Organization | None) -> tuple[list[Organization], bool]:
    """The organizations below the college (or in the scope, for one who sees no colleges), 党小组 left
    out, at most ``PICKER_LIMIT``; and whether there were more (then the name search narrows)."""
    if college is None and sees_colleges(scope):
        return [], False
    qs = organizations_within(scope, P.HANDLE_WARNINGS).exclude(kind=OrgKind.GROUP)
    if college is not None:
        qs = qs.filter(path__startswith=college.path, depth__gt=college.depth)
    found = list(qs.order_by("path")[: PICKER_LIMIT + 1])
    return found[:PICKER_LIMIT], len(found) > PICKER_LIMIT


# ---------------------------------------------------------------- sources that only count


@dataclass(frozen=True)
class CountedSource:
    code: str
    label: str
    count: int
    url: str
    severity: str


def counted_sources(scope: Scope) -> list[CountedSource]:
    """The sources without findings (their module keeps its own list): each one's count in the scope
    (one query each, by contract) and its page, so nothing a module warns about is lost here."""
    shown: list[CountedSource] = []
    for source in hooks.warnings.all():
        if source.findings is not None:
            continue
        if source.permission is not None and not scope.has(source.permission):
            continue
        try:
            url = reverse(source.url_name)
        except NoReverseMatch:
            url = ""
        shown.append(
            CountedSource(source.code, str(source.label), int(source.count(scope)), url, source.severity)
        )
    return shown


# ---------------------------------------------------------------- the 工作台 and the to-dos


def active_counts(scope: Scope) -> list[tuple[str, str, str, int]]:
    """(source, level, status, count) of the alerts not yet closed in the scope: one grouped query per
    request, shared by the 工作台's tile and the to-do (kept in the scope's per-request memo)."""
    key = ("insights.warnings.active_counts",)
    if key not in scope.memo:
        scope.memo[key] = list(
            alerts_visible_to(scope)
            .filter(status__in=ACTIVE)
            .order_by()
            .values_list("source", "level", "status")
            .annotate(n=Count("id"))
        )
    rows: list[tuple[str, str, str, int]] = scope.memo[key]  # type: ignore[assignment]
    return rows


def active_chips(scope: Scope) -> list[Chip]:
    """The chips of every alert not yet closed in the scope (from ``active_counts``)."""
    found: dict[str, Chip] = {}
    for source, level, _status, n in active_counts(scope):
        chip = found.setdefault(source, Chip(source, source_label(source)))
        chip.total += n
        chip.by_level[level] = chip.by_level.get(level, 0) + n
    return sorted(found.values(), key=lambda c: (-c.total, c.label))


def open_count(scope: Scope) -> int:
    """待处理 alerts in the scope (from ``active_counts``)."""
    return sum(n for _source, _level, status, n in active_counts(scope) if status == AlertStatus.OPEN)
