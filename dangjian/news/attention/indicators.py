"""智慧宣传's indicator for 评价与预警 (issue 18): ``news.reach``, how far the branch's members read what
was published for them — a part of the 吸引力指数.

For a branch and a period: the articles published in the period (still published at ``end``) that the
branch could see — the public ones, and the internal ones of the branch itself or an organization above it
— are each offered to every member of the branch on the roll at ``end`` (an article for 指定人群 when
党员 is one of its groups; otherwise it is not for them all and is left out). The denominator is
members × such articles; the numerator the distinct (member, article) reads by the branch's members (the
branch a reader belonged to when first counted) up to ``end``. Set-based: members per branch (one
grouped query), the period's articles (one query), the reads per branch (one grouped query)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from dangjian.core.groups import PersonGroup
from dangjian.core.indicators import active_branches, member_counts
from dangjian.hooks import Indicator, Reading
from dangjian.news.attention.models import ArticleReader
from dangjian.news.models import Article, Audience, Status

SOURCE = gettext_lazy("智慧宣传")


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def offered_q(start: date, end: date, prefix: str = "") -> Q:
    since, until = _bounds(start, end)
    return Q(
        **{
            f"{prefix}status": Status.PUBLISHED,
            f"{prefix}publish_at__gte": since,
            f"{prefix}publish_at__lt": until,
        }
    )


def reach_readings(start: date, end: date) -> dict[int, Reading]:
    """``news.reach``: (member, article) reads / (members × articles the branch could see), per branch."""
    members = {org_id: n for org_id, (n, _full) in member_counts(end).items() if n}
    if not members:
        return {}
    paths = dict(active_branches(end).filter(pk__in=list(members)).values_list("id", "path"))
    public = 0
    internal: Counter[str] = Counter()
    for audience, path, groups in Article.objects.filter(offered_q(start, end)).values_list(
        "audience", "organization__path", "groups"
    ):
        if audience == Audience.PUBLIC:
            public += 1
        elif audience == Audience.SUBTREE or PersonGroup.MEMBER in groups.split(","):
            internal[path] += 1
    if not public and not internal:
        return {}
    step = 4
    reads = dict(
        ArticleReader.objects.filter(
            offered_q(start, end, "article__"),
            person__isnull=False,
            branch_id__in=list(paths),
            first_day__lte=end,
        )
        .filter(
            Q(article__audience=Audience.PUBLIC)
            | Q(branch__path__startswith=F("article__organization__path"))
        )
        .exclude(Q(article__audience=Audience.GROUPS) & ~Q(article__groups__contains=PersonGroup.MEMBER))
        .values_list("branch_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    readings: dict[int, Reading] = {}
    for branch_id, path in paths.items():
        offered = public + sum(internal.get(path[:i], 0) for i in range(step, len(path) + 1, step))
        denominator = members[branch_id] * offered
        if not denominator:
            continue
        numerator = min(reads.get(branch_id, 0), denominator)
        readings[branch_id] = Reading(numerator / denominator, numerator, denominator)
    return readings


INDICATORS = (
    Indicator(
        "news.reach",
        gettext_lazy("宣传文章党员到达率"),
        SOURCE,
        reach_readings,
        unit="ratio",
        better="higher",
        description=gettext_lazy(
            "统计期内发布（期末日仍为已发布）且本支部可见的文章（公开文章，以及本支部或其上级党组织面向"
            "本组织及下级发布、或面向含“党员”的指定人群发布的文章）逐篇面向期末日在册的每名党员：分母＝党员人数×可见文章篇数，分子＝本"
            "支部党员（按首次计入阅读时所在支部）至期末日读过的（党员，文章）对数。只计人数，不显示谁读了"
            "什么。依据：本校设置（智慧宣传阅读统计，issue 18），用于吸引力指数。"
        ),
        url_name="news:attention_org",
        rollup="ratio",
        order=700,
    ),
)
