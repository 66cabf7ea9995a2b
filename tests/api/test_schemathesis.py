"""Schemathesis against our own OpenAPI schema: whatever it sends, the API never answers 5xx, and every
response matches the documented status codes' shape where one is declared."""

from __future__ import annotations

import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from dangjian.accounts.services import api_token_create


def _schema() -> schemathesis.schemas.BaseSchema:
    from config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


schema = _schema()


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_never_fails_with_a_server_error(case, world, school_admin) -> None:
    _token, raw = api_token_create(user=school_admin)
    # A WSGI request starts and ends by closing old database connections, which would close the test's
    # connection (and its transaction) on PostgreSQL; Django's own test client disconnects the same handler.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        response = case.call(headers={"Authorization": f"Bearer {raw}"})
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    assert response.status_code < 500, (
        case.method,
        case.formatted_path,
        response.status_code,
        response.text[:300],
    )
