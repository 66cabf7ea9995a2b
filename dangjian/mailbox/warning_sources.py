"""What the 书记信箱 contributes to the 预警 centre: ``mailbox.overdue``, a letter still waiting for its
reply after its deadline (``mailbox_reply_workdays`` working days [local practice]) — a warning to the
organization it is addressed to, one finding per letter (key ``letter:<id>``). The finding names the
letter, never its writer (no ``person_id``): an anonymous letter stays anonymous in the centre too."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.hooks import Finding
from dangjian.mailbox.models import Letter
from dangjian.mailbox.rules import WAITING_STATUSES
from dangjian.policy import get_policy

CODE = "mailbox.overdue"


def _overdue(today: date) -> QuerySet[Letter]:
    return Letter.objects.filter(status__in=WAITING_STATUSES, due_on__lt=today)


def overdue_count(scope: Scope, today: date) -> int:
    """The overdue letters to organizations in the scope (one query)."""
    return _overdue(today).filter(scope.q(Permission.HANDLE_REQUESTS, "organization__path")).count()


def overdue_findings(today: date) -> Iterator[Finding]:
    rule = _("书记信箱：来信应在 %(n)s 个工作日内答复（本校规定）。") % {
        "n": get_policy().mailbox_reply_workdays
    }
    rows = _overdue(today).values("pk", "organization_id", "subject", "due_on").order_by("pk")
    for row in rows.iterator(chunk_size=2000):
        yield Finding(
            key=f"letter:{row['pk']}",
            organization_id=row["organization_id"],
            summary=_("来信《%(s)s》已超过答复期限（%(due)s）")
            % {"s": row["subject"][:60], "due": row["due_on"].isoformat()},
            rule=rule,
            url=reverse("mailbox:letter", args=[row["pk"]]),
        )
