"""How the 书记信箱 plugs into the platform: pages (signed in, and the public letter and tracking pages),
the API, the menu (in 智慧服务 and 我的), the to-dos, the overdue warning, the nightly close, the demo and
the audit words."""

from celery.schedules import crontab
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts.roles import Permission as P
from dangjian.accounts.scope import Scope
from dangjian.hooks import NavEntry
from dangjian.mailbox import audit_labels, warning_sources
from dangjian.mailbox.todos import mailbox_todos


def _has_person(request: HttpRequest, scope: Scope) -> bool:
    return scope.person_id is not None


def _seed(seed: int) -> dict[str, int]:
    from dangjian.mailbox.demo import seed_mailbox

    return seed_mailbox(seed=seed)


hooks.url_mounts.add(hooks.UrlMount("mailbox/", "dangjian.mailbox.urls"))
hooks.url_mounts.add(hooks.UrlMount("mailbox/", "dangjian.mailbox.urls_public"))
hooks.api_routers.add(hooks.ApiRouter("dangjian.mailbox.api:router", order=76))
# The "services" section (智慧服务) is onestop's: the 书记信箱 joins it, declaring no section of its own.
hooks.nav.add(
    NavEntry(
        _("书记信箱"), "mailbox:inbox", "mail", order=695, group="services", permission=P.HANDLE_REQUESTS
    )
)
hooks.nav.add(NavEntry(_("我的来信"), "mailbox:mine", "mail", order=158, group="mine", visible=_has_person))
hooks.todos.add(hooks.TodoProvider("mailbox", ask=mailbox_todos.ask, answer=mailbox_todos.answer))
hooks.periodic.add(
    hooks.PeriodicTask(
        "mailbox-auto-close", "dangjian.mailbox.tasks.auto_close_letters", crontab(hour=1, minute=40)
    )
)
hooks.warnings.add(
    hooks.WarningSource(
        warning_sources.CODE,
        _("书记信箱来信超期未答复"),
        count=lambda scope: warning_sources.overdue_count(scope, timezone.localdate()),
        url_name="mailbox:inbox",
        permission=P.HANDLE_REQUESTS,
        findings=warning_sources.overdue_findings,
    )
)
hooks.seeders.add(hooks.DemoSeeder("mailbox", _seed))
hooks.audit_actions.add(audit_labels.ACTIONS)
hooks.encrypted_fields.add(hooks.EncryptedField("mailbox.Letter", "contact_encrypted"))
