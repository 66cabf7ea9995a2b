"""How 党内统计 plugs into the platform: pages, API, navigation, the nightly snapshot, demo."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts.roles import Permission as P
from dangjian.hooks import NavEntry, PeriodicTask
from dangjian.reporting import audit_labels, jobs  # noqa: F401  (jobs registers its job kind)
from dangjian.reporting.demo import seed_statistics

hooks.url_mounts.add(hooks.UrlMount("statistics/", "dangjian.reporting.urls", order=100))
hooks.api_routers.add(hooks.ApiRouter("dangjian.reporting.api:router", order=60))
hooks.nav.add(
    NavEntry(_("党内统计"), "reporting:index", "chart", order=10, group="stats", permission=P.VIEW_STATISTICS)
)
hooks.periodic.add(
    PeriodicTask(
        "statistics-nightly", "dangjian.reporting.tasks.nightly_snapshot", crontab(hour=1, minute=10)
    )
)
# Last: the statistics count what every other module's demo made.
hooks.seeders.add(
    hooks.DemoSeeder(
        "reporting",
        lambda seed: seed_statistics(),
        after=("orglife.absence", "transfers"),
        province=lambda log: seed_statistics(log, resume=True),
    )
)
hooks.audit_actions.add(audit_labels.ACTIONS)
