"""What the header's search finds among meetings (``hooks.search``): by topic, within the scope."""

from __future__ import annotations

from django.urls import reverse

from dangjian.accounts.roles import Permission as P
from dangjian.accounts.scope import Scope
from dangjian.hooks import SearchHit
from dangjian.orglife.meetings.selectors import meetings_visible_to


def search_meetings(scope: Scope, text: str, limit: int) -> list[SearchHit]:
    meetings = meetings_visible_to(scope, P.VIEW_ORGLIFE).filter(topic__contains=text)[:limit]
    return [
        SearchHit(
            m.topic,
            reverse("orglife:meeting", args=[m.pk]),
            f"{m.date:%Y-%m-%d} · {m.get_kind_display()} · {m.organization.name}",
        )
        for m in meetings
    ]
