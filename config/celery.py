"""Celery application. With no broker configured tasks run eagerly in-process (see settings)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("dangjian")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "term-expiry-reminders": {
        "task": "dangjian.core.tasks.send_term_expiry_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    "warm-dashboards": {
        "task": "dangjian.core.tasks.warm_dashboards",
        "schedule": crontab(minute="*/4"),
    },
    "graduate-keep-reminders": {
        "task": "dangjian.transfers.tasks.send_graduate_keep_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "dues-monthly-bills": {
        "task": "dangjian.dues.tasks.generate_monthly_bills",
        "schedule": crontab(day_of_month=1, hour=0, minute=30),
    },
    "orglife-absence-warnings": {
        "task": "dangjian.orglife.tasks.raise_absence_warnings",
        "schedule": crontab(hour=6, minute=15),
    },
    "dues-reminders": {
        "task": "dangjian.dues.tasks.send_dues_reminders",
        "schedule": crontab(day_of_month=10, hour=9, minute=0),
    },
}
