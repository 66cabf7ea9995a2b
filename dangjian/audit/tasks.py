"""Periodic jobs of the audit log: the nightly chain check and the retention purge."""

from __future__ import annotations

from datetime import date

from celery import shared_task


@shared_task(name="dangjian.audit.tasks.check_audit_chains")
def check_audit_chains(today: str | None = None) -> int:
    """Verify the recent days' hash chains; returns the number of broken links found (alerts sent)."""
    from dangjian.audit.watch import audit_chain_check

    return len(audit_chain_check(today=date.fromisoformat(today) if today else None).breaks)


@shared_task(name="dangjian.audit.tasks.purge_expired_audit_events")
def purge_expired_audit_events(today: str | None = None) -> int:
    """Delete the days past AUDIT_RETENTION_DAYS (whole chains), audited; returns the events removed."""
    from dangjian.audit.retention import audit_purge

    return audit_purge(today=date.fromisoformat(today) if today else None)
