"""Celery application. With no broker configured tasks run eagerly in-process (see settings).

The beat schedule is what the apps contribute (``hooks.periodic``), read once Django's apps are loaded.
"""

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("dangjian")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def beat_schedule() -> dict[str, dict[str, Any]]:
    from dangjian import hooks

    return {t.name: {"task": t.task, "schedule": t.schedule} for t in hooks.periodic.all()}


@app.on_after_finalize.connect
def _schedule_periodic_tasks(sender: Celery, **kwargs: Any) -> None:
    import django

    django.setup()  # no-op when already set up (the worker and beat set it up through the Django fixup)
    sender.conf.beat_schedule = beat_schedule()
