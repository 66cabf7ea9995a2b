"""Core's contribution to the to-do centre: rule-check problems in the user's scope."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.hooks.points import TodoItem


def core_todos(user: Any, scope: Scope) -> list[TodoItem]:
    if not scope.has(Permission.MANAGE_ORGS) and not scope.has(Permission.VIEW_ORGS):
        return []
    from dangjian.core.selectors import rule_check_digest

    digest = rule_check_digest(scope)
    danger, warning = digest.danger, digest.warning
    items = []
    if danger:
        items.append(
            TodoItem(
                "core",
                _("%(n)s 个党组织存在严重问题(如任期届满、党员不足)") % {"n": danger},
                reverse("core:rule_checks") + "?severity=danger",
                "danger",
                danger,
            )
        )
    if warning:
        items.append(
            TodoItem(
                "core",
                _("%(n)s 个党组织需要关注(如即将换届、规模超限)") % {"n": warning},
                reverse("core:rule_checks") + "?severity=warning",
                "warning",
                warning,
            )
        )
    return items
