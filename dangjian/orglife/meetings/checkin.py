"""The rotating check-in code: a signed token naming the meeting and the time step it was shown in.

The host's screen shows a new code every ``orglife_qr_rotate_seconds``; a code is accepted for
``orglife_qr_valid_seconds`` after it was shown (so a member who scans just before the change still gets
in), and only inside the meeting's check-in window. The signature (Django's signing with SECRET_KEY and
a salt of its own) makes a forged or altered token fail; a token of another meeting names that meeting.

A printed code (the A4 sheet at the door, :func:`make_print_token`) cannot rotate: it names the meeting
without a time step and is accepted whenever the check-in window is open — the window and the
attendee list remain the guard. The host chooses: the printed sheet, or the rotating code on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from dangjian.kit import rotating_codes
from dangjian.kit.errors import RuleViolation
from dangjian.orglife.models import Meeting
from dangjian.policy import get_policy

SALT = "dangjian.orglife.checkin"


@dataclass(frozen=True)
class Window:
    opens: datetime
    closes: datetime

    def contains(self, moment: datetime) -> bool:
        return self.opens <= moment <= self.closes


def window(meeting: Meeting) -> Window:
    p = get_policy()
    start = meeting.starts_at
    return Window(
        start - timedelta(minutes=p.orglife_checkin_before_minutes),
        start + timedelta(minutes=p.orglife_checkin_after_minutes),
    )


def make_token(meeting: Meeting, now: datetime | None = None) -> str:
    return rotating_codes.make_code(
        meeting.pk, salt=SALT, rotate_seconds=get_policy().orglife_qr_rotate_seconds, now=now
    )


def make_print_token(meeting: Meeting) -> str:
    """The code of the printed sheet: the meeting alone, no time step (see the module's docstring)."""
    return rotating_codes.make_printed(meeting.pk, salt=SALT)


def seconds_to_next_code(now: datetime | None = None) -> int:
    return rotating_codes.seconds_to_next(rotate_seconds=get_policy().orglife_qr_rotate_seconds, now=now)


def read_token(token: str, now: datetime | None = None) -> int:
    """The meeting id a token names, if it is genuine and fresh; else a RuleViolation with the reason."""
    p = get_policy()
    try:
        return rotating_codes.read_code(
            token,
            salt=SALT,
            rotate_seconds=p.orglife_qr_rotate_seconds,
            valid_seconds=p.orglife_qr_valid_seconds,
            now=now,
        )
    except rotating_codes.CodeInvalid:
        raise RuleViolation(_("签到码无效，请重新扫描会议现场的二维码。"), code="checkin_invalid") from None
    except rotating_codes.CodeExpired:
        raise RuleViolation(_("签到码已过期，请扫描屏幕上最新的二维码。"), code="checkin_expired") from None


def meeting_for_token(token: str, now: datetime | None = None) -> Meeting | None:
    """The meeting a genuine, fresh check-in code names, or None — no scope: the code is its own
    authority (the login page names the meeting to a member who scanned while signed out)."""
    try:
        meeting_id = read_token(token, now)
    except RuleViolation:
        return None
    return Meeting.objects.select_related("organization").filter(pk=meeting_id).first()
