"""Health of the database, cache and broker for /healthz."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "down"; details go to logs, not to the client
        return "down"
    return "ok"


def cache_status() -> str:
    try:
        cache.set("healthz", "1", 5)
        return "ok" if cache.get("healthz") == "1" else "down"
    except Exception:
        return "down"


def broker_status() -> str:
    if not settings.CELERY_BROKER_URL:
        return "eager"  # no broker configured: tasks run in-process
    try:
        from celery import current_app as app  # config.celery's app, made current when config loads

        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return "down"
    return "ok"
