"""Everything the dummy module contributes; it is also its own urls module and API router module."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from ninja import Router

from dangjian import hooks
from dangjian.hooks import DashboardTile, NavEntry, PeriodicTask, PersonPanel
from dangjian.kit.access_rules import access_rule, signed_in


def _on(*_args: Any) -> bool:
    return bool(getattr(settings, "DUMMY_MODULE_ON", False))


@access_rule(signed_in())
@login_required
def page(request: HttpRequest) -> HttpResponse:
    return render(request, "dummy_module/page.html", {"title": "Dummy"})


app_name = "dummy_module"
urlpatterns = [path("", page, name="page")]

router = Router(tags=["dummy"])


@access_rule(signed_in())
@router.get("/dummy/ping", response=dict[str, str])
def ping(request: HttpRequest) -> dict[str, str]:
    return {"pong": "dummy"}


def _todos(user: Any, scope: Any) -> list[hooks.TodoItem]:
    return [hooks.TodoItem("dummy", "Dummy to-do", "/dummy/", "danger")] if _on() else []


def _tile(request: HttpRequest, scope: Any) -> dict[str, Any] | None:
    return {"words": "Dummy tile"} if _on() else None


def _panel(request: HttpRequest, scope: Any, person: Any) -> dict[str, Any] | None:
    return {"name": person.name} if _on() else None


def _badges(person_ids: list[int]) -> dict[int, hooks.Badge]:
    return dict.fromkeys(person_ids, hooks.Badge("Dummy badge", "green")) if _on() else {}


def _last_dates() -> list[tuple[int, Any]]:
    from datetime import date

    from dangjian.core.models import Membership

    ids = Membership.objects.values_list("person_id", flat=True) if _on() else []
    return [(pk, date(2000, 1, 1)) for pk in ids]


def _seed(seed: int) -> dict[str, int]:
    return {"dummy things": seed} if _on() else {}


hooks.url_mounts.add(hooks.UrlMount("dummy/", "tests.hooks.dummy_module.contributions", order=99))
hooks.api_routers.add(hooks.ApiRouter("tests.hooks.dummy_module.contributions:router", order=99))
hooks.nav.add(NavEntry("Dummy", "dummy_module:page", "star", order=145, visible=_on))
hooks.todos.add(hooks.TodoProvider("dummy", _todos))
hooks.tiles.add(DashboardTile("dummy", "dummy_module/_tile.html", order=99, context=_tile))
hooks.person_panels.add(PersonPanel("dummy", "dummy_module/_panel.html", order=99, context=_panel))
hooks.person_panels.add(
    PersonPanel("dummy.card", "dummy_module/_card.html", order=99, context=_panel, slot="cards")
)
hooks.person_badges.add(hooks.PersonBadges("dummy", _badges))
hooks.seeders.add(hooks.DemoSeeder("dummy", _seed, after=("dues",)))
hooks.periodic.add(PeriodicTask("dummy-nightly", "tests.hooks.dummy_module.nightly", crontab(hour=3)))
hooks.warnings.add(
    hooks.WarningSource("dummy.things", "Dummy things", count=lambda scope: 0, url_name="dummy_module:page")
)
hooks.last_contacts.add(hooks.LastContact("dummy", "Dummy contact", _last_dates))
