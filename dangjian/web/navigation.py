"""The left navigation, by role: each entry shows only when the user holds its permission."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str
    active: bool


_ENTRIES: list[tuple[object, str, str, Permission | None]] = [
    (_("工作台"), "web:home", "home", None),
    (_("组织"), "core:org_tree", "tree", Permission.VIEW_ORGS),
    (_("规范检查"), "core:rule_checks", "check", Permission.VIEW_ORGS),
    (_("人员"), "core:person_list", "users", Permission.VIEW_PEOPLE),
    (_("党费"), "dues:home", "coin", Permission.VIEW_DUES),
    (_("我的党费"), "dues:me", "wallet", None),
    (_("组织关系转接"), "transfers:list", "arrows", None),
    (_("发展党员"), "recruitment:board", "flag", Permission.MANAGE_RECRUITMENT),
    (_("党校培训"), "learning:classes", "school", Permission.VIEW_TRAINING),
    (_("我的培训"), "learning:me", "book", None),
    (_("组织生活"), "orglife:home", "calendar", None),
    (_("通知"), "workbench:notifications", "bell", None),
    (_("我的任务"), "jobs:list", "list", None),
    (_("审计日志"), "audit:log", "shield", Permission.VIEW_AUDIT),
    (_("安全策略"), "accounts:security", "lock", Permission.MANAGE_SECURITY),
    (_("我的"), "accounts:me", "user", None),
]


def navigation_for(request: HttpRequest, scope: Scope) -> list[NavItem]:
    entries = []
    for label, url_name, icon, perm in _ENTRIES:
        if perm is None or scope.has(perm):
            entries.append((str(label), reverse(url_name), icon))
    # The active entry is the longest URL that prefixes the path ("/orgs/rule-checks/" beats "/orgs/").
    matches = [
        url
        for _label, url, _icon in entries
        if request.path == url or (url != "/" and request.path.startswith(url))
    ]
    active = max(matches, key=len) if matches else None
    return [NavItem(label, url, icon, url == active) for label, url, icon in entries]
