"""The left navigation: the entries modules contribute (``hooks.nav``), each shown to those it serves."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from dangjian import hooks
from dangjian.accounts.scope import Scope
from dangjian.hooks.points import NavEntry


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str
    active: bool
    group: str = "work"


def _shown(entry: NavEntry, request: HttpRequest, scope: Scope) -> bool:
    if entry.permission is not None and not scope.has(entry.permission):
        return False
    return entry.visible is None or entry.visible(request, scope)


def navigation_for(request: HttpRequest, scope: Scope) -> list[NavItem]:
    entries = [
        (str(e.label), reverse(e.url_name), e.icon, e.group)
        for e in hooks.nav.all()
        if _shown(e, request, scope)
    ]
    # The active entry is the longest URL that prefixes the path ("/orgs/rule-checks/" beats "/orgs/").
    matches = [
        url
        for _label, url, _icon, _group in entries
        if request.path == url or (url != "/" and request.path.startswith(url))
    ]
    active = max(matches, key=len) if matches else None
    return [NavItem(label, url, icon, url == active, group) for label, url, icon, group in entries]
