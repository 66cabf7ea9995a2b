"""Demo 阅读关注度: a month of reading of the demo's published articles, so the charts have shape. Not
everyone reads (an internal article reaches a third to two thirds of its audience, a public one fewer, and
some anonymous public readers), most read within a few days of publication, about half read to the end;
a few like and a few share. Written as beacons would write them (bulk into the buffer), then folded once
— the same aggregates the live platform makes. Deterministic for a seed."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from dangjian.core.models import ON_ROLL_STANDINGS, Membership
from dangjian.news.attention.models import EventKind, Like, ReadEvent
from dangjian.news.attention.rules import cookie_reader
from dangjian.news.attention.services import events_fold
from dangjian.news.models import Article, Audience, Status

DAYS = 30
MAX_READERS = 400  # readers drawn per article (bounded at university size)
BATCH = 5000


def seed_attention(seed: int = 2026) -> dict[str, int]:
    rng = random.Random(seed + 1818)
    now = timezone.now()
    since = now - timedelta(days=DAYS - 1)
    members = list(
        Membership.objects.filter(standing__in=ON_ROLL_STANDINGS)
        .order_by("person_id")
        .values_list("person_id", "organization__path")
    )
    articles = list(
        Article.objects.filter(status=Status.PUBLISHED, publish_at__lte=now)
        .select_related("organization")
        .order_by("publish_at", "pk")
    )
    events: list[ReadEvent] = []
    likes: list[Like] = []
    readers = 0
    for article in articles:
        first = max(article.publish_at or since, since)
        span = max((now - first).total_seconds(), 3600.0)
        if article.audience == Audience.PUBLIC:
            audience = members
            share = rng.uniform(0.15, 0.4)
        else:
            path = article.organization.path
            audience = [m for m in members if m[1].startswith(path)]
            share = rng.uniform(0.35, 0.7)
        chosen = rng.sample(audience, min(len(audience), MAX_READERS, int(len(audience) * share)))
        keyed: list[tuple[str, int | None]] = [(f"p{pid}", pid) for pid, _path in chosen]
        if article.audience == Audience.PUBLIC:
            keyed += [
                (cookie_reader(f"demo-{article.pk}-{k:04d}").key, None) for k in range(rng.randint(5, 40))
            ]
        for key, person_id in keyed:
            readers += 1
            # Most read soon after publication: the delay is skewed towards the start of the window.
            at = first + timedelta(seconds=span * rng.random() ** 2.5)
            for visit in range(rng.choice((1, 1, 1, 2, 2, 3))):
                when = min(at + timedelta(hours=visit * rng.randint(2, 48)), now - timedelta(minutes=1))
                events.append(_event(article, key, person_id, EventKind.VIEW, when))
                end = rng.random() < 0.5
                seconds = rng.randint(60, 420) if end else rng.randint(5, 120)
                events.append(
                    _event(
                        article,
                        key,
                        person_id,
                        EventKind.LEAVE,
                        when + timedelta(seconds=seconds),
                        seconds,
                        end,
                    )
                )
            if person_id and rng.random() < 0.08:
                likes.append(Like(article=article, person_id=person_id, at=at + timedelta(minutes=3)))
                events.append(_event(article, key, None, EventKind.LIKE, at + timedelta(minutes=3)))
            if rng.random() < 0.03:
                events.append(_event(article, key, None, EventKind.SHARE, at + timedelta(minutes=2)))
    latest = now - timedelta(seconds=1)  # nothing in the future: everything is folded below
    for event in events:
        if event.at > latest:
            event.at, event.day = latest, timezone.localdate(latest)
    ReadEvent.objects.bulk_create(events, batch_size=BATCH)
    Like.objects.bulk_create(likes, batch_size=BATCH, ignore_conflicts=True)
    folded = events_fold(upto=now + timedelta(seconds=1))
    return {"news reads": readers, "news read events": folded.events, "news likes": len(likes)}


def _event(
    article: Article,
    key: str,
    person_id: int | None,
    kind: str,
    at: datetime,
    seconds: int = 0,
    reached_end: bool = False,
) -> ReadEvent:
    return ReadEvent(
        article=article,
        reader_key=key,
        person_id=person_id,
        kind=kind,
        seconds=seconds,
        reached_end=reached_end,
        at=at,
        day=timezone.localdate(at),
    )
