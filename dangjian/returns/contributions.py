"""How 数据报送 plugs into the platform: pages, API, navigation, to-dos, audit labels, demo."""

from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts.roles import Permission as P
from dangjian.hooks import NavEntry
from dangjian.returns import access, audit_labels  # noqa: F401  (link rules register on import)
from dangjian.returns.demo import seed_annual, seed_returns
from dangjian.returns.todos import returns_todos

hooks.url_mounts.add(hooks.UrlMount("returns/", "dangjian.returns.urls", order=110))
hooks.api_routers.add(hooks.ApiRouter("dangjian.returns.api:router", prefix="/returns", order=60))
hooks.nav.add(
    NavEntry(_("数据报送"), "returns:list", "list", order=210, group="stats", permission=P.FILL_RETURNS)
)
hooks.todos.add(hooks.TodoProvider("returns", ask=returns_todos.ask, answer=returns_todos.answer))
# After the orglife seeders, the last of the demo: a table half collected from the first college's branches.
hooks.seeders.add(
    hooks.DemoSeeder(
        "returns", lambda seed: {**seed_returns(seed=seed), **seed_annual()}, after=("reporting",)
    )
)
hooks.audit_actions.add(audit_labels.ACTIONS)
