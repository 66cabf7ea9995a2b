"""统一身份认证 through local fake providers: a CAS server and an OIDC provider on 127.0.0.1, driven through
the real libraries (python-cas, mozilla-django-oidc) and our views with the Django test client."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.urls import reverse

from dangjian.accounts.models import RoleAssignment, User
from dangjian.accounts.roles import Role
from dangjian.audit.models import AuditEvent
from tests import factories as f
from tests.accounts.fake_providers import FakeCas, FakeOidc, serving

SECRET = "a-client-secret-long-enough-for-hs256-signing"


@pytest.fixture
def cas(settings) -> Iterator[FakeCas]:
    provider = FakeCas()
    with serving(provider) as base:
        settings.CAS_SERVER_URL = f"{base}/cas/"
        yield provider


@pytest.fixture
def oidc(settings) -> Iterator[FakeOidc]:
    provider = FakeOidc(client_id="dangjian", client_secret=SECRET)
    with serving(provider) as base:
        settings.OIDC_RP_CLIENT_ID = "dangjian"
        settings.OIDC_RP_CLIENT_SECRET = SECRET
        settings.OIDC_RP_SIGN_ALGO = "HS256"
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{base}/oidc/authorize"
        settings.OIDC_OP_TOKEN_ENDPOINT = f"{base}/oidc/token"
        settings.OIDC_OP_USER_ENDPOINT = f"{base}/oidc/userinfo"
        yield provider


def cas_login(client: Client, number: str):
    return client.get(reverse("accounts:cas_login"), {"ticket": f"ST-{number}"})


def oidc_login(client: Client, provider: FakeOidc, number: str):
    start = client.get(reverse("accounts:oidc_authenticate"))
    assert start.status_code == 302
    query = parse_qs(urlparse(start["Location"]).query)
    assert query["client_id"] == ["dangjian"]
    provider.nonces[f"code-{number}"] = query["nonce"][0]
    return client.get(
        reverse("accounts:oidc_callback"), {"code": f"code-{number}", "state": query["state"][0]}
    )


def logged_in_as(client: Client) -> str | None:
    response = client.get(reverse("accounts:me"))
    return response.context["user"].username if response.status_code == 200 else None


def unregistered_person(world, number: str):
    return f.person("赵统一", organization=world.cs_branch, staff_number=number)


# --- CAS ---------------------------------------------------------------------------------------------


def test_cas_login_page_button_goes_to_the_cas_server(cas, db) -> None:
    client = Client()
    page = client.get(reverse("accounts:login")).content.decode()
    assert "统一身份认证登录" in page and reverse("accounts:cas_login") in page
    response = client.get(reverse("accounts:cas_login"))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{cas.base_url}/cas/login?service=")


def test_cas_known_number_logs_in_as_that_user_without_new_roles(cas, college_organizer) -> None:
    roles_before = list(RoleAssignment.objects.values_list("user_id", "role", "organization_id"))
    client = Client()
    response = cas_login(client, "college_organizer")
    assert response.status_code == 302
    assert cas.validated == ["ST-college_organizer"]
    assert logged_in_as(client) == "college_organizer"
    assert client.session["sso_provider"] == "cas"
    assert list(RoleAssignment.objects.values_list("user_id", "role", "organization_id")) == roles_before
    event = AuditEvent.objects.get(action="accounts.sso.login")
    assert event.changes["provider"] == "cas"


def test_cas_person_without_account_gets_one_linked_and_without_roles(cas, world) -> None:
    person = unregistered_person(world, "20240001")
    client = Client()
    cas_login(client, "20240001")
    user = User.objects.get(username="20240001")
    assert user.person == person and not user.has_usable_password()
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert logged_in_as(client) == "20240001"
    assert AuditEvent.objects.filter(action="accounts.sso.user_create", changes__username="20240001").exists()


def test_cas_unknown_number_is_refused_in_chinese(cas, world) -> None:
    client = Client()
    response = cas_login(client, "99999999")
    assert response.status_code == 403
    assert "统一身份认证账号 99999999 未在本平台登记，请联系组织部" in response.content.decode()
    assert not User.objects.filter(username="99999999").exists()
    assert logged_in_as(client) is None


def test_cas_does_not_create_users_when_switched_off(cas, world, settings) -> None:
    settings.SSO_CREATE_USERS = False
    unregistered_person(world, "20240002")
    response = cas_login(Client(), "20240002")
    assert response.status_code == 403 and not User.objects.filter(username="20240002").exists()


def test_cas_inactive_user_is_refused(cas, member_user) -> None:
    member_user.is_active = False
    member_user.save()
    client = Client()
    response = cas_login(client, "member")
    assert response.status_code == 403 and "该账号已停用" in response.content.decode()
    assert logged_in_as(client) is None


def test_cas_number_may_come_from_an_attribute(cas, member_user, settings) -> None:
    settings.CAS_USERNAME_ATTRIBUTE = "employeeNumber"
    cas.attributes = {"employeeNumber": "member"}
    client = Client()
    cas_login(client, "someone-else")
    assert logged_in_as(client) == "member"


def test_cas_login_refuses_a_next_page_elsewhere(cas, db) -> None:
    response = Client().get(reverse("accounts:cas_login"), {"next": "https://evil.example/"})
    assert response.status_code == 400


def test_logout_of_a_cas_session_ends_the_cas_session_too(cas, member_user) -> None:
    client = Client()
    cas_login(client, "member")
    response = client.post(reverse("accounts:logout"))
    assert response["Location"].startswith(f"{cas.base_url}/cas/logout")
    assert logged_in_as(client) is None


def test_logout_of_a_password_session_stays_here(cas, member_user, login) -> None:
    client = login(member_user)
    client.get(reverse("accounts:cas_login"))  # already logged in: passes through, no CAS session
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")


# --- OIDC --------------------------------------------------------------------------------------------


def test_oidc_known_number_logs_in_as_that_user(oidc, school_admin) -> None:
    client = Client()
    assert "统一身份认证登录" in client.get(reverse("accounts:login")).content.decode()
    response = oidc_login(client, oidc, "school_admin")
    assert response.status_code == 302
    assert logged_in_as(client) == "school_admin"
    assert client.session["sso_provider"] == "oidc"
    assert list(RoleAssignment.objects.filter(user=school_admin).values_list("role", flat=True)) == [
        Role.SCHOOL_ADMIN
    ]
    assert AuditEvent.objects.filter(action="accounts.sso.login", changes__provider="oidc").exists()


def test_oidc_person_without_account_gets_one_without_roles(oidc, world) -> None:
    person = unregistered_person(world, "20240003")
    client = Client()
    oidc_login(client, oidc, "20240003")
    user = User.objects.get(username="20240003")
    assert user.person == person and not RoleAssignment.objects.filter(user=user).exists()
    assert logged_in_as(client) == "20240003"


def test_oidc_unknown_number_is_refused_in_chinese(oidc, world) -> None:
    client = Client()
    response = oidc_login(client, oidc, "88888888")
    assert response.status_code == 403
    assert "统一身份认证账号 88888888 未在本平台登记，请联系组织部" in response.content.decode()
    assert logged_in_as(client) is None


def test_oidc_inactive_user_is_refused(oidc, member_user) -> None:
    member_user.is_active = False
    member_user.save()
    client = Client()
    response = oidc_login(client, oidc, "member")
    assert response.status_code == 403 and logged_in_as(client) is None


def test_oidc_number_claim_is_configurable(oidc, member_user, settings) -> None:
    settings.OIDC_USERNAME_CLAIM = "employee_number"
    oidc.claim = "employee_number"
    client = Client()
    oidc_login(client, oidc, "member")
    assert logged_in_as(client) == "member"


def test_logout_of_an_oidc_session_goes_to_the_provider_when_it_has_a_logout_endpoint(
    oidc, member_user, settings
) -> None:
    settings.OIDC_OP_LOGOUT_ENDPOINT = f"{oidc.base_url}/oidc/logout"
    client = Client()
    oidc_login(client, oidc, "member")
    response = client.post(reverse("accounts:logout"))
    assert response["Location"].startswith(f"{oidc.base_url}/oidc/logout?client_id=dangjian")
    assert logged_in_as(client) is None


# --- off ---------------------------------------------------------------------------------------------


def test_with_the_settings_empty_sso_urls_answer_404_and_no_button_shows(db) -> None:
    client = Client()
    page = client.get(reverse("accounts:login")).content.decode()
    assert "统一身份认证登录" not in page
    for name in ("accounts:cas_login", "accounts:oidc_authenticate", "accounts:oidc_callback"):
        assert (
            client.get(reverse(name), {"ticket": "ST-member", "code": "x", "state": "y"}).status_code == 404
        )


def test_password_login_still_works_with_sso_on(cas, oidc, member_user) -> None:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "member", "password": "demo12345"})
    assert response.status_code == 302 and logged_in_as(client) == "member"


def test_refused_sso_logins_do_not_lock_out_the_next_person(cas, world, member_user, settings) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        cas_login(Client(), "77777777")
    client = Client()
    cas_login(client, "member")
    assert logged_in_as(client) == "member"
