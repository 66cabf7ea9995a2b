"""The platform's extension points: what a module may contribute, one frozen dataclass each.

Each point has exactly one consumer, named in its docstring. Hooks sit below every app, so the types
of the platform (``Scope``, ``Person``, ``Permission``) appear here as ``Any``; the consumers pass the
real objects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

Scope = Any  # dangjian.accounts.scope.Scope
Context = dict[str, Any]


@dataclass(frozen=True)
class NavEntry:
    """One entry of the left navigation (consumer: ``web.navigation``).

    Shown when the scope holds ``permission`` (if given) and ``visible(request, scope)`` (if given)
    says yes; with neither, shown to everyone signed in. ``group`` lets the menu be grouped: "work"
    (the organizers' daily pages), "mine" (the person's own), "admin".
    """

    label: Any  # a lazy translation
    url_name: str
    icon: str
    order: int
    group: str = "work"
    permission: Any = None  # dangjian.accounts.roles.Permission
    visible: Callable[[HttpRequest, Scope], bool] | None = None


@dataclass(frozen=True)
class TodoItem:
    source: str  # the app, e.g. "core"
    title: str
    link: str
    severity: str = "info"  # "info" | "warning" | "danger"
    count: int = 1
    due: Any = None


@dataclass(frozen=True)
class TodoProvider:
    """The user's open items from one area (consumer: ``workbench.todos.todos_for``)."""

    name: str
    items: Callable[[Any, Scope], list[TodoItem]]


@dataclass(frozen=True)
class DashboardTile:
    """A card on the 工作台 (consumer: ``web.views.home``); ``context`` returns None to hide it."""

    key: str
    template: str
    order: int
    context: Callable[[HttpRequest, Scope], Context | None]
    charts: bool = False  # the tile draws an ECharts chart: the page loads the library


@dataclass(frozen=True)
class PersonPanel:
    """A piece of the person page (consumer: ``core.views_people.person_detail``).

    ``slot`` "actions" renders in the header's button row, "cards" as a card below the person's data;
    ``context(request, scope, person)`` returns None to draw nothing.
    """

    key: str
    template: str
    order: int
    context: Callable[[HttpRequest, Scope, Any], Context | None]
    slot: str = "actions"


@dataclass(frozen=True)
class Badge:
    label: str
    color: str = "warning"  # a Tabler colour name


@dataclass(frozen=True)
class PersonBadges:
    """Badges beside names in the people list (consumer: ``core.views_people.person_list_view``).

    ``badges(person_ids)`` answers for one page of people in one query.
    """

    key: str
    badges: Callable[[list[int]], dict[int, Badge]]
    order: int = 50


@dataclass(frozen=True)
class DemoSeeder:
    """Demo data of one module (consumer: ``manage.py seed_demo``), run after the seeders in ``after``.

    The organizations and people of the demo university ("core") always come first.
    """

    name: str
    seed: Callable[[int], dict[str, int]]
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class PeriodicTask:
    """A Celery beat entry (consumer: ``config.celery``): ``task`` is the task's dotted name."""

    name: str
    task: str
    schedule: Any  # celery.schedules.crontab or seconds


@dataclass(frozen=True)
class ApiRouter:
    """A django-ninja router (consumer: ``api.root``): ``router`` is "dotted.module:attribute"."""

    router: str
    prefix: str = "/"
    order: int = 50


@dataclass(frozen=True)
class UrlMount:
    """A module's pages under ``prefix`` (consumer: ``config.urls``): ``urls`` is its urls module."""

    prefix: str
    urls: str
    order: int = 50


@dataclass(frozen=True)
class WarningSource:
    """Something that needs attention, counted in a scope (consumer: the 预警 centre of "insights").

    ``count(scope)`` is one query; ``url_name`` is the page that lists the cases.
    """

    code: str
    label: Any
    count: Callable[[Scope], int]
    url_name: str
    severity: str = "warning"
    permission: Any = None
    tags: tuple[str, ...] = field(default_factory=tuple)
