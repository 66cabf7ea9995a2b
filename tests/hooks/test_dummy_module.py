"""A module that has only ``contributions.py`` (and its templates) appears everywhere a module appears:
navigation, to-dos, 工作台, person page and list, demo seeding, beat schedule, API and URLs, warnings,
last contacts."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from config.celery import beat_schedule
from dangjian import hooks

pytestmark = pytest.mark.usefixtures("dummy_on")


@pytest.fixture
def dummy_on(settings) -> None:
    settings.DUMMY_MODULE_ON = True


def test_its_page_is_mounted_and_in_the_navigation(login, member_user) -> None:
    client = login(member_user)
    page = client.get(reverse("dummy_module:page"))
    assert page.status_code == 200 and "Dummy page" in page.content.decode()
    home = client.get(reverse("web:home")).content.decode()
    assert 'href="/dummy/"' in home and ">Dummy<" in home.replace(" ", "").replace("\n", "")


def test_its_to_dos_and_tile_are_on_the_home_page(login, member_user) -> None:
    home = login(member_user).get(reverse("web:home")).content.decode()
    assert "Dummy to-do" in home and "Dummy tile" in home


def test_its_panels_are_on_the_person_page_and_its_badge_in_the_list(login, school_admin, world) -> None:
    client = login(school_admin)
    detail = client.get(reverse("core:person_detail", args=[world.member.pk])).content.decode()
    assert (
        f"Dummy action for {world.member.name}" in detail and f"Dummy card for {world.member.name}" in detail
    )
    assert "Dummy badge" in client.get(reverse("core:person_list")).content.decode()


def test_its_router_is_in_the_api(login, member_user) -> None:
    client = login(member_user)
    assert client.get("/api/v1/dummy/ping").json() == {"pong": "dummy"}
    assert "/api/v1/dummy/ping" in client.get("/api/v1/openapi.json").json()["paths"]


def test_its_periodic_task_is_in_the_beat_schedule() -> None:
    assert beat_schedule()["dummy-nightly"]["task"] == "tests.hooks.dummy_module.nightly"


def test_its_warning_source_is_registered() -> None:
    assert "dummy.things" in hooks.warnings


def test_its_last_contact_dates_are_read_by_the_platform(world, settings) -> None:
    contact = hooks.last_contacts.get("dummy")
    assert (world.member.pk, date(2000, 1, 1)) in list(contact.last_dates())
    settings.DUMMY_MODULE_ON = False
    assert list(contact.last_dates()) == []


def test_its_demo_seeder_runs_with_the_demo(db, capsys) -> None:
    call_command("seed_demo", size="small", seed=7)
    assert "dummy things 7" in capsys.readouterr().out


def test_nothing_of_it_shows_when_it_has_nothing_to_show(settings, login, member_user) -> None:
    settings.DUMMY_MODULE_ON = False
    home = login(member_user).get(reverse("web:home")).content.decode()
    assert "Dummy" not in home
