"""The left navigation, by role: each entry shows only when the user holds its permission."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.roles import Permission, Role
from dangjian.accounts.scope import Scope


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str
    active: bool


def _has_person(request: HttpRequest, scope: Scope) -> bool:
    return scope.person_id is not None


def _in_pipeline(request: HttpRequest, scope: Scope) -> bool:
    """Applicants, activists, development targets and probationers see their own 入党进度."""
    from dangjian.recruitment.selectors import has_own_case

    person = getattr(request.user, "person", None)
    return person is not None and person.political_status in PIPELINE_STATUSES and has_own_case(person.pk)


def _school_admin(request: HttpRequest, scope: Scope) -> bool:
    return scope.has_role(Role.SCHOOL_ADMIN)


PIPELINE_STATUSES = ("applicant", "activist", "candidate", "probationary")
# Shown when the user holds the permission, always (None), or when the predicate says so.
Condition = Permission | None | Callable[[HttpRequest, Scope], bool]

_ENTRIES: list[tuple[object, str, str, Condition]] = [
    (_("工作台"), "web:home", "home", None),
    (_("组织"), "core:org_tree", "tree", Permission.VIEW_ORGS),
    (_("规范检查"), "core:rule_checks", "check", Permission.VIEW_ORGS),
    (_("人员"), "core:person_list", "users", Permission.VIEW_PEOPLE),
    (_("党费"), "dues:home", "coin", Permission.VIEW_DUES),
    (_("我的党费"), "dues:me", "wallet", None),
    (_("组织关系转接"), "transfers:list", "arrows", None),
    (_("发展党员"), "recruitment:board", "flag", Permission.MANAGE_RECRUITMENT),
    (_("超期与违规提醒"), "recruitment:alerts", "alert", Permission.MANAGE_RECRUITMENT),
    (_("我的入党进度"), "recruitment:me", "flag", _in_pipeline),
    (_("法定节假日"), "recruitment:holidays", "calendar", _school_admin),
    (_("党校培训"), "learning:classes", "school", Permission.VIEW_TRAINING),
    (_("我的培训"), "learning:me", "book", _has_person),
    (_("组织生活"), "orglife:home", "calendar", None),
    (_("通知"), "workbench:notifications", "bell", None),
    (_("我的任务"), "jobs:list", "list", None),
    (_("审计日志"), "audit:log", "shield", Permission.VIEW_AUDIT),
    (_("安全策略"), "accounts:security", "lock", Permission.MANAGE_SECURITY),
    (_("我的"), "accounts:me", "user", None),
]


def navigation_for(request: HttpRequest, scope: Scope) -> list[NavItem]:
    entries = []
    for label, url_name, icon, condition in _ENTRIES:
        if (
            condition is None
            or (isinstance(condition, Permission) and scope.has(condition))
            or (callable(condition) and not isinstance(condition, Permission) and condition(request, scope))
        ):
            entries.append((str(label), reverse(url_name), icon))
    # The active entry is the longest URL that prefixes the path ("/orgs/rule-checks/" beats "/orgs/").
    matches = [
        url
        for _label, url, _icon in entries
        if request.path == url or (url != "/" and request.path.startswith(url))
    ]
    active = max(matches, key=len) if matches else None
    return [NavItem(label, url, icon, url == active) for label, url, icon in entries]
