"""How 智慧服务 plugs into the platform: pages (signed in and the public verification), the API, the
menu, to-dos, demo, audit words."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts.roles import Permission as P
from dangjian.accounts.scope import Scope
from dangjian.hooks import NavEntry, NavSection
from dangjian.onestop import audit_labels
from dangjian.onestop.demo import seed_onestop
from dangjian.onestop.todos import onestop_todos


def _has_person(request: HttpRequest, scope: Scope) -> bool:
    return scope.person_id is not None


hooks.url_mounts.add(hooks.UrlMount("services/", "dangjian.onestop.urls"))
hooks.url_mounts.add(hooks.UrlMount("proofs/", "dangjian.onestop.urls_public"))
hooks.api_routers.add(hooks.ApiRouter("dangjian.onestop.api:router", order=75))
hooks.nav_sections.add(NavSection("services", _("智慧服务"), order=69))
hooks.nav.add(
    NavEntry(
        _("服务申请办理"),
        "onestop:handle",
        "check",
        order=680,
        group="services",
        permission=P.HANDLE_REQUESTS,
    )
)
hooks.nav.add(NavEntry(_("我的服务"), "onestop:mine", "list", order=157, group="mine", visible=_has_person))
hooks.todos.add(hooks.TodoProvider("onestop", ask=onestop_todos.ask, answer=onestop_todos.answer))
hooks.seeders.add(hooks.DemoSeeder("onestop", lambda seed: seed_onestop(seed=seed), after=()))
hooks.audit_actions.add(audit_labels.ACTIONS)
