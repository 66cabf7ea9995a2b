"""The core's indicators for 评价与预警 (issue 16): members per branch, committee complete, 换届 on time —
and the two measurements other modules' indicators share: the active branches on a day and the members
each held on a day.

Every reading is set-based: one or two grouped queries for every branch of the tree, whatever its size
(``hooks.Indicator``). "At ``end``" reads the records as they stand (memberships on the roll who had
joined by ``end``, positions serving on ``end``, the term recorded on the organization): the readings of
a period are stored when it closes, so they are the state of its last day; a later recomputation sees
later corrections too. A branch the rule cannot measure gets no reading, never a made-up 0."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import (
    COMMITTEE_TITLES,
    ON_ROLL_STANDINGS,
    Membership,
    MembershipType,
    Organization,
    OrgKind,
    Position,
    PositionTitle,
)
from dangjian.core.rules import committee_complete, default_term_years, term_on_time
from dangjian.hooks import Indicator, Reading
from dangjian.policy import get_policy

SOURCE = _("组织建设")


def active_branches(on: date) -> QuerySet[Organization]:
    """The 党支部 measured for a period ending ``on``: active now and established by ``on`` (or with no
    date of establishment recorded)."""
    return Organization.objects.filter(kind=OrgKind.BRANCH, is_active=True).filter(
        Q(established_on__isnull=True) | Q(established_on__lte=on)
    )


def branch_q(prefix: str, on: date) -> Q:
    """The condition "``prefix`` is an active branch on ``on``" for a query over a related model
    (``prefix`` is the path to the organization, e.g. ``"meeting__organization"``)."""
    return Q(**{f"{prefix}__kind": OrgKind.BRANCH, f"{prefix}__is_active": True}) & (
        Q(**{f"{prefix}__established_on__isnull": True}) | Q(**{f"{prefix}__established_on__lte": on})
    )


def members_on(on: date) -> QuerySet[Membership]:
    """The members (full and probationary) of the active branches on ``on``: on the roll (正常, 流动,
    出国(境), 失联) and admitted (``joined_on``) by then."""
    return Membership.objects.filter(
        branch_q("organization", on), standing__in=ON_ROLL_STANDINGS, joined_on__lte=on
    )


def full_on_q(on: date, prefix: str = "") -> Q:
    """A full member (正式党员) on ``on``: full now and made full (转正) by then (no date: full before
    the platform's records)."""
    return Q(**{f"{prefix}membership_type": MembershipType.FULL}) & (
        Q(**{f"{prefix}full_on__isnull": True}) | Q(**{f"{prefix}full_on__lte": on})
    )


def member_counts(on: date) -> dict[int, tuple[int, int]]:
    """branch id → (members, full members) on ``on``, for the branches with any (one grouped query)."""
    rows = (
        members_on(on)
        .values_list("organization_id")
        .annotate(n=Count("id"), full=Count("id", filter=full_on_q(on)))
        .order_by()
    )
    return {org_id: (n, full) for org_id, n, full in rows}


def serving_on(on: date) -> Q:
    """A position held on ``on``: started by then and not ended by then (``ended_on`` is its last day
    off the post: the same boundary as ``person_positions``)."""
    return Q(started_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))


# ---- the readings ---------------------------------------------------------------------------------


def members_readings(start: date, end: date) -> dict[int, Reading]:
    """``core.members``: every active branch, its members at ``end`` (0 when it has none)."""
    counts = member_counts(end)
    readings = {}
    for branch_id in active_branches(end).values_list("id", flat=True).iterator(chunk_size=5000):
        n = counts.get(branch_id, (0, 0))[0]
        readings[branch_id] = Reading(float(n), float(n), 1.0)
    return readings


def committee_readings(start: date, end: date) -> dict[int, Reading]:
    """``core.committee_complete``: every active branch, 1 when it meets 支部条例 第八条 at ``end``."""
    policy = get_policy()
    counts = member_counts(end)
    committees = {
        org_id: (size, secretaries)
        for org_id, size, secretaries in Position.objects.filter(
            serving_on(end), branch_q("organization", end), title__in=COMMITTEE_TITLES
        )
        .values_list("organization_id")
        .annotate(
            size=Count("person_id", distinct=True),
            secretaries=Count("id", filter=Q(title=PositionTitle.SECRETARY)),
        )
        .order_by()
    }
    readings = {}
    for branch_id in active_branches(end).values_list("id", flat=True).iterator(chunk_size=5000):
        size, secretaries = committees.get(branch_id, (0, 0))
        ok = committee_complete(
            full_members=counts.get(branch_id, (0, 0))[1],
            committee_size=size,
            has_secretary=secretaries > 0,
            policy=policy,
        )
        readings[branch_id] = Reading(1.0 if ok else 0.0, 1.0 if ok else 0.0, 1.0)
    return readings


def term_readings(start: date, end: date) -> dict[int, Reading]:
    """``core.term_on_time``: the active branches whose current term began by ``end``."""
    policy = get_policy()
    fallback = default_term_years(OrgKind.BRANCH, policy)
    readings = {}
    rows = active_branches(end).filter(term_started_on__isnull=False, term_started_on__lte=end)
    for branch_id, started, years in rows.values_list("id", "term_started_on", "term_years").iterator(
        chunk_size=5000
    ):
        ok = term_on_time(started, years or fallback, end)
        readings[branch_id] = Reading(1.0 if ok else 0.0, 1.0 if ok else 0.0, 1.0)
    return readings


INDICATORS = (
    Indicator(
        "core.members",
        _("支部党员人数"),
        SOURCE,
        members_readings,
        unit="count",
        better="higher",
        description=_(
            "统计期末日在册（正常、流动、出国(境)、失联）且入党日期不晚于期末日的正式党员和预备党员人数，"
            "按其组织关系所在党支部计；没有党员的支部计 0。院系取所辖支部的平均数。"
            "依据：《中国共产党支部工作条例(试行)》第五条（党支部党员人数一般不超过 50 人）。"
        ),
        url_name="core:org_detail",
        rollup="mean",
        order=10,
    ),
    Indicator(
        "core.committee_complete",
        _("支部班子健全"),
        SOURCE,
        committee_readings,
        unit="ratio",
        better="higher",
        description=_(
            "期末日正式党员 7 人以上的党支部，在任支委（书记、副书记及各委员，按人计）不少于 3 人且有书记"
            "记为 1；不足 7 人的党支部，有书记记为 1；否则记为 0。在任指任职日期不晚于期末日且未在期末日"
            "前免职。院系取健全支部数占支部总数的比例。"
            "依据：《中国共产党支部工作条例(试行)》第八条。"
        ),
        url_name="core:org_detail",
        rollup="ratio",
        order=20,
    ),
    Indicator(
        "core.term_on_time",
        _("按期换届"),
        SOURCE,
        term_readings,
        unit="ratio",
        better="higher",
        description=_(
            "本届开始日期加任期年限（未单独设定的按本校党支部任期，默认 3 年）为届满日；"
            "期末日早于届满日记为 1（任期未满），"
            "否则记为 0（已到期未换届）。未记录本届开始日期或本届在期末日之后才开始的支部不计。"
            "院系取按期支部数占有记录支部数的比例。"
            "依据：《中国共产党基层组织选举工作条例》（党支部每届任期 3 年）。"
        ),
        url_name="core:org_detail",
        rollup="ratio",
        order=30,
    ),
)
