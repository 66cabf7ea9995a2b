"""The access matrix: every URL pattern (web and API) asked by every persona, against its declaration.

``walk()`` lists the URLs with their declared rules; ``expected()`` turns a rule into a persona's
outcome; ``observe()`` asks the site. The test (test_matrix.py) compares the two.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dangjian.accounts.models import User
from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.api.root import api
from dangjian.kit.access_rules import (
    Kind,
    Outcome,
    Persona,
    Rule,
    declared_url_rule,
    rule_of,
)

CSRF_SECRET = "a" * 32


@dataclass
class Target:
    name: str  # "namespace:url_name"
    keywords: list[str]
    rule: Rule | None
    methods: tuple[str, ...]  # which methods to try
    csrf_exempt: bool
    api_path: str = ""  # for API operations: the path with {placeholders}


def _walk(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            yield from _walk(pattern, f"{namespace}:{ns}".strip(":") if ns else namespace)
        else:
            yield namespace, pattern


def _is_ninja_operation(callback: Callable[..., Any]) -> bool:
    return "PathView.get_view" in getattr(callback, "__qualname__", "")


def walk() -> list[Target]:
    targets: list[Target] = []
    for namespace, pattern in _walk(get_resolver()):
        callback = pattern.callback
        if _is_ninja_operation(callback):
            continue  # the API's operations are listed one by one below
        name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
        rule = declared_url_rule(name) or rule_of(callback)
        keywords = list(pattern.pattern.regex.groupindex)
        targets.append(
            Target(
                name=name,
                keywords=keywords,
                rule=rule,
                methods=("GET", "POST"),
                csrf_exempt=bool(getattr(callback, "csrf_exempt", False)),
            )
        )
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                full = (prefix + path).replace("//", "/")
                targets.append(
                    Target(
                        name=f"api:{getattr(operation, 'url_name', None) or operation.view_func.__name__}",
                        keywords=re.findall(r"{(?:\w+:)?(\w+)}", full),
                        rule=rule_of(operation.view_func),
                        methods=tuple(m for m in operation.methods if m != "OPTIONS"),
                        # no session means no CSRF: an operation open without auth (the token login)
                        csrf_exempt=bool(operation.csrf_exempt or not operation.auth_callbacks),
                        api_path=full,
                    )
                )
    return targets


@dataclass(frozen=True)
class Asked:
    """What the request was about: the sample's organization and owner, and the method."""

    org_path: str
    owner: str
    method: str


def expected(rule: Rule, persona: Persona, scope: Scope | None, has_person: bool, asked: Asked) -> Outcome:
    for key in (f"{persona.value}:{asked.method}", persona.value):
        if key in rule.overrides:
            return rule.overrides[key]
    if rule.kind is Kind.PUBLIC:
        return Outcome.ALLOWED
    if rule.kind is Kind.NOWHERE:
        return Outcome.NOT_FOUND
    if rule.kind is Kind.PROOF:
        return Outcome.FORBIDDEN
    if scope is None:
        return Outcome.LOGIN
    if rule.kind is Kind.SIGNING_OUT:
        return Outcome.LOGIN
    if rule.kind is Kind.OWN:
        return Outcome.ALLOWED if persona.value == asked.owner else Outcome.NOT_FOUND
    if rule.kind is Kind.SIGNED_IN:
        return Outcome.ALLOWED
    if rule.kind is Kind.PERSON:
        return Outcome.ALLOWED if has_person else Outcome.NOT_FOUND
    if rule.kind is Kind.ADMIN_SITE:
        return Outcome.ALLOWED if persona is Persona.SYSTEM_ADMIN else Outcome.LOGIN
    assert rule.permission is not None
    if rule.kind is Kind.ANYWHERE:
        return Outcome.ALLOWED if scope.has(rule.permission) else Outcome.NOT_FOUND
    return Outcome.ALLOWED if scope.covers(rule.permission, asked.org_path) else Outcome.NOT_FOUND


def acceptable(rule: Rule, want: Outcome, persona: Persona) -> set[str]:
    """The answers that fulfil ``want``: inside the admin site, the system administrator meets Django's
    own answers — 403 for models the account has no Django permission on, 404 for a missing object."""
    if rule.kind is Kind.ADMIN_SITE and persona is Persona.SYSTEM_ADMIN:
        return {Outcome.ALLOWED.value, Outcome.FORBIDDEN.value, Outcome.NOT_FOUND.value}
    return {want.value}


_LOGIN_PATHS = ("/accounts/login/", "/sysadmin/login/")


def classify(response: HttpResponse) -> str:
    status = response.status_code
    if status == 405:
        return "skip"
    if status in (301, 302, 303, 307) and response.get("Location", "").split("?")[0].endswith(_LOGIN_PATHS):
        return Outcome.LOGIN.value
    if status == 401:
        return Outcome.LOGIN.value
    if status == 404:
        return Outcome.NOT_FOUND.value
    if status == 403:
        return Outcome.FORBIDDEN.value
    if status >= 500:
        return f"error {status}"
    return Outcome.ALLOWED.value


@dataclass
class PersonaClient:
    persona: Persona
    client: Client
    scope: Scope | None
    has_person: bool
    user: User | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def persona_clients() -> list[PersonaClient]:
    clients = []
    for persona in Persona:
        client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
        if persona is Persona.ANONYMOUS:
            clients.append(PersonaClient(persona, client, None, False))
            continue
        user = User.objects.get(username=persona.value)
        client.force_login(user)
        clients.append(PersonaClient(persona, client, resolve_scope(user), user.person_id is not None, user))
    return clients


def url_for(target: Target, kwargs: dict[str, Any]) -> str:
    if target.api_path:
        path = target.api_path
        for key, value in kwargs.items():
            path = re.sub(r"{(?:\w+:)?" + key + "}", str(value), path)
        return "/api/v1/" + path.lstrip("/")
    return reverse(target.name, kwargs=kwargs)


def observe(
    pc: PersonaClient,
    method: str,
    url: str,
    body: dict[str, Any] | None,
    csrf: bool,
    form: dict[str, Any] | None = None,
) -> str:
    """One request, rolled back afterwards so no persona's action changes what the next one sees."""
    headers = {"HTTP_X_CSRFTOKEN": CSRF_SECRET} if csrf else {}
    session = pc.client.cookies.get(settings.SESSION_COOKIE_NAME)
    with transaction.atomic():
        if method == "GET":
            response = pc.client.get(url)
        elif body is not None and any(hasattr(v, "read") for v in body.values()):
            for value in body.values():
                if hasattr(value, "seek"):
                    value.seek(0)
            response = pc.client.post(url, data=body, **headers)  # multipart: a file goes with it
        elif body is not None:
            response = pc.client.generic(
                method, url, data=_json(body), content_type="application/json", **headers
            )
        else:
            response = pc.client.generic(
                method,
                url,
                data=urlencode(form or {}),
                content_type="application/x-www-form-urlencoded",
                **headers,
            )
        transaction.set_rollback(True)
    if session is not None:  # a logout (rolled back) must not sign the persona out for the next URL
        pc.client.cookies[settings.SESSION_COOKIE_NAME] = session.value
    pc.client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    pc.extra["content"] = b"" if getattr(response, "streaming", False) else response.content
    return classify(response)


def _json(body: dict[str, Any]) -> str:
    import json

    return json.dumps(body, ensure_ascii=False)
