"""The volunteer activity's check-in code: the same rotating signed code as 组织生活's
(``kit.rotating_codes``), under a salt of its own — a meeting's code does not check anyone in here, nor
the reverse. The host's screen shows a new code every ``volunteer_qr_rotate_seconds``; a code is
accepted for ``volunteer_qr_valid_seconds`` after it was shown, and only inside the activity's check-in
window (``rules.checkin_window``)."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from dangjian.kit import rotating_codes
from dangjian.kit.errors import RuleViolation
from dangjian.policy import get_policy
from dangjian.volunteer.models import Activity
from dangjian.volunteer.rules import Window, checkin_window

SALT = "dangjian.volunteer.checkin"


def window(activity: Activity) -> Window:
    return checkin_window(activity.starts_at, activity.ends_at, get_policy())


def make_token(activity: Activity, now: datetime | None = None) -> str:
    return rotating_codes.make_code(
        activity.pk, salt=SALT, rotate_seconds=get_policy().volunteer_qr_rotate_seconds, now=now
    )


def make_print_token(activity: Activity) -> str:
    """The code of the printed sheet: the activity alone, no time step, so it never expires; it still
    checks in only inside the check-in window, and a walk-in only from the audience while places
    remain (``services.checkin_scan``), as 组织生活's sheet does."""
    return rotating_codes.make_printed(activity.pk, salt=SALT)


def seconds_to_next_code(now: datetime | None = None) -> int:
    return rotating_codes.seconds_to_next(rotate_seconds=get_policy().volunteer_qr_rotate_seconds, now=now)


def read_token(token: str, now: datetime | None = None) -> int:
    """The activity id a code names, if genuine and fresh; else a RuleViolation with the reason."""
    policy = get_policy()
    try:
        return rotating_codes.read_code(
            token,
            salt=SALT,
            rotate_seconds=policy.volunteer_qr_rotate_seconds,
            valid_seconds=policy.volunteer_qr_valid_seconds,
            now=now,
        )
    except rotating_codes.CodeInvalid:
        raise RuleViolation(_("签到码无效，请重新扫描活动现场的二维码。"), code="checkin_invalid") from None
    except rotating_codes.CodeExpired:
        raise RuleViolation(_("签到码已过期，请扫描屏幕上最新的二维码。"), code="checkin_expired") from None
