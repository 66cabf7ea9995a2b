"""What the header's search finds among organizations and people (``hooks.search``), within the scope."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization
from dangjian.core.selectors import organizations_within, person_list
from dangjian.hooks import SearchHit


def search_people(scope: Scope, text: str, limit: int) -> list[SearchHit]:
    """By name, pinyin initials or full pinyin, staff/student number or exact ID number (one query)."""
    people = person_list(scope, query=text)[:limit]
    return [
        SearchHit(
            p.name,
            reverse("core:person_detail", args=[p.pk]),
            " · ".join(
                x
                for x in (p.get_political_status_display(), p.organization.name if p.organization else "")
                if x
            ),
        )
        for p in people
    ]


def search_orgs(scope: Scope, text: str, limit: int) -> list[SearchHit]:
    orgs = (
        organizations_within(scope)
        .filter(Q(name__contains=text) | Q(short_name__contains=text) | Q(code__startswith=text))
        .filter(is_active=True)
        .order_by("path")[:limit]
    )
    return [SearchHit(o.name, reverse("core:org_detail", args=[o.pk]), _kind(o)) for o in orgs]


def _kind(org: Organization) -> str:
    return str(org.get_kind_display())
