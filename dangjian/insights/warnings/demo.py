"""The 预警 centre on the demo data: what the nightly run finds today, one warning taken by the
secretary of its branch (处理中) and one closed with a note, so each state of the list can be seen."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.accounts.scope import Scope
from dangjian.core.services.counters import counters_rebuild
from dangjian.insights.models import Alert, AlertStatus
from dangjian.insights.warnings import services

CLOSE_NOTE = "已与本人谈心谈话，了解原因并提醒按要求办理；情况已向支部委员会通报。"


def _handler(alert: Alert) -> User | None:
    from dangjian.accounts import recipients

    org = alert.organization
    users = (
        recipients.secretary_users(org) or recipients.organizers_at(org) or recipients.upper_organizers(org)
    )
    return users[0] if users else None


def seed_warnings(today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    # The size and committee warnings read the maintained counters: count the seeded members first
    # (seed_demo rebuilds them again at its end), or every branch would be "0 full members".
    counters_rebuild()
    result = services.alerts_sync(today=today)
    system = Scope.system()
    open_alerts = list(
        Alert.objects.filter(status=AlertStatus.OPEN).select_related("organization").order_by("pk")[:2]
    )
    taken = closed = 0
    if open_alerts:
        first = open_alerts[0]
        services.alert_take(
            actor=_handler(first), scope=system, alert=first, expected_status=AlertStatus.OPEN
        )
        taken = 1
    if len(open_alerts) > 1:
        second = open_alerts[1]
        services.alert_close(
            actor=_handler(second),
            scope=system,
            alert=second,
            note=CLOSE_NOTE,
            expected_status=AlertStatus.OPEN,
        )
        closed = 1
    return {"warnings": result.new, "warnings taken": taken, "warnings closed": closed}
