"""Demo 智慧宣传: a few dozen articles of the school committee and of the colleges (the demo member's
first), public and internal, in every state — drafts, returned with a note, waiting at each step of the
chain, scheduled, published over the last two months, one withdrawn — and a few internal ones of the
member's branch. Through the services, as in real work; deterministic for a seed."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind
from dangjian.news import services
from dangjian.news.models import Article, Audience, Category, Status

SYSTEM = Scope.system()
TOPICS = {
    Category.WORK: ("召开党建工作推进会", "开展主题党日活动", "举行新党员入党宣誓仪式", "部署年度组织生活会"),
    Category.NOTICE: ("关于开展民主评议党员工作的通知", "关于按时交纳党费的通知", "关于报送工作总结的通知"),
    Category.THEORY: ("深入学习党的创新理论", "专题学习《中国共产党支部工作条例》", "读原著学原文悟原理"),
    Category.PIONEER: ("身边的共产党员：扎根讲台二十年", "党员先锋岗风采展示", "优秀共产党员事迹简介"),
    Category.MEDIA: ("媒体聚焦：校园里的红色课堂", "媒体报道学校党建工作经验", "党建引领志愿服务获报道"),
}
PARAGRAPHS = (
    "会议传达学习了上级党组织有关文件精神，对下一阶段工作作出具体部署。",
    "与会同志结合工作实际交流了心得体会，一致表示要把学习成果转化为推动工作的实际成效。",
    "活动坚持问题导向，聚焦师生关心的实际问题，推动党建工作与业务工作深度融合。",
    "各党支部要高度重视，认真组织，按时完成各项任务，确保工作取得实效。",
)
# (state, how many) in the order made; the rest are published.
PLAN = (("draft", 3), ("returned", 3), ("editor", 3), ("approver", 3), ("scheduled", 3), ("withdrawn", 1))
TOTAL = 36


def _body(rng: random.Random, topic: str) -> str:
    paras = rng.sample(PARAGRAPHS, 3)
    return (
        f"<p><strong>{topic}</strong></p>"
        + "".join(f"<p>{p}</p>" for p in paras)
        + "<ul><li>提高政治站位</li><li>压实工作责任</li><li>注重工作实效</li></ul>"
    )


def _user(username: str) -> Any:
    return User.objects.filter(username=username).first()


def _approve_to(article: Article, *, stop_at: str | None) -> Article:
    """Approve step by step until waiting at ``stop_at`` (None: until the chain ends)."""
    while article.status == Status.IN_REVIEW and article.step != stop_at:
        article = services.article_approve(
            actor=None, scope=SYSTEM, article=article, expected_status=None, comment="内容准确，同意。"
        )
    return article


def seed_news(seed: int = 2026) -> dict[str, int]:
    rng = random.Random(seed + 18)
    now = timezone.now()
    member = User.objects.select_related("person__organization").filter(username="member").first()
    branch = member.person.organization if member and member.person else None
    school = Organization.objects.filter(depth=1).order_by("path").first()
    if school is None:
        return {"news articles": 0}
    college = Organization.objects.get_parent(branch) if branch is not None else None
    colleges = list(
        Organization.objects.filter(depth=2, kind=OrgKind.COMMITTEE, is_active=True)
        .exclude(pk=getattr(college, "pk", None))
        .order_by("path")[:3]
    )
    publishers = [o for o in (college, school, *colleges) if o is not None]
    authors = {school.pk: _user("school_admin")}
    if college is not None:
        authors[college.pk] = _user("college_organizer")
    states = [s for s, n in PLAN for _i in range(n)]
    states += ["published"] * (TOTAL - len(states))
    made = 0
    topics = [(c, t) for c, ts in TOPICS.items() for t in ts]
    for i, state in enumerate(states):
        org = publishers[i % len(publishers)]
        category, topic = topics[i % len(topics)]
        audience = Audience.SUBTREE if i % 4 == 3 else Audience.PUBLIC
        when = now + timedelta(days=3 + i % 5) if state == "scheduled" else None
        article = services.article_create(
            actor=authors.get(org.pk),
            scope=SYSTEM,
            organization=org,
            data=services.ArticleInput(
                title=f"{org.short_name or org.name}{topic}",
                body=_body(rng, topic),
                category=category,
                audience=audience,
                tags=rng.choice(("党建,学习", "组织生活", "先锋,榜样", "通知")),
                publish_at=when,
            ),
        )
        made += 1
        if state == "draft":
            continue
        article = services.article_submit(actor=None, scope=SYSTEM, article=article, expected_status=None)
        if state == "returned":
            if article.status == Status.IN_REVIEW:
                services.article_return(
                    actor=None,
                    scope=SYSTEM,
                    article=article,
                    expected_status=None,
                    comment="标题请再精炼，第二段补充活动的具体时间和参加人数。",
                )
            continue
        if state in ("editor", "approver"):
            _approve_to(article, stop_at=state)
            continue
        article = _approve_to(article, stop_at=None)
        if state == "published":
            # The story's dates: published over the last two months, the newest first in the list.
            Article.objects.filter(pk=article.pk).update(publish_at=now - timedelta(days=60 - i, hours=i % 7))
        elif state == "withdrawn":
            services.article_withdraw(
                actor=None,
                scope=SYSTEM,
                article=article,
                expected_status=None,
                reason="内容有误，更正后重新发布。",
            )
    if branch is not None:
        for k, topic in enumerate(("支部学习计划", "支部主题党日安排")):
            article = services.article_create(
                actor=None,
                scope=SYSTEM,
                organization=branch,
                data=services.ArticleInput(
                    title=topic, body=_body(rng, topic), category=Category.WORK, audience=Audience.SUBTREE
                ),
            )
            article = _approve_to(
                services.article_submit(actor=None, scope=SYSTEM, article=article, expected_status=None),
                stop_at=None,
            )
            Article.objects.filter(pk=article.pk).update(publish_at=now - timedelta(days=10 + k))
            made += 1
    if member is not None:  # subscribed after the story: told of what is published from now on
        services.subscription_save(
            actor=member, categories=[Category.NOTICE, Category.THEORY], by_email=False
        )
    return {"news articles": made}
