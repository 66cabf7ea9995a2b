"""With DEBUG off the errors are Chinese pages, never Django's technical page; the API stays JSON."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.urls("tests.web.error_urls")


@pytest.fixture
def client(settings) -> Client:
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_an_unknown_url_answers_the_chinese_404_page(client, db) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "返回工作台" in page
    assert "Page not found" not in page and "URLconf" not in page


def test_a_failing_view_answers_the_chinese_500_page(client, db) -> None:
    response = client.get("/test-broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器出错了" in page
    assert "Traceback" not in page and "boom" not in page and "RuntimeError" not in page


def test_a_refusal_answers_the_chinese_403_page(client, db) -> None:
    response = client.get("/test-refused/")
    assert response.status_code == 403 and "无权访问" in response.content.decode()


def test_a_stale_form_answers_the_chinese_csrf_page(db) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期，请刷新后重试" in page and "CSRF" not in page


def test_the_api_answers_errors_as_json(client, db) -> None:
    missing = client.get("/api/v1/no-such-endpoint")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    broken = client.get("/api/test-broken/")
    assert broken.status_code == 500
    assert broken.json() == {"code": "server_error", "message": "服务器出错了，请稍后重试。", "fields": {}}


def test_the_500_page_renders_without_a_request_or_database() -> None:
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "服务器出错了" in html and "tabler.min.css" in html
