"""志愿服务 in the to-do centre: a member's sign-ups of activities starting within two days; an
organizer's activities that have ended but whose hours are not yet confirmed (结束并确认). One query
each."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.hooks.points import TodoItem

SOON = timedelta(days=2)


def volunteer_todos(user: Any, scope: Scope) -> list[TodoItem]:
    from dangjian.volunteer import access
    from dangjian.volunteer.models import Activity, SignUp
    from dangjian.volunteer.rules import ActivityStatus

    now = timezone.now()
    items: list[TodoItem] = []
    if scope.person_id:
        coming = (
            SignUp.objects.filter(
                person_id=scope.person_id,
                cancelled_at__isnull=True,
                checked_in_at__isnull=True,
                activity__status=ActivityStatus.PUBLISHED,
                activity__starts_at__gt=now,
                activity__starts_at__lte=now + SOON,
            )
            .select_related("activity")
            .order_by("activity__starts_at")[:5]
        )
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
    if scope.has(Permission.MANAGE_ORGLIFE):
        ended = Activity.objects.filter(
            access.manage_q(scope), status=ActivityStatus.PUBLISHED, ends_at__lte=now
        ).count()
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
