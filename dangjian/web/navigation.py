"""The menu and the phone's tab bar: the entries modules contribute (``hooks.nav``), each shown to those
it serves, grouped under the sections modules declare (``hooks.nav_sections``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest
from django.urls import reverse

from dangjian import hooks
from dangjian.accounts.scope import Scope
from dangjian.hooks.points import NavEntry

MAX_TABS = 5


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str
    active: bool
    group: str = ""


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str
    items: list[NavItem] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return any(item.active for item in self.items)


@dataclass(frozen=True)
class Menu:
    top: list[NavItem]  # above every section (工作台)
    groups: list[NavGroup]
    tabs: list[NavItem]  # the phone's bottom bar

    @property
    def items(self) -> list[NavItem]:
        return self.top + [item for group in self.groups for item in group.items]


def _shown(entry: NavEntry, request: HttpRequest, scope: Scope) -> bool:
    if entry.permission is not None and not scope.has(entry.permission):
        return False
    return entry.visible is None or entry.visible(request, scope)


def _active_url(request: HttpRequest, urls: list[str]) -> str | None:
    # The active entry is the longest URL that prefixes the path ("/orgs/rule-checks/" beats "/orgs/").
    matches = [u for u in urls if request.path == u or (u != "/" and request.path.startswith(u))]
    return max(matches, key=len) if matches else None


def menu_for(request: HttpRequest, scope: Scope) -> Menu:
    entries = [(e, reverse(e.url_name)) for e in hooks.nav.all() if _shown(e, request, scope)]
    active = _active_url(request, [url for _e, url in entries])
    items = {e.url_name: NavItem(str(e.label), url, e.icon, url == active, e.group) for e, url in entries}
    sections = {s.key: s for s in hooks.nav_sections.all()}
    top = [items[e.url_name] for e, _url in entries if not e.group or e.group not in sections]
    groups = [
        NavGroup(s.key, str(s.label), [items[e.url_name] for e, _url in entries if e.group == s.key])
        for s in sections.values()
    ]
    tabs: dict[str, NavItem] = {}
    for e, url in entries:  # by order: the first shown entry of a tab key takes the tab
        if e.tab and e.tab not in tabs:
            item = items[e.url_name]
            label = str(e.tab_label) if e.tab_label is not None else item.label
            tabs[e.tab] = NavItem(label, url, e.icon, _tab_active(request, url, item), e.group)
    return Menu(top, [g for g in groups if g.items], list(tabs.values())[:MAX_TABS])


def _tab_active(request: HttpRequest, url: str, item: NavItem) -> bool:
    # A tab stays lit on its section's other pages: 组织生活 on a meeting, 党费 on the dues month.
    return item.active or (url != "/" and request.path.startswith(url))


def navigation_for(request: HttpRequest, scope: Scope) -> list[NavItem]:
    """The entries in menu order, flat (for callers that only need what is shown)."""
    return menu_for(request, scope).items
