"""``news.reach`` (吸引力指数): per branch, distinct (member, article) reads of the articles published in the
period that the branch could see, over members × those articles; boundaries at the period's first and
last instant (Asia/Shanghai); reads of articles the branch could not see, or after the period, not
counted; a branch without members has no reading."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from dangjian import hooks
from dangjian.core.models import Person
from dangjian.insights.indices.defaults import DEFAULTS
from dangjian.news.attention.indicators import reach_readings
from dangjian.news.attention.rules import person_reader
from dangjian.news.attention.services import event_record, events_fold
from dangjian.news.models import Article, Audience

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def _at(y: int, m: int, d: int, h: int = 10, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, s, tzinfo=SH)


def _article(published, org, audience, when: datetime) -> Article:
    article = published(org, audience=audience)
    Article.objects.filter(pk=article.pk).update(publish_at=when)
    return article


def _read(person: Person, article: Article, when: datetime) -> None:
    event_record(article=article, reader=person_reader(person.pk), kind="view", at=when)


def test_reach_counts_member_article_pairs_the_branch_could_see(world, published) -> None:
    a = _article(published, world.school, Audience.PUBLIC, _at(2026, 11, 5))
    b = _article(published, world.cs, Audience.SUBTREE, _at(2026, 11, 10))
    c = _article(published, world.fl, Audience.SUBTREE, _at(2026, 11, 12))
    before = _article(published, world.cs, Audience.SUBTREE, _at(2026, 10, 31, 23, 59, 59))
    last = _article(published, world.cs, Audience.SUBTREE, _at(2026, 11, 30, 23, 59, 59))
    _article(published, world.cs, Audience.SUBTREE, _at(2026, 12, 1, 0, 0, 0))  # after the period
    zhang = Person.objects.get(name="张伟")
    _read(world.member, a, _at(2026, 11, 6))
    _read(world.member, a, _at(2026, 11, 7))  # the same pair again: counted once
    _read(world.member, b, _at(2026, 11, 11))
    _read(world.secretary, a, _at(2026, 11, 6))
    _read(zhang, before, _at(2026, 11, 2))  # published before the period
    _read(world.member, last, _at(2026, 12, 2))  # read after the period
    _read(world.fl_member, c, _at(2026, 11, 13))
    _read(world.fl_member, b, _at(2026, 11, 13))  # not offered to the branch: not counted
    events_fold(upto=_at(2027, 1, 1))
    readings = reach_readings(*NOVEMBER)
    cs, fl = readings[world.cs_branch.pk], readings[world.fl_branch.pk]
    assert (cs.numerator, cs.denominator) == (3, 3 * 3)  # a, b, last offered to 3 members
    assert (fl.numerator, fl.denominator) == (1, 3 * 2)  # a, c
    assert cs.value == pytest.approx(1 / 3)
    assert world.cs_branch2.pk not in readings  # no members


def test_no_articles_in_the_period_no_readings(world, published) -> None:
    _article(published, world.school, Audience.PUBLIC, _at(2026, 10, 5))
    assert reach_readings(*NOVEMBER) == {}


def test_the_indicator_is_contributed_and_weighed_in_the_attraction_index() -> None:
    indicator = hooks.indicators.get("news.reach")
    assert (indicator.unit, indicator.rollup, indicator.better) == ("ratio", "ratio", "higher")
    assert "依据" in str(indicator.description)
    assert reverse(indicator.url_name, args=[1])
    parts = DEFAULTS["attraction"]
    assert "news.reach" in [p["indicator"] for p in parts]
    assert sum(p["weight"] for p in parts) == pytest.approx(1)


def test_readings_cost_a_few_queries(world, published, django_assert_max_num_queries) -> None:
    for i in range(5):
        _article(published, world.cs, Audience.SUBTREE, _at(2026, 11, 3 + i))
    with django_assert_max_num_queries(4):
        reach_readings(*NOVEMBER)
