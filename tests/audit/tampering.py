"""Tampering as a database superuser would: past the append-only trigger (PostgreSQL), straight to rows."""

from __future__ import annotations

from django.db import connection


def drop_the_guard() -> None:
    """Inside the test's transaction (rolled back with it): what a superuser does before editing rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
