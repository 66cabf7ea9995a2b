"""The ledger pages: an organization's members against their targets (rolled up by the organizations
under it, listed one by one, Excel), a person's rows, 专题培训 recorded in the browser; outsiders 404;
the page's queries do not grow with the members."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from dangjian.learning.models import StudyHours, StudyYear, TopicTraining
from tests import factories as f

pytestmark = pytest.mark.django_db
NOW = "2026-07-02 12:00+08:00"  # day 183: the member's line is 16.0, the cadre's 28.0


def _hours(person, hours: str, ref: str) -> None:
    StudyHours.objects.create(
        person=person, on=date(2026, 3, 1), hours=Decimal(hours), source_kind="topic", source_ref=ref
    )
    StudyYear.objects.update_or_create(person=person, year=2026, defaults={"hours": Decimal(hours)})


@time_machine.travel(NOW, tick=False)
def test_the_college_sees_its_branches_rolled_up(world, college_organizer, login) -> None:
    _hours(world.member, "32", "a")  # met
    _hours(world.secretary, "30", "b")  # a secretary: 56 a year, 28.0 by now: on pace
    page = login(college_organizer).get(reverse("learning:ledger", args=[world.cs.pk])).content.decode()
    assert "计算机学院教工第一党支部" in page
    branch = (
        login(college_organizer)
        .get(reverse("learning:ledger", args=[world.cs_branch.pk]) + "?show=behind")
        .content.decode()
    )
    assert "张伟" in branch and "李晓红" not in branch and "王建国" not in branch


@time_machine.travel(NOW, tick=False)
def test_the_rollup_counts_met_and_behind(world) -> None:
    from dangjian.learning.ledger.selectors import Targets, children_rollup

    _hours(world.member, "32", "a")
    _hours(world.secretary, "30", "b")
    whole, lines = children_rollup(world.cs, Targets.of(2026, date(2026, 7, 2)))
    branch = next(r for r in lines if r.org == world.cs_branch)
    assert (branch.members, branch.met, branch.behind, branch.hours) == (3, 1, 1, Decimal("62"))
    assert (whole.members, whole.met, whole.behind) == (3, 1, 1)


def test_outsiders_get_404(world, outsider_organizer, member_user, login) -> None:
    assert login(outsider_organizer).get(reverse("learning:ledger", args=[world.cs.pk])).status_code == 404
    assert (
        login(outsider_organizer).get(reverse("learning:person_hours", args=[world.member.pk])).status_code
        == 404
    )
    assert login(member_user).get(reverse("learning:ledger", args=[world.cs_branch.pk])).status_code == 404
    assert (
        login(member_user).get(reverse("learning:person_hours", args=[world.secretary.pk])).status_code == 404
    )


def test_a_member_reads_their_own_rows(world, member_user, login) -> None:
    _hours(world.member, "4", "a")
    page = login(member_user).get(reverse("learning:person_hours", args=[world.member.pk]) + "?year=2026")
    assert page.status_code == 200
    me = login(member_user).get(reverse("learning:me")).content.decode()
    assert "学习学时" in me


def test_the_export_lists_members_with_their_status(world, college_organizer, login) -> None:
    from openpyxl import load_workbook

    _hours(world.member, "40", "a")
    response = login(college_organizer).get(
        reverse("learning:ledger_export", args=[world.cs.pk]) + "?year=2026"
    )
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][1] == "姓名" and any(r[1] == "李晓红" and r[-1] == "已达标" for r in rows[1:])


def test_the_ledger_page_queries_do_not_grow(
    world, college_organizer, login, django_assert_max_num_queries
) -> None:
    client = login(college_organizer)
    url = reverse("learning:ledger", args=[world.cs.pk])
    client.get(url)
    with django_assert_max_num_queries(14):
        client.get(url + "?list=1")
    for i in range(15):
        f.member(world.cs_branch2, f"新党员{i}")
    with django_assert_max_num_queries(14):
        client.get(url + "?list=1")


def test_record_a_training_and_its_people_in_the_browser(
    world, college_organizer, outsider_organizer, login
) -> None:
    client = login(college_organizer)
    response = client.post(
        reverse("learning:topic_new"),
        {
            "title": "党史专题培训",
            "organizer": world.cs.pk,
            "on": "2026-10-10",
            "hours": "3",
            "idempotency_key": "abc",
        },
    )
    topic = TopicTraining.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("learning:topic", args=[topic.pk]) + "?q=李晓红").content.decode()
    assert "李晓红" in page
    outsider = login(outsider_organizer)
    assert (
        outsider.post(
            reverse("learning:topic_add", args=[topic.pk]), {"person": [world.member.pk]}
        ).status_code
        == 404
    )
    assert not StudyHours.objects.exists()
    client.post(reverse("learning:topic_add", args=[topic.pk]), {"person": [world.member.pk]})
    assert StudyHours.objects.filter(person=world.member, hours=Decimal("3")).exists()
    assert (
        outsider.post(reverse("learning:topic_remove", args=[topic.pk, world.member.pk])).status_code == 404
    )
    client.post(reverse("learning:topic_remove", args=[topic.pk, world.member.pk]))
    assert StudyYear.objects.get(person=world.member, year=2026).hours == Decimal("0")
    bad = client.post(
        reverse("learning:topic_new"),
        {"title": "x", "organizer": world.cs.pk, "on": "2099-01-01", "hours": "3", "idempotency_key": "def"},
    )
    assert "培训日期不能晚于今天" in bad.content.decode()
