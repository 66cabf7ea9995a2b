"""The fold: the buffer into the aggregates in a fixed number of statements however many events wait,
idempotent (a second fold changes nothing), a reader counted once a day across folds, the member's branch
and college recorded."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.news.attention.models import ArticleDay, ArticleReader, ReadEvent
from dangjian.news.attention.rules import Reader, person_reader
from dangjian.news.attention.services import event_record, events_fold
from dangjian.news.models import Audience

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
# the days' upsert, the readers' upsert, the delete (plus the savepoint pair); PostgreSQL first takes the
# fold's advisory lock
FOLD_QUERIES = 3


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=SH)


def _fold() -> int:
    return events_fold(upto=timezone.now() + timedelta(days=1000)).events


def _queries_of_fold() -> int:
    with CaptureQueriesContext(connection) as ctx:
        _fold()
    return len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"].upper()])


@pytest.mark.parametrize("n", [1, 40])
def test_the_fold_costs_the_same_statements_however_many_events(world, published, n) -> None:
    article = published(world.cs, audience=Audience.PUBLIC)
    for i in range(n):
        event_record(article=article, reader=Reader(f"c{i:040d}"), kind="view", at=_at(2))
    assert _queries_of_fold() == FOLD_QUERIES + (connection.vendor == "postgresql")
    assert ArticleDay.objects.get(article=article).views == n
    assert not ReadEvent.objects.exists()


def test_folding_twice_changes_nothing(world, published) -> None:
    article = published(world.cs, audience=Audience.SUBTREE)
    reader = person_reader(world.member.pk)
    event_record(article=article, reader=reader, kind="view", at=_at(2))
    event_record(article=article, reader=reader, kind="leave", seconds=90, reached_end=True, at=_at(2, 11))
    assert _fold() == 2
    before = list(ArticleDay.objects.values()), list(ArticleReader.objects.values())
    assert _fold() == 0
    assert (list(ArticleDay.objects.values()), list(ArticleReader.objects.values())) == before


def test_a_reader_counts_once_a_day_across_folds_and_again_the_next_day(world, published) -> None:
    article = published(world.cs, audience=Audience.SUBTREE)
    reader = person_reader(world.member.pk)
    event_record(article=article, reader=reader, kind="view", at=_at(2, 9))
    _fold()
    event_record(article=article, reader=reader, kind="view", at=_at(2, 15))
    event_record(article=article, reader=reader, kind="leave", seconds=30, at=_at(2, 15))
    _fold()
    event_record(article=article, reader=reader, kind="view", at=_at(3, 8))
    event_record(article=article, reader=reader, kind="leave", seconds=200, reached_end=True, at=_at(3, 8))
    _fold()
    days = {d.day.day: d for d in ArticleDay.objects.filter(article=article)}
    assert (days[2].views, days[2].readers, days[2].seconds, days[2].timed, days[2].reached_end) == (
        2,
        1,
        30,
        1,
        0,
    )
    assert (days[3].views, days[3].readers, days[3].seconds, days[3].reached_end) == (1, 1, 200, 1)
    row = ArticleReader.objects.get(article=article)
    assert (row.views, row.max_seconds, row.reached_end) == (3, 200, True)
    assert (row.first_day.day, row.last_day.day) == (2, 3)
    assert (row.branch_id, row.college_id, row.person_id) == (
        world.cs_branch.pk,
        world.cs.pk,
        world.member.pk,
    )


def test_events_inside_the_grace_wait_for_the_next_fold(world, published) -> None:
    article = published(world.cs, audience=Audience.PUBLIC)
    event_record(article=article, reader=Reader("c" + "1" * 40), kind="view")
    assert events_fold().events == 0  # just written: younger than the grace
    assert ReadEvent.objects.count() == 1
