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

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

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


def _step(moment: datetime) -> int:
    return int(moment.timestamp()) // max(1, get_policy().orglife_qr_rotate_seconds)


def make_token(meeting: Meeting, now: datetime | None = None) -> str:
    return signing.dumps({"m": meeting.pk, "s": _step(now or timezone.now())}, salt=SALT, compress=True)


def make_print_token(meeting: Meeting) -> str:
    """The code of the printed sheet: the meeting alone, no time step (see the module's docstring)."""
    return signing.dumps({"m": meeting.pk, "p": 1}, salt=SALT, compress=True)


def seconds_to_next_code(now: datetime | None = None) -> int:
    rotate = max(1, get_policy().orglife_qr_rotate_seconds)
    return rotate - int((now or timezone.now()).timestamp()) % rotate


def read_token(token: str, now: datetime | None = None) -> int:
    """The meeting id a token names, if it is genuine and fresh; else a RuleViolation with the reason."""
    p = get_policy()
    now = now or timezone.now()
    try:
        data = signing.loads(str(token), salt=SALT)
        if data.get("p") == 1:
            return int(data["m"])  # a printed code: no step, the window decides
        meeting_id, step = int(data["m"]), int(data["s"])
    except (signing.BadSignature, AttributeError, KeyError, TypeError, ValueError):
        raise RuleViolation(_("签到码无效，请重新扫描会议现场的二维码。"), code="checkin_invalid") from None
    shown_at = step * max(1, p.orglife_qr_rotate_seconds)
    age = now.timestamp() - shown_at
    if age > p.orglife_qr_valid_seconds + p.orglife_qr_rotate_seconds or age < -p.orglife_qr_rotate_seconds:
        raise RuleViolation(_("签到码已过期，请扫描屏幕上最新的二维码。"), code="checkin_expired")
    return meeting_id


def meeting_for_token(token: str, now: datetime | None = None) -> Meeting | None:
    """The meeting a genuine, fresh check-in code names, or None — no scope: the code is its own
    authority (the login page names the meeting to a member who scanned while signed out)."""
    try:
        meeting_id = read_token(token, now)
    except RuleViolation:
        return None
    return Meeting.objects.select_related("organization").filter(pk=meeting_id).first()
