"""The Content-Security-Policy allows no inline script: no template may need one, and pages say so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

import dangjian

TEMPLATES = sorted(Path(dangjian.__file__).parent.glob("*/templates/**/*.html"))
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)


def inline_scripts(html: str) -> list[str]:
    """Script tags that would run inline code: neither a src nor a JSON data block."""
    return [
        attrs
        for attrs in SCRIPT_TAG.findall(html)
        if "src=" not in attrs and 'type="application/json"' not in attrs
    ]


def test_the_templates_are_found() -> None:
    assert len(TEMPLATES) > 50 and any(p.name == "base.html" for p in TEMPLATES)


@pytest.mark.parametrize(
    "template", TEMPLATES, ids=lambda p: str(p.relative_to(Path(dangjian.__file__).parent))
)
def test_no_template_holds_inline_script_or_event_handlers(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    assert inline_scripts(text) == []
    assert HANDLER.findall(text) == []
    assert "hx-on" not in text  # htmx would need eval for it
    assert "javascript:" not in text


def test_the_scan_finds_what_it_looks_for() -> None:
    page = '<script>alert(1)</script><button onclick="x()"><script type="application/json">{}</script>'
    assert inline_scripts(page) == [""]
    assert HANDLER.findall(page) == [' onclick="']
    assert inline_scripts('<script src="/static/web/app.js" defer></script>') == []


def test_every_page_carries_the_policy_and_the_other_headers(client, db) -> None:
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_the_policy_can_report_only(client, db, settings) -> None:
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = True
    response = client.get(reverse("accounts:login"))
    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]


def test_htmx_is_told_never_to_eval_nor_inject_styles(client, db) -> None:
    page = client.get(reverse("accounts:login")).content.decode()
    assert (
        '<meta name="htmx-config" content=\'{"allowEval": false, "includeIndicatorStyles": false}\'>' in page
    )
    assert "web/app.js" in page


@pytest.mark.parametrize(
    "name",
    [
        "web:home",
        "core:org_tree",
        "core:person_list",
        "core:rule_checks",
        "orglife:calendar",
        "orglife:plans",
        "workbench:notifications",
        "accounts:me",
    ],
)
def test_main_pages_render_without_inline_script(name, login, college_organizer) -> None:
    response = login(college_organizer).get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert inline_scripts(html) == []
    assert HANDLER.findall(html) == []


def test_the_charts_read_their_data_from_json_blocks(login, school_admin) -> None:
    html = login(school_admin).get(reverse("web:home")).content.decode()
    assert '<script id="chart-status-data" type="application/json">' in html
    assert 'data-chart-data="chart-status-data"' in html
    assert inline_scripts(html) == []
