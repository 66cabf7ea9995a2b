"""How background jobs plug into the platform: the user's job list, the sweep of jobs the broker missed."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.hooks import NavEntry, PeriodicTask

hooks.url_mounts.add(hooks.UrlMount("workbench/jobs/", "dangjian.jobs.urls", order=45))
hooks.nav.add(NavEntry(_("我的任务"), "jobs:list", "list", order=160, group="mine"))
hooks.periodic.add(
    PeriodicTask("requeue-stale-jobs", "dangjian.jobs.tasks.requeue_stale_jobs", crontab(minute="*/5"))
)
