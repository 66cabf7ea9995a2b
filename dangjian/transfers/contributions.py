"""How 组织关系转接 plugs into the platform: pages, navigation, to-dos, person page and list, 工作台,
API, the graduates' job and the daily reminder."""

from celery.schedules import crontab
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts.roles import Permission as P
from dangjian.accounts.scope import Scope
from dangjian.hooks import DashboardTile, NavEntry, PeriodicTask, PersonPanel
from dangjian.transfers import access, audit_labels, graduates, province_demo  # noqa: F401  (link rules and the letters job register on import)
from dangjian.transfers.demo import seed_transfers
from dangjian.transfers.panels import home_tile, person_badges, person_panel
from dangjian.transfers.todos import transfer_todos


def _concerned(request: HttpRequest, scope: Scope) -> bool:
    """A member follows their own transfer; organizers handle or approve those in their scope."""
    return scope.person_id is not None or scope.has(P.MANAGE_TRANSFERS) or scope.has(P.APPROVE_TRANSFERS)


hooks.url_mounts.add(hooks.UrlMount("transfers/", "dangjian.transfers.urls", order=60))
hooks.api_routers.add(hooks.ApiRouter("dangjian.transfers.api:router", order=30))
hooks.nav_sections.add(hooks.NavSection("transfers", _("转接"), order=60))
hooks.nav.add(
    NavEntry(_("组织关系转接"), "transfers:list", "arrows", order=70, group="transfers", visible=_concerned)
)
hooks.todos.add(hooks.TodoProvider("transfers", ask=transfer_todos.ask, answer=transfer_todos.answer))
hooks.person_panels.add(
    PersonPanel("transfers", "transfers/_person_actions.html", order=10, context=person_panel)
)
hooks.person_badges.add(hooks.PersonBadges("transfers", person_badges))
hooks.tiles.add(DashboardTile("transfers.monthly", "transfers/_home_tile.html", order=30, context=home_tile))
# After dues: a 介绍信 states how far the member's dues are paid.
hooks.seeders.add(
    hooks.DemoSeeder(
        "transfers",
        lambda seed: seed_transfers(seed=seed),
        after=("dues",),
        province=lambda log: province_demo.generate(log),
    )
)
hooks.periodic.add(
    PeriodicTask(
        "graduate-keep-reminders",
        "dangjian.transfers.tasks.send_graduate_keep_reminders",
        crontab(hour=8, minute=0),
    )
)

hooks.audit_actions.add(audit_labels.ACTIONS)
