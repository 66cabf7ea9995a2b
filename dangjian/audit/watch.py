"""The nightly check: verify the last days' chains; on a break, record it, tell the 审计管理员 and
安全管理员, and log an ERROR. Also logs each verified chain's head, so a copy of the logs kept off the
database server can later prove what the chains looked like (a superuser who deletes a whole chain, head
and all, leaves nothing in the database to compare with)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.recipients import role_holders
from dangjian.accounts.roles import Role
from dangjian.audit.integrity import ChainBreak, Verification, verify_chains
from dangjian.audit.models import AuditChainHead
from dangjian.audit.services import record
from dangjian.workbench.services import notify, reminder_claim

logger = logging.getLogger(__name__)


def _alert(broken: ChainBreak, today: dt.date) -> None:
    logger.error("%s / %s", broken.zh, broken.en)
    key = f"audit-chain-broken:{broken.chain}:{broken.kind}:{broken.first}:{broken.event_id or ''}"
    with transaction.atomic():
        if not reminder_claim(key):  # told once per break; the log says it every night
            return
        record(
            actor=None,
            action="audit.chain.broken",
            changes={
                "chain": broken.chain,
                "seq": broken.first,
                "kind": broken.kind,
                "event": broken.event_id,
            },
        )
        notify(
            role_holders([Role.AUDIT_ADMIN, Role.SECURITY_ADMIN], today),
            "audit.chain.broken",
            _("审计日志完整性校验失败"),
            _("%(what)s。请立即核查数据库访问记录，并运行 manage.py verify_audit 做全面校验。")
            % {"what": broken.zh},
            link=reverse("audit:log"),
        )


def audit_chain_check(*, today: dt.date | None = None) -> Verification:
    """Verify the chains of the last AUDIT_VERIFY_DAYS days (today included); alert on every break."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=max(int(settings.AUDIT_VERIFY_DAYS), 1) - 1)
    result = verify_chains(since=since)
    for broken in result.breaks:
        _alert(broken, today)
    for day, key, seq, last_hash in (
        AuditChainHead.objects.filter(day__gte=since, day__lt=today)
        .order_by("day", "key")
        .values_list("day", "key", "last_seq", "last_hash")
    ):
        logger.info("audit chain anchor %s/%s seq=%s hash=%s", day, key or "-", seq, last_hash)
    return result
