"""The architecture as tests, beside the import contracts (`lint-imports` in `make test`).

Import-linter sees Python imports; these see what it cannot: template URL names and dotted paths in
strings. The platform's hub — core, accounts, audit, workbench, jobs, spreadsheets, kit, hooks, web, api
and config — names no domain module: modules plug in through ``contributions.py`` (docs/architecture.md).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
HUB = ("core", "accounts", "audit", "workbench", "jobs", "spreadsheets", "kit", "hooks", "web", "api")
DOMAIN_MODULES = sorted(
    app.split(".")[1]
    for app in settings.INSTALLED_APPS
    if app.startswith("dangjian.") and app.split(".")[1] not in HUB
)


def _hub_files() -> list[Path]:
    files = [p for name in HUB for p in (ROOT / "dangjian" / name).rglob("*") if p.is_file()]
    files += [p for p in (ROOT / "config").rglob("*.py") if p.name != "settings.py"]
    return [p for p in files if "migrations" not in p.parts and p.suffix in (".py", ".html", ".js", ".txt")]


def test_the_domain_modules_are_known() -> None:
    assert {"orglife", "dues", "recruitment", "transfers", "learning"} <= set(DOMAIN_MODULES)


def test_the_hub_names_no_domain_module() -> None:
    names = "|".join(DOMAIN_MODULES)
    named = re.compile(rf"dangjian[./]({names})\b|['\"]({names}):|['\"]({names})/")
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()[:100]}"
        for path in _hub_files()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if named.search(line)
    ]
    assert found == []


@pytest.mark.parametrize("module", DOMAIN_MODULES)
def test_each_module_plugs_in_from_contributions_and_decides_in_access(module: str) -> None:
    folder = Path(apps.get_app_config(module).path)
    assert (folder / "contributions.py").exists() and (folder / "access.py").exists()


def _source_lines(*, skip: tuple[str, ...]) -> list[tuple[str, int, str]]:
    return [
        (str(path.relative_to(ROOT)), n, line)
        for path in (ROOT / "dangjian").rglob("*.py")
        if "migrations" not in path.parts and not str(path.relative_to(ROOT)).startswith(skip)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
    ]


def test_pdfs_and_file_names_go_through_the_kit() -> None:
    """One renderer (fonts, WeasyPrint) and one Content-Disposition writer: ``kit.pdf``."""
    by_hand = [
        (path, n)
        for path, n, line in _source_lines(skip=("dangjian/kit/",))
        if "weasyprint" in line or "Content-Disposition" in line
    ]
    assert by_hand == []


def test_views_ask_the_request_for_its_scope_through_one_typed_door() -> None:
    """``accounts.requests.ScopedRequest`` / ``scope_of`` — not ``request.scope  # type: ignore`` per view."""
    untyped = [
        (path, n)
        for path, n, line in _source_lines(skip=("dangjian/accounts/",))
        if "request.scope" in line and "type: ignore" in line
    ]
    assert untyped == []
