"""Reads of 阅读关注度 for the publicity staff, through the scope: the articles they manage
(``news.access.manage_q``), over a period. Counts only — no function here returns a person.

The overview: totals, the daily series, the top articles (views, readers, reach = readers / audience
size, read-to-end rate, mean time on the page, likes, shares), the categories and tags read, and what each
college's members read most. An article's page: its days, its numbers and its reach in each organization
below its publisher. The audience of an internal article is the members on the roll in its organization's
subtree; of a public one, every member of the school (``core.selectors.subtree_member_counts``: the
maintained counters, one grouped query per tree depth); of one for 指定人群, the active people of the
subtree in its groups (``core.groups.in_groups_q``, counted live).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from dangjian.accounts.scope import Scope
from dangjian.core.groups import in_groups_q
from dangjian.core.models import Organization, Person
from dangjian.core.selectors import subtree_member_counts
from dangjian.news import access
from dangjian.news.attention.models import ArticleDay, ArticleReader, Like
from dangjian.news.attention.rules import ratio
from dangjian.news.models import Article, Audience, Category

TOP_TAGS = 10
COLLEGE_TOP = 3  # the most-read articles shown for each college


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


@dataclass
class Totals:
    views: int = 0
    readers: int = 0
    seconds: int = 0
    timed: int = 0
    reached_end: int = 0
    shares: int = 0
    likes: int = 0

    @property
    def end_rate(self) -> float | None:
        return ratio(self.reached_end, self.readers)

    @property
    def mean_seconds(self) -> float | None:
        return ratio(self.seconds, self.timed)


@dataclass
class ArticleRow:
    article: Article
    totals: Totals
    audience: int = 0

    @property
    def reach(self) -> float | None:
        return ratio(self.totals.readers, self.audience)


@dataclass
class CollegeRow:
    college: Organization
    readers: int
    top: list[tuple[Article, int]] = field(default_factory=list)


SUMS = {
    "views": Coalesce(Sum("views"), 0),
    "readers": Coalesce(Sum("readers"), 0),
    "seconds": Coalesce(Sum("seconds"), 0),
    "timed": Coalesce(Sum("timed"), 0),
    "reached_end": Coalesce(Sum("reached_end"), 0),
    "shares": Coalesce(Sum("shares"), 0),
    "likes": Coalesce(Sum("likes"), 0),
}


def days_of(scope: Scope, period: Period, *, org: Organization | None = None) -> QuerySet[ArticleDay]:
    """The day rows of the articles the scope manages (of ``org``'s subtree if given) in the period."""
    qs = ArticleDay.objects.filter(access.manage_q(scope, "article__organization__path")).filter(
        day__gte=period.start, day__lte=period.end
    )
    if org is not None:
        qs = qs.filter(article__organization__path__startswith=org.path)
    return qs


def totals(days: QuerySet[ArticleDay]) -> Totals:
    return Totals(**days.aggregate(**SUMS))


def daily(days: QuerySet[ArticleDay], period: Period) -> dict[str, Any]:
    """The chart's data: views and readers for every day of the period (0 on days without reads)."""
    rows = {
        r["day"]: r
        for r in days.values("day").annotate(v=Sum("views"), r=Sum("readers"), s=Sum("shares")).order_by()
    }
    names = [d.isoformat() for d in period.days]
    return {
        "names": names,
        "views": [int(rows[d]["v"]) if d in rows else 0 for d in period.days],
        "readers": [int(rows[d]["r"]) if d in rows else 0 for d in period.days],
        "shares": [int(rows[d]["s"]) if d in rows else 0 for d in period.days],
    }


def top_articles(days: QuerySet[ArticleDay]) -> QuerySet[Any]:
    """Article ids with their period sums, the most viewed first (to paginate; ``article_rows`` turns a
    page of them into rows)."""
    return days.values("article_id").annotate(**SUMS).order_by("-views", "-article_id")


def readers_of(scope: Scope, period: Period, *, org: Organization | None = None) -> QuerySet[ArticleReader]:
    """The readers of the managed articles who read them in the period (first read by its end, last read
    from its start)."""
    qs = ArticleReader.objects.filter(access.manage_q(scope, "article__organization__path")).filter(
        last_day__gte=period.start, first_day__lte=period.end
    )
    if org is not None:
        qs = qs.filter(article__organization__path__startswith=org.path)
    return qs


READERS = {"n": Count("id"), "end": Count("id", filter=Q(reached_end=True))}


def period_totals(days: QuerySet[ArticleDay], readers: QuerySet[ArticleReader]) -> Totals:
    """The period's sums, with the distinct (article, reader) pairs as its readers. Two queries."""
    result = totals(days)
    agg = readers.aggregate(**READERS)
    result.readers, result.reached_end = agg["n"], agg["end"]
    return result


def article_rows(rows: list[dict[str, Any]], readers: QuerySet[ArticleReader]) -> list[ArticleRow]:
    """A page of ``top_articles`` with the articles, their readers in the period and their audience
    sizes (four or five queries)."""
    ids = [r["article_id"] for r in rows]
    articles = Article.objects.select_related("organization").defer("body").in_bulk(ids)
    counted = {
        a: (n, end)
        for a, n, end in readers.filter(article_id__in=ids)
        .values_list("article_id")
        .annotate(**READERS)
        .order_by()
    }
    sizes = audience_sizes(list(articles.values()))
    out = []
    for r in rows:
        article = articles.get(r["article_id"])
        if article is None:
            continue
        values = {k: int(r[k]) for k in SUMS}
        values["readers"], values["reached_end"] = counted.get(article.pk, (0, 0))
        out.append(ArticleRow(article, Totals(**values), sizes.get(article.pk, 0)))
    return out


def audience_sizes(articles: list[Article]) -> dict[int, int]:
    """article id → the people its audience covers: the members on the roll of its organization's
    subtree, or of the whole school (the root's subtree) for a public article; for 指定人群, the active
    people of the subtree in its groups (one more query, whatever the number of such articles)."""
    grouped = [a for a in articles if a.audience == Audience.GROUPS]
    orgs = {a.organization.path: a.organization for a in articles if a.audience == Audience.SUBTREE}
    public = [a for a in articles if a.audience == Audience.PUBLIC]
    roots: list[Organization] = []
    if public:
        roots = list(Organization.objects.get_root_nodes())
    counts = subtree_member_counts([*orgs.values(), *roots])
    sizes = {a.pk: counts.get(a.organization.path, (0, 0))[0] for a in articles}
    sizes.update({a.pk: sum(counts.get(r.path, (0, 0))[0] for r in roots) for a in public})
    sizes.update(_group_sizes(grouped))
    return sizes


def _group_sizes(articles: list[Article]) -> dict[int, int]:
    """article id → active people of its organization's subtree in its groups: one query."""
    if not articles:
        return {}
    today = timezone.localdate()
    agg = Person.objects.filter(is_active=True).aggregate(
        **{
            f"a{a.pk}": Count(
                "pk",
                filter=Q(organization__path__startswith=a.organization.path)
                & in_groups_q(a.group_list, today),
            )
            for a in articles
        }
    )
    return {a.pk: int(agg[f"a{a.pk}"] or 0) for a in articles}


def categories_read(days: QuerySet[ArticleDay]) -> list[tuple[str, int, int]]:
    """(category label, views, readers), the most viewed first."""
    labels = dict(Category.choices)
    rows = days.values("article__category").annotate(v=Sum("views"), r=Sum("readers")).order_by("-v")
    return [(str(labels.get(r["article__category"], r["article__category"])), r["v"], r["r"]) for r in rows]


def tags_read(days: QuerySet[ArticleDay], limit: int = TOP_TAGS) -> list[tuple[str, int]]:
    """(tag, views), the most viewed first: each article's views counted for each of its tags."""
    views: dict[str, int] = defaultdict(int)
    for tags, v in days.values_list("article__tags").annotate(v=Sum("views")).order_by():
        for tag in {t.strip() for t in (tags or "").split(",") if t.strip()}:
            views[tag] += v
    return sorted(views.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def colleges_read(
    scope: Scope, period: Period, *, org: Organization | None = None, top: int = COLLEGE_TOP
) -> list[CollegeRow]:
    """各学院党员最爱读: for each college with members who read the managed articles in the period, its
    readers and its members' most-read articles (distinct readers each). Three queries."""
    qs = readers_of(scope, period, org=org).filter(college__isnull=False)
    grouped = list(
        qs.values_list("college_id", "article_id")
        .annotate(n=Count("id"))
        .order_by("college_id", "-n", "-article_id")
    )
    per_college: dict[int, list[tuple[int, int]]] = defaultdict(list)
    readers: dict[int, int] = defaultdict(int)
    for college_id, article_id, n in grouped:
        readers[college_id] += n
        if len(per_college[college_id]) < top:
            per_college[college_id].append((article_id, n))
    if not per_college:
        return []
    colleges = Organization.objects.in_bulk(list(per_college))
    ids = {a for pairs in per_college.values() for a, _n in pairs}
    articles = Article.objects.only("id", "title", "organization_id").in_bulk(list(ids))
    rows = [
        CollegeRow(colleges[c], readers[c], [(articles[a], n) for a, n in pairs if a in articles])
        for c, pairs in per_college.items()
        if c in colleges
    ]
    return sorted(rows, key=lambda r: r.college.path)


# ---------------------------------------------------------------- one article


@dataclass
class ArticleFacts:
    totals: Totals  # over the period
    readers_all: int  # every reader since it was published
    reached_end_all: int
    likes_now: int
    audience: int

    @property
    def reach(self) -> float | None:
        return ratio(self.readers_all, self.audience)

    @property
    def end_rate(self) -> float | None:
        return ratio(self.reached_end_all, self.readers_all)


def article_days(article: Article, period: Period) -> QuerySet[ArticleDay]:
    return ArticleDay.objects.filter(article=article, day__gte=period.start, day__lte=period.end)


def article_facts(article: Article, period: Period) -> ArticleFacts:
    agg = ArticleReader.objects.filter(article=article).aggregate(
        n=Count("id"), end=Count("id", filter=Q(reached_end=True))
    )
    return ArticleFacts(
        totals=totals(article_days(article, period)),
        readers_all=agg["n"],
        reached_end_all=agg["end"],
        likes_now=Like.objects.filter(article=article).count(),
        audience=audience_sizes([article]).get(article.pk, 0),
    )


@dataclass
class ReachRow:
    org: Organization
    readers: int
    members: int

    @property
    def reach(self) -> float | None:
        return ratio(self.readers, self.members)


def reach_by_org(article: Article) -> list[ReachRow]:
    """For each organization directly below the publisher (the school's colleges for a public article of
    the school; the publisher itself when nothing is below it): members who read it / its members."""
    parent = article.organization
    children = list(
        Organization.objects.get_children(parent)
        .filter(is_active=True)
        .exclude(kind="group")
        .order_by("path")
    )
    if not children:
        children = [parent]
    length = len(children[0].path)
    if article.audience == Audience.GROUPS:
        counts = _group_counts_by(article, parent, length)
    else:
        counts = subtree_member_counts(children)
    read = dict(
        ArticleReader.objects.filter(article=article, branch__path__startswith=parent.path)
        .annotate(prefix=Substr(F("branch__path"), 1, length))
        .values_list("prefix")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [ReachRow(c, read.get(c.path, 0), counts.get(c.path, (0, 0))[0]) for c in children]


def _group_counts_by(article: Article, parent: Organization, length: int) -> dict[str, tuple[int, int]]:
    """For a 指定人群 article: the people of its groups under ``parent``, by the path prefix of ``length``
    (the organizations right below it), shaped like ``subtree_member_counts``. One grouped query."""
    rows = (
        Person.objects.filter(is_active=True, organization__path__startswith=parent.path)
        .filter(in_groups_q(article.group_list, timezone.localdate()))
        .annotate(prefix=Substr(F("organization__path"), 1, length))
        .values_list("prefix")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {prefix: (n, 0) for prefix, n in rows}


def like_state(article: Article, person_id: int | None) -> dict[str, Any]:
    """The like button: whether this reader likes the article, and its likes (one query)."""
    agg = Like.objects.filter(article=article).aggregate(
        n=Count("id"), mine=Count("id", filter=Q(person_id=person_id or 0))
    )
    return {"liked": bool(agg["mine"]), "likes": agg["n"]}
