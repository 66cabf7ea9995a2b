"""Writes of 阅读关注度: a beacon recorded (one INSERT into the buffer, nothing read back), a like set or
taken back (one row per person and article), and the fold of the buffer into the aggregates.

Reads and likes are not written to the audit log: an audit row per read would be a per-person reading
history, the very thing the module promises nobody sees (issue 18: only counts are shown). The fold is the
only writer of the aggregates: three statements however many events wait (two ``INSERT … SELECT … ON
CONFLICT DO UPDATE`` and a ``DELETE``), on PostgreSQL and SQLite alike (PostgreSQL first takes an advisory
lock, so overlapping folds never count an event twice; SQLite's writers are serial already).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import Scope
from dangjian.core.models import ON_ROLL_STANDINGS, Membership, Organization
from dangjian.kit.errors import NotFound
from dangjian.news.attention.models import ArticleDay, ArticleReader, EventKind, Like, ReadEvent
from dangjian.news.attention.rules import BEACON_KINDS, Reader, clamp_seconds
from dangjian.news.models import Article
from dangjian.policy import get_policy

# Events younger than this wait for the next fold: every beacon's INSERT has committed by then, so the
# statements of one fold all see the same events.
FOLD_GRACE = timedelta(seconds=30)
FOLD_LOCK = 18_0001  # the advisory lock key of the fold (PostgreSQL)


def event_record(
    *,
    article: Article | int,
    reader: Reader,
    kind: str,
    seconds: object = 0,
    reached_end: bool = False,
    at: datetime | None = None,
) -> None:
    """One beacon into the buffer (the caller has checked the reader may read the article)."""
    if kind not in BEACON_KINDS:
        raise ValueError(kind)
    when = at or timezone.now()
    ReadEvent.objects.create(
        article_id=article if isinstance(article, int) else article.pk,
        reader_key=reader.key,
        person_id=reader.person_id,
        kind=kind,
        seconds=clamp_seconds(seconds, get_policy().news_read_max_seconds) if kind == EventKind.LEAVE else 0,
        reached_end=bool(reached_end) and kind == EventKind.LEAVE,
        at=when,
        day=timezone.localdate(when),
    )


def like_set(*, actor: object, scope: Scope, article: Article, liked: bool) -> bool:
    """The reader's like of ``article`` set to ``liked`` (a double click sets it once); the day's count
    gets +1/−1 through the buffer. Answers whether it is liked now."""
    if scope.person_id is None:
        raise NotFound(_("只有登记了人员信息的用户可以点赞"))
    now = timezone.now()
    with transaction.atomic():
        exists = Like.objects.select_for_update().filter(article=article, person_id=scope.person_id)
        if liked == exists.exists():
            return liked
        if liked:
            try:
                with transaction.atomic():
                    Like.objects.create(article=article, person_id=scope.person_id, at=now)
            except IntegrityError:  # the other click won the race: liked once
                return True
        else:
            exists.delete()
        ReadEvent.objects.create(
            article=article,
            reader_key=f"p{scope.person_id}",
            person_id=scope.person_id,
            kind=EventKind.LIKE if liked else EventKind.UNLIKE,
            at=now,
            day=timezone.localdate(now),
        )
    return liked


@dataclass(frozen=True)
class FoldResult:
    days: int
    readers: int
    events: int


def events_fold(*, upto: datetime | None = None) -> FoldResult:
    """Fold every buffered event older than ``upto`` (default: now less ``FOLD_GRACE``) into
    ``ArticleDay`` and ``ArticleReader`` and delete them, in one transaction. Idempotent: a second fold
    finds nothing. A reader counts on a day once: one already counted that day (their ``last_day``) is
    not counted again by a later fold."""
    cutoff = upto or timezone.now() - FOLD_GRACE
    pg = connection.vendor == "postgresql"
    greatest, least = ("GREATEST", "LEAST") if pg else ("MAX", "MIN")
    event, reader, day = ReadEvent._meta.db_table, ArticleReader._meta.db_table, ArticleDay._meta.db_table
    membership, org = Membership._meta.db_table, Organization._meta.db_table
    college_len = 2 * Organization.steplen
    standings = [str(s) for s in ON_ROLL_STANDINGS]
    marks = ", ".join(["%s"] * len(standings))
    with transaction.atomic(), connection.cursor() as cursor:
        if pg:
            # One fold at a time: a second one (an overlapping beat) would count the same events again.
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [FOLD_LOCK])
            if not cursor.fetchone()[0]:
                return FoldResult(days=0, readers=0, events=0)
        cursor.execute(
            f"""
            INSERT INTO {day} (article_id, day, views, readers, seconds, timed, reached_end, shares, likes)
            SELECT e.article_id, e.day,
                SUM(CASE WHEN e.kind = 'view' THEN 1 ELSE 0 END),
                COUNT(DISTINCT CASE WHEN e.kind IN ('view', 'leave')
                    AND (r.id IS NULL OR r.last_day <> e.day) THEN e.reader_key END),
                SUM(CASE WHEN e.kind = 'leave' THEN e.seconds ELSE 0 END),
                SUM(CASE WHEN e.kind = 'leave' THEN 1 ELSE 0 END),
                COUNT(DISTINCT CASE WHEN e.kind = 'leave' AND e.reached_end
                    AND (r.id IS NULL OR NOT r.reached_end) THEN e.reader_key END),
                SUM(CASE WHEN e.kind = 'share' THEN 1 ELSE 0 END),
                SUM(CASE WHEN e.kind = 'like' THEN 1 WHEN e.kind = 'unlike' THEN -1 ELSE 0 END)
            FROM {event} e
            LEFT JOIN {reader} r ON r.article_id = e.article_id AND r.reader_key = e.reader_key
            WHERE e.at < %s
            GROUP BY e.article_id, e.day
            ON CONFLICT (article_id, day) DO UPDATE SET
                views = {day}.views + excluded.views,
                readers = {day}.readers + excluded.readers,
                seconds = {day}.seconds + excluded.seconds,
                timed = {day}.timed + excluded.timed,
                reached_end = {day}.reached_end + excluded.reached_end,
                shares = {day}.shares + excluded.shares,
                likes = {day}.likes + excluded.likes
            """,
            [cutoff],
        )
        days = cursor.rowcount
        cursor.execute(
            f"""
            INSERT INTO {reader} (article_id, reader_key, person_id, branch_id, college_id, views,
                max_seconds, reached_end, first_at, last_at, first_day, last_day)
            SELECT e.article_id, e.reader_key, MAX(e.person_id), MAX(m.organization_id), MAX(c.id),
                SUM(CASE WHEN e.kind = 'view' THEN 1 ELSE 0 END), MAX(e.seconds),
                MAX(CASE WHEN e.reached_end THEN 1 ELSE 0 END) = 1,
                MIN(e.at), MAX(e.at), MIN(e.day), MAX(e.day)
            FROM {event} e
            LEFT JOIN {membership} m ON m.person_id = e.person_id AND m.standing IN ({marks})
            LEFT JOIN {org} o ON o.id = m.organization_id
            LEFT JOIN {org} c ON c.path = SUBSTR(o.path, 1, {college_len})
            WHERE e.at < %s AND e.kind IN ('view', 'leave')
            GROUP BY e.article_id, e.reader_key
            ON CONFLICT (article_id, reader_key) DO UPDATE SET
                views = {reader}.views + excluded.views,
                max_seconds = {greatest}({reader}.max_seconds, excluded.max_seconds),
                reached_end = ({reader}.reached_end OR excluded.reached_end),
                first_at = {least}({reader}.first_at, excluded.first_at),
                last_at = {greatest}({reader}.last_at, excluded.last_at),
                first_day = {least}({reader}.first_day, excluded.first_day),
                last_day = {greatest}({reader}.last_day, excluded.last_day)
            """,
            [*standings, cutoff],
        )
        readers = cursor.rowcount
        cursor.execute(f"DELETE FROM {event} WHERE at < %s", [cutoff])
        events = cursor.rowcount
    return FoldResult(days=max(days, 0), readers=max(readers, 0), events=max(events, 0))
