"""The login page names the meeting a member scanned while signed out (``hooks.login_notes``)."""

from __future__ import annotations

from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from dangjian.orglife.meetings.checkin import meeting_for_token


def checkin_note(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name != "orglife:scan":
        return None
    meeting = meeting_for_token(match.kwargs.get("token", ""))
    if meeting is None:
        return _("签到码已过期：登录后请重新扫描会场的二维码。")
    return _("登录后即为“%(topic)s”签到(%(org)s，%(day)s %(time)s)。") % {
        "topic": meeting.topic,
        "org": meeting.organization.name,
        "day": f"{meeting.date:%Y-%m-%d}",
        "time": f"{meeting.start_time:%H:%M}",
    }
