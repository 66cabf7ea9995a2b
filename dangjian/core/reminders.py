"""Term-expiry reminders to the secretary and the upper organizer, once per threshold."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.recipients import secretary_users, upper_organizers
from dangjian.core.models import Organization, OrgKind
from dangjian.core.rules import default_term_years, term_expires_on
from dangjian.kit.dates import add_months
from dangjian.policy import get_policy
from dangjian.workbench.services import notify, reminder_claim


def term_threshold(expires: date, today: date, months: tuple[int, ...]) -> str | None:
    """The tightest threshold crossed: "overdue", then "3m", "6m"...; None when none is."""
    if today >= expires:
        return "overdue"
    for m in sorted(months):
        if today >= add_months(expires, -m):
            return f"{m}m"
    return None


def send_term_reminders(*, today: date) -> int:
    policy = get_policy()
    sent = 0
    orgs = Organization.objects.filter(is_active=True, term_started_on__isnull=False).exclude(
        kind=OrgKind.GROUP
    )
    for org in orgs.iterator(chunk_size=1000):
        expires = term_expires_on(org.term_started_on, org.term_years or default_term_years(org.kind, policy))
        if expires is None:
            continue
        threshold = term_threshold(expires, today, policy.term_reminder_months)
        if threshold is None:
            continue
        if not reminder_claim(f"term:{org.pk}:{org.term_started_on.isoformat()}:{threshold}"):  # type: ignore[union-attr]
            continue
        if threshold == "overdue":
            title = _("%(org)s 任期已届满，请及时换届") % {"org": org.name}
        else:
            title = _("%(org)s 任期将于 %(date)s 届满，请准备换届") % {
                "org": org.name,
                "date": expires.isoformat(),
            }
        recipients: list[Any] = secretary_users(org) + upper_organizers(org)
        notify(
            recipients,
            "term_expiry",
            title,
            _("换届依据《中国共产党基层组织选举工作条例》。"),
            reverse("core:org_detail", args=[org.pk]),
        )
        sent += 1
    return sent
