"""Writes of the 组织生活 statistics: reminding a branch of a month it falls short in (提醒支部)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.recipients import secretary_users
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind
from dangjian.kit.errors import RuleViolation
from dangjian.orglife import access
from dangjian.orglife.compliance import stats
from dangjian.workbench.services import notify, reminder_claim


def branch_remind(
    *, actor: Any, scope: Scope, branch: Organization, month: date, today: date | None = None
) -> int:
    """Tell the branch's secretaries what its 组织生活 of ``month`` is short of. Once per branch, month
    and day (a second click, or a colleague's, the same day sends nothing): returns how many were told,
    0 when the reminder had gone out already."""
    if branch.kind != OrgKind.BRANCH:
        raise RuleViolation(_("只能提醒党支部"), field="org")
    if not access.may_review(scope, branch):
        raise RuleViolation(_("由上级党组织提醒支部"), code="not_your_side")
    today = today or timezone.localdate()
    month = month.replace(day=1)
    cell = stats.branch_month(branch, month, today)
    if not (cell.missing or cell.due):
        raise RuleViolation(_("该支部本月组织生活已达标或尚未开始，无需提醒"))
    recipients = secretary_users(branch)
    if not recipients:
        raise RuleViolation(_("该支部没有在任书记的账号，无法发送提醒"))
    forms = "、".join(cell.missing_labels or cell.due_labels)
    with transaction.atomic():
        if not reminder_claim(f"orglife.remind:{branch.pk}:{month:%Y-%m}:{today.isoformat()}"):
            return 0
        sent = notify(
            recipients,
            "orglife",
            _("请补齐 %(m)s 的组织生活：%(f)s") % {"m": f"{month:%Y-%m}", "f": forms},
            link=reverse("orglife:meetings") + f"?org={branch.pk}&month={month:%Y-%m}",
        )
        audit.record(
            actor=actor,
            action="orglife.compliance_remind",
            target=branch,
            org=branch,
            changes={"month": f"{month:%Y-%m}", "missing": list(cell.missing or cell.due), "sent": sent},
        )
    return sent
