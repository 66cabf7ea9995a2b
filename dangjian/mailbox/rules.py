"""The pure rules of the 书记信箱: the categories and states of a letter, the reply deadline in working
days, the daily cap on a member's letters and the day a replied letter closes itself. Numbers from
``dangjian.policy`` ([local practice]; ../shared/DOMAIN.md §11)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.kit.workdays import workdays_after
from dangjian.policy import Policy

SCORES = (1, 2, 3, 4, 5)


class Category(models.TextChoices):
    ADVICE = "advice", _("意见建议")
    INQUIRY = "inquiry", _("咨询")
    PROBLEM = "problem", _("反映问题")
    OTHER = "other", _("其他")


class LetterStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待回复")
    TRANSFERRED = "transferred", _("已转办")
    REPLIED = "replied", _("已回复")
    CLOSED = "closed", _("已办结")


# A transferred letter waits for the reply of the organization it was passed to.
WAITING_STATUSES = (LetterStatus.SUBMITTED, LetterStatus.TRANSFERRED)
REPLIABLE_STATUSES = (*WAITING_STATUSES, LetterStatus.REPLIED)


class ClosedBy(models.TextChoices):
    WRITER = "writer", _("来信人确认")
    HANDLER = "handler", _("办理人办结")
    AUTO = "auto", _("到期自动办结")


def due_on(written_on: date, policy: Policy) -> date:
    """The reply deadline: ``mailbox_reply_workdays`` working days after the day written (holidays and
    make-up workdays as the State Council sets them, ``kit.workdays``)."""
    return workdays_after(written_on, policy.mailbox_reply_workdays)[0]


def is_overdue(status: str, due: date, today: date) -> bool:
    return status in WAITING_STATUSES and due < today


def over_daily_cap(written_today: int, policy: Policy) -> bool:
    """Whether one more letter today would pass the member's daily cap."""
    return written_today >= policy.mailbox_daily_letters


def closes_itself_on(replied_on: date, policy: Policy) -> date:
    """The day a replied letter the writer has not closed closes itself."""
    return replied_on + timedelta(days=policy.mailbox_auto_close_days)


def normalised_code(code: str) -> str:
    """A tracking code as typed or read aloud: spaces dropped, upper case."""
    return "".join((code or "").split()).upper()


def may_rate(status: str, already_rated: bool) -> bool:
    return status in (LetterStatus.REPLIED, LetterStatus.CLOSED) and not already_rated
