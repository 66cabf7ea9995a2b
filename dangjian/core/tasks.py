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


@shared_task(name="dangjian.core.tasks.warm_dashboards")
def warm_dashboards() -> int:
    """Keep the cached dashboard digest warm for every organizer's scope (province size: the cold
    computation takes seconds). Runs more often than DASHBOARD_CACHE_SECONDS expires."""
    from django.conf import settings

    from dangjian.accounts.models import RoleAssignment
    from dangjian.accounts.roles import Permission, Role
    from dangjian.accounts.scope import resolve_scope
    from dangjian.core.selectors import dashboard_counts, rule_check_digest

    if int(getattr(settings, "DASHBOARD_CACHE_SECONDS", 0)) <= 0:
        return 0
    seen: set[tuple[str, ...]] = set()
    assignments = RoleAssignment.objects.filter(
        role__in=[Role.SCHOOL_ADMIN, Role.COLLEGE_ORGANIZER], user__is_active=True
    ).select_related("user")
    for ra in assignments.iterator(chunk_size=500):
        scope = resolve_scope(ra.user)
        prefixes = scope.prefixes(Permission.VIEW_ORGS)
        if prefixes in seen:
            continue
        seen.add(prefixes)
        rule_check_digest(scope, refresh=True)
        dashboard_counts(scope, refresh=True)
    return len(seen)


@shared_task(name="dangjian.core.tasks.anonymise_departed_people")
def anonymise_departed_people(today: str | None = None) -> int:
    """Anonymise the non-members who left PERSON_ANONYMISE_AFTER_YEARS ago (idempotent, audited)."""
    from django.conf import settings

    from dangjian.core.services.departures import people_anonymise_departed

    on = date.fromisoformat(today) if today else timezone.localdate()
    return people_anonymise_departed(
        actor=None, today=on, after_years=int(settings.PERSON_ANONYMISE_AFTER_YEARS)
    )
