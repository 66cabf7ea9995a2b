"""Campus 统一身份认证: who a CAS or OIDC login is here, one rule for both providers.

The provider vouches for a staff/student number. It maps to the account with that username; or, when
SSO_CREATE_USERS is on and a person with that 工号/学号 is on record, to a new account linked to that
person. A login never grants, changes or removes roles: roles are only ever granted inside the platform.
Both features are off while their setting is empty; the URLs and backends stay installed and answer
404 / None, so that turning one on is a settings change only.
"""

from __future__ import annotations

from typing import Literal

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.models import User
from dangjian.core.models import Person
from dangjian.kit.errors import DomainError

Provider = Literal["cas", "oidc"]
# The session remembers where the login came from, for single logout.
SESSION_KEY = "sso_provider"
# Where a backend leaves the refusal for the view that draws the login page.
REFUSAL_ATTR = "sso_refusal"


class SsoRefused(DomainError):
    code = "sso_refused"
    status = 403


def cas_on() -> bool:
    return bool(settings.CAS_SERVER_URL)


def oidc_on() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def sso_user_for(*, number: str, provider: Provider) -> User:
    """The account a provider's staff/student number logs in as; raises SsoRefused with a message."""
    number = (number or "").strip()
    if not number:
        raise SsoRefused(_("统一身份认证未返回工号/学号，请联系组织部。"))
    with transaction.atomic():
        user = User.objects.select_related("person").filter(username=number).first()
        if user is None:
            user = _user_create(number=number, provider=provider)
        if not user.is_active:
            raise SsoRefused(_("该账号已停用，请联系组织部。"))
        audit.record(actor=user, action="accounts.sso.login", target=user, changes={"provider": provider})
    return user


def _user_create(*, number: str, provider: Provider) -> User:
    person = Person.objects.filter(staff_number=number).first() if settings.SSO_CREATE_USERS else None
    if person is None or User.objects.filter(person=person).exists():
        raise SsoRefused(_("统一身份认证账号 %(n)s 未在本平台登记，请联系组织部。") % {"n": number})
    user = User(username=number, person=person, first_name=person.name[:150])
    user.set_unusable_password()  # signs in through the provider; a local password only if one is set
    user.save()
    audit.record(
        actor=user,
        action="accounts.sso.user_create",
        target=user,
        changes={"provider": provider, "username": number},
    )
    return user


def refuse(request: HttpRequest | None, error: SsoRefused) -> None:
    """Leave the refusal on the request: Django's authenticate() only hears None from a backend."""
    if request is not None:
        setattr(request, REFUSAL_ATTR, error.message)


def refusal_of(request: HttpRequest) -> str:
    return getattr(request, REFUSAL_ATTR, "") or _("统一身份认证登录失败，请重试或使用账号密码登录。")
