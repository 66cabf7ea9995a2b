"""Reminders before a graduate's kept membership ends (once per keep and threshold)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.recipients import secretary_users, upper_organizers
from dangjian.kit.dates import add_months
from dangjian.transfers.models import GraduateKeep
from dangjian.workbench.services import notify, reminder_claim


def send_keep_reminders(*, today: date, months_before: int = 3) -> int:
    sent = 0
    due = GraduateKeep.objects.filter(ended_on__isnull=True, keep_until__lte=add_months(today, months_before))
    for keep in due.select_related("person", "branch").iterator(chunk_size=500):
        threshold = "ended" if keep.keep_until <= today else "soon"
        if not reminder_claim(f"graduate_keep:{keep.pk}:{threshold}"):
            continue
        title = (
            _("%(n)s 保留组织关系已于 %(d)s 到期，请办理转接")
            if threshold == "ended"
            else _("%(n)s 保留组织关系将于 %(d)s 到期")
        ) % {"n": keep.person.name, "d": keep.keep_until.isoformat()}
        notify(
            secretary_users(keep.branch) + upper_organizers(keep.branch),
            "graduate_keep",
            title,
            _("毕业生党员未落实去向的，组织关系保留期满前应转至工作单位或户籍所在地党组织。"),
            reverse("core:person_detail", args=[keep.person_id]),
        )
        sent += 1
    return sent
