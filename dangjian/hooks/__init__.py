"""Extension points: typed registries the platform reads and modules fill from their ``contributions.py``.

A module plugs into the platform from one file, ``<app>/contributions.py``, which adds to the registries
below; :func:`autodiscover` imports that file of every installed app from ``HooksConfig.ready()``.
Nothing in core, accounts, web, api, kit, hooks or config names a domain module: they read these
registries. Domain events (reactions across modules) are in :mod:`dangjian.hooks.events`.
"""

from __future__ import annotations

from django.utils.module_loading import autodiscover_modules

from dangjian.hooks.points import (
    ApiRouter,
    AuditActions,
    Badge,
    DashboardTile,
    DemoSeeder,
    EncryptedField,
    Finding,
    ImportKind,
    ImportSubject,
    Indicator,
    LastContact,
    LoginNote,
    NavEntry,
    NavSection,
    PeriodicTask,
    PersonBadges,
    PersonIndicator,
    PersonPanel,
    Reading,
    ReportSection,
    SearchHit,
    SearchProvider,
    TodoItem,
    TodoProvider,
    UrlMount,
    WarningSource,
)
from dangjian.hooks.registry import Registry

nav: Registry[NavEntry] = Registry("nav", key=lambda e: e.url_name, order=lambda e: e.order)
nav_sections: Registry[NavSection] = Registry("nav_sections", key=lambda s: s.key, order=lambda s: s.order)
todos: Registry[TodoProvider] = Registry("todos", key=lambda p: p.name)
tiles: Registry[DashboardTile] = Registry("tiles", key=lambda t: t.key, order=lambda t: t.order)
person_panels: Registry[PersonPanel] = Registry("person_panels", key=lambda p: p.key, order=lambda p: p.order)
person_badges: Registry[PersonBadges] = Registry(
    "person_badges", key=lambda b: b.key, order=lambda b: b.order
)
seeders: Registry[DemoSeeder] = Registry("seeders", key=lambda s: s.name)
periodic: Registry[PeriodicTask] = Registry("periodic", key=lambda t: t.name)
api_routers: Registry[ApiRouter] = Registry("api_routers", key=lambda r: r.router, order=lambda r: r.order)
url_mounts: Registry[UrlMount] = Registry("url_mounts", key=lambda m: m.urls, order=lambda m: m.order)
warnings: Registry[WarningSource] = Registry("warnings", key=lambda w: w.code)
indicators: Registry[Indicator] = Registry("indicators", key=lambda i: i.code, order=lambda i: i.order)
person_indicators: Registry[PersonIndicator] = Registry(
    "person_indicators", key=lambda i: i.code, order=lambda i: i.order
)
last_contacts: Registry[LastContact] = Registry("last_contacts", key=lambda c: c.key)
report_sections: Registry[ReportSection] = Registry(
    "report_sections", key=lambda s: s.key, order=lambda s: s.order
)
imports: Registry[ImportKind] = Registry("imports", key=lambda k: k.key)
search: Registry[SearchProvider] = Registry("search", key=lambda p: p.key, order=lambda p: p.order)
login_notes: Registry[LoginNote] = Registry("login_notes", key=lambda n: n.key)
encrypted_fields: Registry[EncryptedField] = Registry(
    "encrypted_fields", key=lambda e: f"{e.model}.{e.field}"
)
audit_actions: Registry[AuditActions] = Registry(
    "audit_actions", key=lambda a: a.key, order=lambda a: a.order
)

__all__ = [
    "ApiRouter",
    "AuditActions",
    "Badge",
    "DashboardTile",
    "DemoSeeder",
    "EncryptedField",
    "Finding",
    "ImportKind",
    "ImportSubject",
    "Indicator",
    "LastContact",
    "LoginNote",
    "NavEntry",
    "NavSection",
    "PeriodicTask",
    "PersonBadges",
    "PersonIndicator",
    "PersonPanel",
    "Reading",
    "ReportSection",
    "SearchHit",
    "SearchProvider",
    "TodoItem",
    "TodoProvider",
    "UrlMount",
    "WarningSource",
    "autodiscover",
]


def autodiscover() -> None:
    """Import ``contributions`` of every installed app (once; Python caches the modules)."""
    autodiscover_modules("contributions")
