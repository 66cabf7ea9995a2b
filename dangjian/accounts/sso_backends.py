"""The CAS and OIDC authentication backends: each checks its provider's answer with the library, then
asks ``sso.sso_user_for`` who that is. Off (answering None) while their setting is empty."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest
from django_cas_ng.backends import CASBackend
from django_cas_ng.utils import get_cas_client
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from dangjian.accounts import sso
from dangjian.accounts.models import User


class CasBackend(CASBackend):
    """Verifies the CAS ticket (python-cas through django-cas-ng); the rest of the parent — creating
    users, mapping affiliations to groups or staff flags — is deliberately not used."""

    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, ticket: str, service: str
    ) -> User | None:
        if not sso.cas_on():
            return None
        client = get_cas_client(service_url=service, request=request)
        username, attributes, _pgtiou = client.verify_ticket(ticket)
        if settings.CAS_USERNAME_ATTRIBUTE != "cas:user":
            username = (attributes or {}).get(settings.CAS_USERNAME_ATTRIBUTE)
        if not username:
            return None
        try:
            return sso.sso_user_for(number=str(username), provider="cas")
        except sso.SsoRefused as error:
            sso.refuse(request, error)
            return None


class OidcBackend(OIDCAuthenticationBackend):
    """The authorization-code flow of mozilla-django-oidc; users are found and made by our mapping."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if sso.oidc_on():
            super().__init__(*args, **kwargs)
        else:  # the parent insists on endpoints and keys that an unused provider does not have
            self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if not sso.oidc_on():
            return None
        try:
            return super().authenticate(request, **kwargs)
        except sso.SsoRefused as error:
            sso.refuse(request, error)
            return None

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get(settings.OIDC_USERNAME_CLAIM))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        user = sso.sso_user_for(number=str(claims[settings.OIDC_USERNAME_CLAIM]), provider="oidc")
        return User.objects.filter(pk=user.pk)

    def create_user(self, claims: dict[str, Any]) -> User:
        # Not reached (filter_users_by_claims maps or refuses), kept on the same rule for safety.
        return sso.sso_user_for(number=str(claims[settings.OIDC_USERNAME_CLAIM]), provider="oidc")

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        return user  # the provider never changes the account, and never its roles
