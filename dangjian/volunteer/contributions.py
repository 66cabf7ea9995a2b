"""How 志愿服务 plugs into the platform: its pages, the menu (in 智慧服务, declared by onestop), to-dos,
the indicator and the person indicator, the demo and the audit words."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts.roles import Permission as P
from dangjian.accounts.scope import Scope
from dangjian.hooks import NavEntry, PersonPanel
from dangjian.volunteer import audit_labels
from dangjian.volunteer.panels import hours_panel
from dangjian.volunteer.todos import volunteer_todos


def _has_person(request: HttpRequest, scope: Scope) -> bool:
    return scope.person_id is not None


def _seed(seed: int) -> dict[str, int]:
    from dangjian.volunteer.demo import seed_volunteer

    return seed_volunteer(seed=seed)


hooks.url_mounts.add(hooks.UrlMount("volunteer/", "dangjian.volunteer.urls"))
hooks.nav.add(
    NavEntry(_("志愿服务"), "volunteer:home", "flag", order=696, group="services", visible=_has_person)
)
hooks.nav.add(
    NavEntry(
        _("志愿服务管理"),
        "volunteer:manage",
        "list",
        order=697,
        group="services",
        permission=P.MANAGE_ORGLIFE,
    )
)
hooks.todos.add(hooks.TodoProvider("volunteer", ask=volunteer_todos.ask, answer=volunteer_todos.answer))
hooks.person_panels.add(
    PersonPanel(
        "volunteer", "volunteer/_person_hours.html", order=65, context=hours_panel, slot="cards", lazy=True
    )
)
hooks.seeders.add(hooks.DemoSeeder("volunteer", _seed, after=("orglife",)))
hooks.audit_actions.add(audit_labels.ACTIONS)


def _contribute_indicators() -> None:
    from dangjian.volunteer.indicators import INDICATORS, PERSON_INDICATORS

    for indicator in INDICATORS:
        hooks.indicators.add(indicator)
    for person_indicator in PERSON_INDICATORS:
        hooks.person_indicators.add(person_indicator)


_contribute_indicators()
