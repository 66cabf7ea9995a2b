from __future__ import annotations

from unittest import mock

from django.test import Client


def test_healthz_reports_ok(db) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert set(body) == {"status", "database", "cache", "broker"}


def test_healthz_is_503_when_the_database_is_down(db) -> None:
    with mock.patch("dangjian.web.views.database_status", return_value="down"):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_settings_refuse_to_start_without_keys_when_debug_is_off() -> None:
    import subprocess
    import sys

    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "",
        "FIELD_ENCRYPTION_KEY": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=".",
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "FIELD_ENCRYPTION_KEY" in result.stderr


def test_nul_characters_are_refused_with_400(world, login, school_admin) -> None:
    client = login(school_admin)
    assert client.get("/people/", {"q": "a\x00b"}).status_code == 400
    response = client.get("/api/v1/people", {"political_status": "\x00"})
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    body = '{"name": "x\\u0000"}'
    assert (
        client.patch(f"/api/v1/people/{world.member.pk}", body, content_type="application/json").status_code
        == 400
    )


def test_healthz_is_200_degraded_when_the_broker_is_down(db) -> None:
    # The site serves; jobs wait in the database and are enqueued again once the broker is back.
    with mock.patch("dangjian.web.views.broker_status", return_value="down"):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded" and response.json()["broker"] == "down"
