"""Periodic jobs of the core module."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone


@shared_task(name="dangjian.core.tasks.send_term_expiry_reminders")
def send_term_expiry_reminders(today: str | None = None) -> int:
    """Term-expiry reminders, once per org, term and threshold (idempotent)."""
    from dangjian.core.reminders import send_term_reminders

    on = date.fromisoformat(today) if today else timezone.localdate()
    return send_term_reminders(today=on)


@shared_task(name="dangjian.core.tasks.repair_counters")
def repair_counters() -> int:
    """Nightly: recompute the counter rows (OrgCounts) that drifted from people and memberships (audited);
    returns how many. Zero unless a write bypassed the services."""
    import logging

    from dangjian.core.services.counters import counters_repair

    repaired = counters_repair(actor=None)
    if repaired:
        logging.getLogger(__name__).warning("counters drifted and were repaired: %s", repaired[:20])
    return len(repaired)


@shared_task(name="dangjian.core.tasks.anonymise_departed_people")
def anonymise_departed_people(today: str | None = None) -> int:
    """Anonymise the non-members who left PERSON_ANONYMISE_AFTER_YEARS ago (idempotent, audited)."""
    from django.conf import settings

    from dangjian.core.services.departures import people_anonymise_departed

    on = date.fromisoformat(today) if today else timezone.localdate()
    return people_anonymise_departed(
        actor=None, today=on, after_years=int(settings.PERSON_ANONYMISE_AFTER_YEARS)
    )
