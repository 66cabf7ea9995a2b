"""志愿服务 in the to-do centre: a member's sign-ups of activities starting within two days; an
organizer's activities that have ended but whose hours are not yet confirmed (结束并确认), counted with
every module's to-dos."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.hooks.points import TodoItem
from dangjian.kit.counting import Answered

SOON = timedelta(days=2)


def _coming(person_id: int) -> Any:
    from dangjian.volunteer.models import SignUp
    from dangjian.volunteer.rules import ActivityStatus

    now = timezone.now()
    return SignUp.objects.filter(
        person_id=person_id,
        cancelled_at__isnull=True,
        checked_in_at__isnull=True,
        activity__status=ActivityStatus.PUBLISHED,
        activity__starts_at__gt=now,
        activity__starts_at__lte=now + SOON,
    )


def _ask(user: Any, scope: Scope) -> dict[str, Any]:
    asked: dict[str, Any] = {}
    if scope.person_id:
        asked["coming"] = _coming(scope.person_id)
    if scope.has(Permission.MANAGE_ORGLIFE):
        from dangjian.volunteer import access
        from dangjian.volunteer.models import Activity
        from dangjian.volunteer.rules import ActivityStatus

        asked["ended"] = Activity.objects.filter(
            access.manage_q(scope), status=ActivityStatus.PUBLISHED, ends_at__lte=timezone.now()
        )
    return asked


def _answer(user: Any, scope: Scope, counts: Mapping[str, int]) -> list[TodoItem]:
    """The coming sign-ups are listed one by one (read only when there are some); the ended activities
    are counted."""
    items: list[TodoItem] = []
    if counts.get("coming") and scope.person_id:
        coming = _coming(scope.person_id).select_related("activity").order_by("activity__starts_at")[:5]
        for signup in coming:
            activity = signup.activity
            items.append(
                TodoItem(
                    "volunteer",
                    _("即将参加志愿服务：%(t)s（%(at)s，%(place)s）")
                    % {
                        "t": activity.title,
                        "at": timezone.localtime(activity.starts_at).strftime("%m-%d %H:%M"),
                        "place": activity.place,
                    },
                    reverse("volunteer:activity", args=[activity.pk]),
                    "info",
                    1,
                    due=timezone.localtime(activity.starts_at).date(),
                )
            )
    ended = counts.get("ended", 0)
    if ended:
        items.append(
            TodoItem(
                "volunteer",
                _("%(n)s 个志愿服务活动已结束，待确认志愿时长") % {"n": ended},
                reverse("volunteer:manage") + "?status=published",
                "warning",
                ended,
            )
        )
    return items


volunteer_todos = Answered(_ask, _answer)
