"""The shared import page ``/imports/<name>/`` (``core:import``): the kinds of import of 组织与人员, and of
any module whose import is a list of rows checked in the importer's scope (党费基数). The pages and the
job are the one flow of ``spreadsheets``; this file only says how such a kind is declared."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import resolve_scope
from dangjian.hooks import ImportKind
from dangjian.spreadsheets.spec import ImportSpec, ScopedContext


def scoped_context(user: Any, params: dict[str, Any]) -> ScopedContext:
    """The rules' context of most imports: who imports, and the scope they act in."""
    return ScopedContext(actor=user, scope=resolve_scope(user))


def shared_page_kind(
    key: str,
    name: str,
    title: Any,
    spec: ImportSpec,
    permission: Permission,
    back_url: str,
    context: Callable[[Any, dict[str, Any]], Any] = scoped_context,
) -> ImportKind:
    """A kind of import on the shared page ``/imports/<name>/``, open to whoever holds ``permission``
    somewhere (the rows are then checked against the scope); the valid rows of a file may be imported
    alone. ``key`` is the kind of its jobs, stored on them: never renamed."""

    def may_import(request: HttpRequest) -> bool:
        return scope_of(request).has(permission)

    return ImportKind(
        key,
        title,
        spec=lambda: spec,
        context=context,
        may_import=may_import,
        template_name=f"{name}-template.xlsx",
        upload_url="core:import",
        template_url="core:import_template",
        commit_url="core:import_commit",
        name=name,
        back_url=back_url,
    )
