"""Every main page renders for the personas who may see it."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "name",
    [
        "web:home",
        "core:org_tree",
        "core:rule_checks",
        "core:person_list",
        "audit:log",
        "workbench:notifications",
        "accounts:me",
    ],
)
def test_school_admin_sees_main_pages(name, login, school_admin) -> None:
    response = login(school_admin).get(reverse(name))
    assert response.status_code == 200


def test_org_detail_and_person_detail_render(login, college_organizer, world) -> None:
    client = login(college_organizer)
    assert client.get(reverse("core:org_detail", args=[world.cs_branch.pk])).status_code == 200
    assert client.get(reverse("core:person_detail", args=[world.member.pk])).status_code == 200
    assert (
        client.get(reverse("core:person_detail", args=[world.member.pk]) + "?as_of=2020-01-01").status_code
        == 200
    )
    assert client.get(reverse("core:org_children", args=[world.cs.pk])).status_code == 200


def test_dashboard_counts_are_right(login, college_organizer, world) -> None:
    context = login(college_organizer).get(reverse("web:home")).context
    kinds = dict(context["org_kind_counts"])
    assert (kinds["党委"], kinds["党支部"], kinds["党小组"]) == (1, 2, 1)
    assert dict(context["status_counts"])["正式党员"] == 3
