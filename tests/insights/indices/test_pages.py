"""The pages: the matrix (chart data and table) in the viewer's scope, an organization's indices opened
into their indicators, the definitions and a new version by the school only, recomputing as a job;
outsiders 404; the matrix's queries do not grow with the organizations."""

from __future__ import annotations

import json
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.core.models import OrgKind
from dangjian.hooks import Reading
from dangjian.insights.indices.services import indices_compute
from dangjian.insights.models import IndexVersion
from dangjian.insights.periods import parse
from tests import factories as f

pytestmark = pytest.mark.django_db
NOW = "2026-11-29 12:00+08:00"


def _setup(world, fake_indicators, extra_branches: int = 0) -> None:
    for index in ("basic", "cohesion", "attraction"):
        IndexVersion.objects.create(
            index=index,
            effective_from=date(2025, 1, 1),
            components=[
                {"indicator": "test.ratio", "weight": 0.5, "zero": 0, "full": 1},
                {"indicator": "test.score", "weight": 0.5, "zero": 0, "full": 100},
            ],
        )
    branches = [world.cs_branch, world.cs_branch2, world.fl_branch]
    for i in range(extra_branches):
        branches.append(f.org(world.cs, OrgKind.BRANCH, f"计算机学院第{i + 3}党支部", code=f"CS-X{i}"))
    fake_indicators["test.ratio"] = {b.pk: Reading(0.5 + i / 100, 1, 2) for i, b in enumerate(branches)}
    fake_indicators["test.score"] = {b.pk: Reading(70 + i % 30) for i, b in enumerate(branches)}
    indices_compute(actor=None, scope=Scope.system(), period=parse("2026Q4"), today=date(2026, 11, 29))


def _chart(html: str) -> dict:
    start = html.index(">", html.index('id="insights-matrix-data"')) + 1
    return json.loads(html[start : html.index("</script>", start)])


@time_machine.travel(NOW, tick=False)
def test_the_school_sees_its_colleges_and_a_college_its_branches(
    world, fake_indicators, school_admin, college_organizer, login
) -> None:
    _setup(world, fake_indicators)
    school = login(school_admin).get(reverse("insights:home")).content.decode()
    assert {p["name"] for p in _chart(school)["points"]} == {"计算机学院党委", "外国语学院党委"}
    college = login(college_organizer).get(reverse("insights:home")).content.decode()
    names = {p["name"] for p in _chart(college)["points"]}
    assert names == {"计算机学院教工第一党支部", "计算机学院本科生党支部"}
    student = login(college_organizer).get(reverse("insights:home") + "?category=student").content.decode()
    assert {p["name"] for p in _chart(student)["points"]} == {"计算机学院本科生党支部"}


@time_machine.travel(NOW, tick=False)
def test_an_index_opens_into_its_indicators(world, fake_indicators, college_organizer, login) -> None:
    _setup(world, fake_indicators)
    page = login(college_organizer).get(reverse("insights:org", args=[world.cs_branch.pk]) + "?period=2026Q4")
    text = page.content.decode()
    assert page.status_code == 200
    assert "测试比率" in text and "50.0%" in text and "1 / 2" in text


@time_machine.travel(NOW, tick=False)
def test_outsiders_get_404(world, fake_indicators, outsider_organizer, member_user, login) -> None:
    _setup(world, fake_indicators)
    assert (
        login(outsider_organizer).get(reverse("insights:org", args=[world.cs_branch.pk])).status_code == 404
    )
    assert login(outsider_organizer).get(reverse("insights:home") + f"?org={world.cs.pk}").status_code == 404
    assert login(member_user).get(reverse("insights:home")).status_code == 404
    api = login(outsider_organizer).get(f"/api/v1/insights/indices?org={world.cs.pk}")
    assert api.status_code == 404


@time_machine.travel(NOW, tick=False)
def test_only_the_school_edits_the_definitions(
    world, fake_indicators, school_admin, college_organizer, login
) -> None:
    url = reverse("insights:version_new", args=["basic"])
    assert login(college_organizer).get(url).status_code == 404
    assert login(college_organizer).post(url, {}).status_code == 404
    assert login(college_organizer).post(reverse("insights:compute"), {"period": "2026Q4"}).status_code == 404
    bad = login(school_admin).post(
        url,
        {
            "effective_from": "2026-12-01",
            "good_from": 80,
            "fair_from": 60,
            "w_test.ratio": 0.5,
            "z_test.ratio": 0,
            "f_test.ratio": 1,
        },
    )
    assert "权重之和必须为 1" in bad.content.decode()
    assert not IndexVersion.objects.filter(effective_from=date(2026, 12, 1)).exists()
    good = login(school_admin).post(
        url,
        {
            "effective_from": "2026-12-01",
            "good_from": 80,
            "fair_from": 60,
            "w_test.ratio": 1,
            "z_test.ratio": 0,
            "f_test.ratio": 1,
        },
    )
    assert good.status_code == 302
    assert (
        IndexVersion.objects.get(effective_from=date(2026, 12, 1)).components[0]["indicator"] == "test.ratio"
    )
    assert "2026-12-01" in login(college_organizer).get(reverse("insights:definitions")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_definitions_and_the_version_form_list_every_contributed_indicator(
    world, school_admin, login
) -> None:
    client = login(school_admin)
    form = client.get(reverse("insights:version_new", args=["attraction"]))
    assert form.status_code == 200
    text = form.content.decode()
    for label in ("入党申请人人数", "入党积极分子人数", "发展对象人数", "预备党员人数", "党费按时交纳率"):
        assert label in text
    assert client.get(reverse("insights:definitions")).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_the_school_recomputes_a_period_as_a_job(world, fake_indicators, school_admin, login) -> None:
    _setup(world, fake_indicators)
    answer = login(school_admin).post(reverse("insights:compute"), {"period": "2026Q4"})
    assert answer.status_code == 302 and "/jobs/" in answer["Location"]


@time_machine.travel(NOW, tick=False)
def test_the_api_answers_the_indices_with_their_indicators(
    world, fake_indicators, college_organizer, login
) -> None:
    _setup(world, fake_indicators)
    body = login(college_organizer).get(f"/api/v1/insights/indices?org={world.cs.pk}&period=2026Q4").json()
    assert body["period"] == "2026Q4" and [i["index"] for i in body["indices"]] == [
        "basic",
        "cohesion",
        "attraction",
    ]
    assert body["indices"][0]["components"][0]["numerator"] == 2  # 1 + 1 over the college's two branches
    assert login(college_organizer).get("/api/v1/insights/indices?period=2026Q9").status_code == 400


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("branches", [0, 30])
def test_the_matrix_queries_do_not_grow(
    world, fake_indicators, college_organizer, login, branches, django_assert_max_num_queries
) -> None:
    _setup(world, fake_indicators, extra_branches=branches)
    client = login(college_organizer)
    client.get(reverse("insights:home"))
    with django_assert_max_num_queries(15):
        assert client.get(reverse("insights:home")).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("insights:org", args=[world.cs.pk]) + "?period=2026Q4").status_code == 200
