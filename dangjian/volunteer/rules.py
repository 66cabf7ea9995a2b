"""The rules of 党员服务群众 (志愿服务), as pure functions of plain values: what an activity must say,
when a member may sign up, cancel or check in, when the organizer may correct the hours, and in which
year the hours count. Numbers from ``dangjian.policy`` [local practice: DOMAIN.md §11 names no figure].

- An activity runs from ``starts_at`` to ``ends_at``; it offers ``places`` (≥ 1) and credits each
  participant ``hours`` (> 0, at most its length in hours, one decimal).
- Sign-up: only while it is published, not over its places, and until
  ``volunteer_signup_closes_minutes_before`` minutes before the start (0: up to the start).
- Cancelling one's sign-up: before the start only, and not once checked in.
- Check-in (the rotating QR): from ``volunteer_checkin_opens_minutes`` before the start to the end,
  while the activity is published. The signed-up check in; someone who did not sign up may walk in
  while places remain (the check-in signs them up), never over the places.
- Hours: the activity's hours are granted at check-in; after the end the organizer corrects them
  (补录 or 更正: 0 to the activity's length) with a reason. A sign-up's hours count in the year of the
  activity's start (Asia/Shanghai).
- 补录 of someone who took part without signing up: once the activity has started (running or
  finished, never a draft or a cancelled one), by the organizer, more than 0 and at most the
  activity's length, with a reason; the places do not limit it (it records what happened).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.kit.errors import RuleViolation
from dangjian.policy import Policy

MAX_TITLE = 120
MAX_PLACE = 200
MAX_REASON = 500
MAX_PLACES = 10000
HOURS_STEP = Decimal("0.1")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草稿")
    PUBLISHED = "published", gettext_lazy("报名中")
    FINISHED = "finished", gettext_lazy("已结束")
    CANCELLED = "cancelled", gettext_lazy("已取消")


class Audience(models.TextChoices):
    SUBTREE = "subtree", gettext_lazy("本组织党员")
    SCHOOL = "school", gettext_lazy("全校党员")


class CheckinMethod(models.TextChoices):
    SCAN = "scan", gettext_lazy("扫码")
    MANUAL = "manual", gettext_lazy("补录")


def length_hours(starts_at: datetime, ends_at: datetime) -> Decimal:
    """The activity's length in hours, to one decimal, rounded down (a 90-minute activity: 1.5)."""
    seconds = Decimal(int((ends_at - starts_at).total_seconds()))
    return (seconds / Decimal(3600)).quantize(HOURS_STEP, rounding=ROUND_DOWN)


def check_activity(
    *, title: str, place: str, starts_at: datetime, ends_at: datetime, places: int, hours: Decimal
) -> None:
    """Refuse an activity that cannot be held as described (each refusal names its field)."""
    if not title.strip():
        raise RuleViolation(_("请填写活动名称。"), field="title")
    if len(title) > MAX_TITLE:
        raise RuleViolation(_("活动名称不能超过 %(n)s 字。") % {"n": MAX_TITLE}, field="title")
    if not place.strip():
        raise RuleViolation(_("请填写活动地点。"), field="place")
    if len(place) > MAX_PLACE:
        raise RuleViolation(_("活动地点不能超过 %(n)s 字。") % {"n": MAX_PLACE}, field="place")
    if ends_at <= starts_at:
        raise RuleViolation(_("结束时间必须晚于开始时间。"), field="ends_at")
    if places < 1:
        raise RuleViolation(_("名额至少为 1 人。"), field="places")
    if places > MAX_PLACES:
        raise RuleViolation(_("名额不能超过 %(n)s 人。") % {"n": MAX_PLACES}, field="places")
    if hours <= 0:
        raise RuleViolation(_("志愿时长必须大于 0。"), field="hours")
    if hours != hours.quantize(HOURS_STEP):
        raise RuleViolation(_("志愿时长最多保留一位小数。"), field="hours")
    length = length_hours(starts_at, ends_at)
    if hours > length:
        raise RuleViolation(
            _("志愿时长不能超过活动时长（%(h)s 小时）。") % {"h": _hours_text(length)}, field="hours"
        )


def _hours_text(hours: Decimal) -> str:
    return f"{hours.normalize():f}"


def signup_closes_at(starts_at: datetime, policy: Policy) -> datetime:
    return starts_at - timedelta(minutes=policy.volunteer_signup_closes_minutes_before)


def check_signup(
    *, status: str, now: datetime, starts_at: datetime, taken: int, places: int, policy: Policy
) -> None:
    """Refuse a sign-up: not published, closed (the start, less the policy's minutes), or full."""
    if status != ActivityStatus.PUBLISHED:
        raise RuleViolation(_("该活动不在报名中。"), code="not_open")
    if now >= signup_closes_at(starts_at, policy):
        raise RuleViolation(_("报名已截止。"), code="signup_closed")
    if taken >= places:
        raise RuleViolation(_("名额已满。"), code="full")


def check_cancel_signup(*, now: datetime, starts_at: datetime, checked_in: bool) -> None:
    if checked_in:
        raise RuleViolation(_("已签到，不能取消报名。"), code="checked_in")
    if now >= starts_at:
        raise RuleViolation(_("活动已开始，不能取消报名。"), code="started")


@dataclass(frozen=True)
class Window:
    opens: datetime
    closes: datetime

    def contains(self, moment: datetime) -> bool:
        return self.opens <= moment <= self.closes


def checkin_window(starts_at: datetime, ends_at: datetime, policy: Policy) -> Window:
    return Window(starts_at - timedelta(minutes=policy.volunteer_checkin_opens_minutes), ends_at)


def check_checkin(*, status: str, now: datetime, window: Window) -> None:
    if status != ActivityStatus.PUBLISHED:
        raise RuleViolation(_("该活动不在签到时间内。"), code="checkin_closed")
    if not window.contains(now):
        raise RuleViolation(
            _("不在签到时间内（%(a)s 至 %(b)s）。")
            % {
                "a": timezone.localtime(window.opens).strftime("%m-%d %H:%M"),
                "b": timezone.localtime(window.closes).strftime("%m-%d %H:%M"),
            },
            code="checkin_closed",
        )


def check_walk_in(*, taken: int, places: int) -> None:
    """Someone who did not sign up checks in only while places remain (and takes one)."""
    if taken >= places:
        raise RuleViolation(_("名额已满，未报名的同志不能签到。"), code="full")


def check_correction(
    *, status: str, now: datetime, ends_at: datetime, hours: Decimal, length: Decimal, reason: str
) -> None:
    """补录 / 更正: after the end, of a held (not cancelled) activity, 0 to its length, with a reason."""
    if status not in (ActivityStatus.PUBLISHED, ActivityStatus.FINISHED):
        raise RuleViolation(_("该活动未举行，不能登记时长。"), code="not_held")
    if now < ends_at:
        raise RuleViolation(_("活动结束后才能补录或更正时长。"), code="not_ended")
    if hours < 0:
        raise RuleViolation(_("时长不能为负数。"), field="hours")
    _check_hours_and_reason(hours, length, reason, _("请填写补录或更正的理由。"))


def check_manual_add(
    *, status: str, now: datetime, starts_at: datetime, hours: Decimal, length: Decimal, reason: str
) -> None:
    """补录 a participant who did not sign up: a held activity (running or finished), 0 < hours ≤ its
    length, with a reason."""
    if status not in (ActivityStatus.PUBLISHED, ActivityStatus.FINISHED):
        raise RuleViolation(_("该活动未举行，不能补录。"), code="not_held")
    if now < starts_at:
        raise RuleViolation(_("活动开始后才能补录参加的同志。"), code="not_started")
    if hours <= 0:
        raise RuleViolation(_("补录的时长必须大于 0。"), field="hours")
    _check_hours_and_reason(hours, length, reason, _("请填写补录的理由。"))


def _check_hours_and_reason(hours: Decimal, length: Decimal, reason: str, no_reason: str) -> None:
    """What 补录 and 更正 share: one decimal at most, no more than the activity's length, a reason."""
    if hours != hours.quantize(HOURS_STEP):
        raise RuleViolation(_("志愿时长最多保留一位小数。"), field="hours")
    if hours > length:
        raise RuleViolation(
            _("时长不能超过活动时长（%(h)s 小时）。") % {"h": _hours_text(length)}, field="hours"
        )
    if not reason.strip():
        raise RuleViolation(no_reason, field="reason")
    if len(reason) > MAX_REASON:
        raise RuleViolation(_("理由不能超过 %(n)s 字。") % {"n": MAX_REASON}, field="reason")


def check_publish(*, status: str, now: datetime, starts_at: datetime) -> None:
    if status != ActivityStatus.DRAFT:
        raise RuleViolation(_("只有草稿可以发布。"), code="not_draft")
    if now >= starts_at:
        raise RuleViolation(_("活动开始时间已过，请修改时间后再发布。"), field="starts_at")


def check_edit(
    *, status: str, now: datetime, starts_at: datetime, new_starts_at: datetime, taken: int, places: int
) -> None:
    """Edit a draft, or a published activity before it starts (to a start still ahead, and not below
    the places already taken)."""
    if status not in (ActivityStatus.DRAFT, ActivityStatus.PUBLISHED):
        raise RuleViolation(_("该活动已结束或已取消，不能修改。"), code="closed")
    if status == ActivityStatus.PUBLISHED and now >= starts_at:
        raise RuleViolation(_("活动已开始，不能修改。"), code="started")
    if status == ActivityStatus.PUBLISHED and now >= new_starts_at:
        raise RuleViolation(_("报名中的活动，开始时间必须晚于现在。"), field="starts_at")
    if places < taken:
        raise RuleViolation(_("已有 %(n)s 人报名，名额不能少于已报名人数。") % {"n": taken}, field="places")


def check_cancel(*, status: str, now: datetime, ends_at: datetime, reason: str) -> None:
    if status not in (ActivityStatus.DRAFT, ActivityStatus.PUBLISHED):
        raise RuleViolation(_("该活动已结束或已取消。"), code="closed")
    if now >= ends_at:
        raise RuleViolation(_("活动已结束，不能取消。"), code="ended")
    if not reason.strip():
        raise RuleViolation(_("请填写取消的理由。"), field="reason")
    if len(reason) > MAX_REASON:
        raise RuleViolation(_("理由不能超过 %(n)s 字。") % {"n": MAX_REASON}, field="reason")


def check_finish(*, status: str, now: datetime, ends_at: datetime) -> None:
    """结束并确认时长: a published activity, once it has ended."""
    if status != ActivityStatus.PUBLISHED:
        raise RuleViolation(_("只有报名中的活动可以结束。"), code="not_published")
    if now < ends_at:
        raise RuleViolation(_("活动尚未结束。"), code="not_ended")


def hours_year(starts_at: datetime) -> int:
    """The year a sign-up's hours count in: the activity's start, in local time."""
    return timezone.localtime(starts_at).year


def hours_text(hours: Decimal | None) -> str:
    """ "6 小时", "1.5 小时"."""
    return _("%(h)s 小时") % {"h": _hours_text(hours or Decimal("0"))}
