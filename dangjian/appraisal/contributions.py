"""How 民主评议党员 plugs into the platform: pages, navigation, to-dos, the person page, demo, audit words."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts.roles import Permission as P
from dangjian.accounts.scope import Scope
from dangjian.appraisal import audit_labels
from dangjian.appraisal.demo import seed_appraisal
from dangjian.appraisal.panels import grades_panel
from dangjian.appraisal.todos import appraisal_todos
from dangjian.hooks import NavEntry, PersonPanel


def _has_person(request: HttpRequest, scope: Scope) -> bool:
    return scope.person_id is not None


hooks.url_mounts.add(hooks.UrlMount("appraisal/", "dangjian.appraisal.urls"))
# The section is shared with 评价与预警 (insights), which declares the same key and label.
# The menu section "insights" (评价与预警) is declared by dangjian.insights.
hooks.nav.add(
    NavEntry(
        _("民主评议"), "appraisal:rounds", "list", order=610, group="insights", permission=P.MANAGE_APPRAISAL
    )
)
hooks.nav.add(
    NavEntry(_("我的民主评议"), "appraisal:mine", "list", order=155, group="mine", visible=_has_person)
)
hooks.todos.add(hooks.TodoProvider("appraisal", ask=appraisal_todos.ask, answer=appraisal_todos.answer))
hooks.person_panels.add(
    PersonPanel(
        "appraisal", "appraisal/_person_grades.html", order=60, context=grades_panel, slot="cards", lazy=True
    )
)
hooks.seeders.add(
    hooks.DemoSeeder("appraisal", lambda seed: seed_appraisal(seed=seed), after=("orglife", "learning"))
)
hooks.audit_actions.add(audit_labels.ACTIONS)
