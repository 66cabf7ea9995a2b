"""The pages of 民主评议: the member's phone page (self review, ratings form), the branch's pages by stage
with the objective indicators beside each member, outsiders answered 404 on every page and POST, and
list pages in a fixed number of queries."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.urls import reverse

from dangjian import hooks
from dangjian.appraisal import services
from dangjian.appraisal.models import Grade, Participant, Rating, Round, Stage
from dangjian.hooks.points import PersonIndicator
from tests import factories as f
from tests.appraisal.conftest import SYSTEM, YEAR, Branch, all_others, open_round, participant

pytestmark = pytest.mark.django_db


def _rate_all(round: Round) -> None:
    rng = random.Random(3)
    for rater in Participant.objects.filter(round=round, votes=True).order_by("pk"):
        services.ratings_submit(
            actor=None,
            scope=SYSTEM,
            round=round,
            person_id=rater.person_id,
            grades={pk: rng.choice(["qualified", "basic", "excellent"]) for pk in all_others(round, rater)},
            expected_status=None,
        )


def _decided_with_unqualified(branch: Branch) -> tuple[Round, Participant]:
    round = open_round(branch, stage=Stage.RATING)
    _rate_all(round)
    services.round_advance(actor=None, scope=SYSTEM, round=round, expected_status=None)
    ids = list(Participant.objects.filter(round=round).order_by("pk").values_list("pk", flat=True))
    grades = {pk: "qualified" for pk in ids}
    grades[ids[-1]] = "unqualified"
    services.grades_propose(
        actor=None,
        scope=SYSTEM,
        round=round,
        proposals={k: (v, "") for k, v in grades.items()},
        expected_status=None,
    )
    services.grades_decide(
        actor=None,
        scope=SYSTEM,
        round=round,
        grades=grades,
        decided_on=date(2026, 11, 28),
        expected_status=None,
    )
    round.refresh_from_db()
    return round, Participant.objects.get(pk=ids[-1])


def _urls(round: Round, case: Participant) -> list[tuple[str, str]]:
    r = round.pk
    return [
        ("get", reverse("appraisal:round", args=[r])),
        ("get", reverse("appraisal:results", args=[r])),
        ("get", reverse("appraisal:proposals", args=[r])),
        ("post", reverse("appraisal:proposals", args=[r])),
        ("get", reverse("appraisal:decision", args=[r])),
        ("post", reverse("appraisal:decision", args=[r])),
        ("post", reverse("appraisal:advance", args=[r])),
        ("post", reverse("appraisal:report", args=[r])),
        ("post", reverse("appraisal:close", args=[r])),
        ("get", reverse("appraisal:handling", args=[r, case.pk])),
        ("post", reverse("appraisal:handling", args=[r, case.pk])),
        ("get", reverse("appraisal:my_round", args=[r])),
        ("post", reverse("appraisal:my_review", args=[r])),
        ("post", reverse("appraisal:my_ratings", args=[r])),
        ("get", reverse("appraisal:overview", args=[round.branch_id])),
        ("get", reverse("appraisal:round_new", args=[round.branch_id])),
        ("post", reverse("appraisal:round_new", args=[round.branch_id])),
    ]


@pytest.mark.parametrize("who", ["outsider_organizer", "fl_member_user"])
def test_outsiders_get_404_on_every_page_and_post(branch: Branch, login, request, who: str) -> None:
    round, case = _decided_with_unqualified(branch)
    client = login(request.getfixturevalue(who))
    before = (Rating.objects.count(), list(Participant.objects.values_list("handling", "reported_at")))
    for method, url in _urls(round, case):
        data = {"expected_status": "decided", "handling": "remove", "text": "x", "year": YEAR}
        response = client.get(url) if method == "get" else client.post(url, data)
        assert response.status_code == 404, (method, url)
    assert (
        Rating.objects.count(),
        list(Participant.objects.values_list("handling", "reported_at")),
    ) == before
    round.refresh_from_db()
    assert round.stage == Stage.DECIDED and round.reported_at is None


def test_a_member_gets_404_on_the_branch_pages(branch: Branch, login, member_user) -> None:
    round, case = _decided_with_unqualified(branch)
    client = login(member_user)
    for method, url in _urls(round, case):
        if "/me/" in url:
            continue
        response = client.get(url) if method == "get" else client.post(url, {"expected_status": "decided"})
        assert response.status_code == 404, (method, url)


def test_a_member_rates_everyone_once_from_the_phone_page(branch: Branch, login, member_user) -> None:
    round = open_round(branch, stage=Stage.RATING)
    client = login(member_user)
    page = client.get(reverse("appraisal:my_round", args=[round.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="radio"' in html and "不合格" in html and "张伟" in html
    me = participant(round, branch.world.member)
    others = all_others(round, me)
    url = reverse("appraisal:my_ratings", args=[round.pk])
    # a grade outside the list: a clear error, nothing written
    bad = {f"r{pk}": "qualified" for pk in others} | {
        f"r{next(iter(others))}": "superb",
        "expected_status": "rating",
    }
    response = client.post(url, bad)
    assert response.status_code == 200 and "之一" in response.content.decode()
    assert not Rating.objects.exists()
    good = {f"r{pk}": "qualified" for pk in others} | {"expected_status": "rating"}
    assert client.post(url, good).status_code == 302
    assert Rating.objects.filter(round=round).count() == len(others) == 9
    again = client.post(url, {k: "excellent" if k.startswith("r") else v for k, v in good.items()})
    assert again.status_code == 200 and "不能重复评分" in again.content.decode()
    assert Rating.objects.count() == 9 and not Rating.objects.filter(grade=Grade.EXCELLENT).exists()
    # who rated whom is shown nowhere: the member's page says they rated, not what
    assert "qualified" not in client.get(reverse("appraisal:my_round", args=[round.pk])).content.decode()


def test_a_member_writes_the_self_review(branch: Branch, login, member_user) -> None:
    round = open_round(branch)
    client = login(member_user)
    url = reverse("appraisal:my_review", args=[round.pk])
    empty = client.post(url, {"text": "", "expected_status": "self_review"})
    assert empty.status_code == 200 and "请填写自我评价" in empty.content.decode()
    assert (
        client.post(url, {"text": "认真学习，按时交纳党费。", "expected_status": "self_review"}).status_code
        == 302
    )
    page = client.get(reverse("appraisal:mine"))
    assert page.status_code == 200 and str(YEAR) in page.content.decode()


def test_a_probationary_member_sees_no_ratings_form(branch: Branch, login) -> None:
    round = open_round(branch, stage=Stage.RATING)
    client = login(f.user_for(branch.probationary, "probationary"))
    html = client.get(reverse("appraisal:my_round", args=[round.pk])).content.decode()
    assert "没有表决权" in html and 'type="radio"' not in html


def _indicator(calls: list[int]) -> PersonIndicator:
    def values(person_ids: list[int], year: int) -> dict[int, tuple[object, str, bool | None]]:
        calls.append(len(person_ids))
        return {pid: (30, f"{30 + pid % 5}/32 学时", pid % 2 == 0) for pid in person_ids}

    return PersonIndicator("test_hours", "学习学时", values)


def test_the_secretary_runs_a_round_through_the_pages(
    branch: Branch, login, branch_secretary, college_organizer
) -> None:
    client = login(branch_secretary)
    new = client.post(reverse("appraisal:round_new", args=[branch.world.cs_branch.pk]), {"year": YEAR})
    round = Round.objects.get()
    assert new.status_code == 302 and new["Location"] == reverse("appraisal:round", args=[round.pk])
    advance = reverse("appraisal:advance", args=[round.pk])
    assert client.post(advance, {"expected_status": "self_review"}).status_code == 302
    # a double click: the second finds the round moved on and changes nothing
    client.post(advance, {"expected_status": "self_review"})
    round.refresh_from_db()
    assert round.stage == Stage.RATING
    page = client.get(reverse("appraisal:round", args=[round.pk])).content.decode()
    assert "0/9" in page  # nobody has rated yet, of nine voters
    _rate_all(round)
    client.post(advance, {"expected_status": "rating"})
    calls: list[int] = []
    with hooks.person_indicators.contributed(_indicator(calls)):
        proposals = client.get(reverse("appraisal:proposals", args=[round.pk]))
    assert proposals.status_code == 200 and calls == [10]
    html = proposals.content.decode()
    assert "学习学时" in html and "/32 学时" in html and "最多 3 人" in html
    ids = list(Participant.objects.filter(round=round).order_by("pk").values_list("pk", flat=True))
    data = (
        {f"g{pk}": "qualified" for pk in ids}
        | {f"why{pk}": "" for pk in ids}
        | {"expected_status": "proposing"}
    )
    data |= {f"g{pk}": "excellent" for pk in ids[:4]}
    refused = client.post(reverse("appraisal:proposals", args=[round.pk]), data)
    assert refused.status_code == 200 and "最多 3 人" in refused.content.decode()
    assert not Participant.objects.exclude(proposed_grade="").exists()
    data[f"g{ids[3]}"] = "qualified"
    data[f"g{ids[-1]}"] = "unqualified"
    assert client.post(reverse("appraisal:proposals", args=[round.pk]), data).status_code == 302
    decision = {f"g{pk}": data[f"g{pk}"] for pk in ids} | {
        "decided_on": "2026-11-28",
        "expected_status": "proposing",
    }
    assert client.post(reverse("appraisal:decision", args=[round.pk]), decision).status_code == 302
    results = client.get(reverse("appraisal:results", args=[round.pk]))
    assert results.status_code == 200 and "登记处置方式" in results.content.decode()
    handling = reverse("appraisal:handling", args=[round.pk, ids[-1]])
    assert (
        client.post(handling, {"handling": "correct", "note": "", "expected_status": "decided"}).status_code
        == 302
    )
    assert (
        client.post(reverse("appraisal:report", args=[round.pk]), {"expected_status": "decided"}).status_code
        == 302
    )
    assert (
        client.post(reverse("appraisal:close", args=[round.pk]), {"expected_status": "decided"}).status_code
        == 302
    )
    round.refresh_from_db()
    assert round.stage == Stage.CLOSED and round.reported_at is not None
    # the college sees the report on its overview
    overview = login(college_organizer).get(
        reverse("appraisal:overview", args=[branch.world.cs.pk]) + f"?year={YEAR}"
    )
    text = overview.content.decode()
    assert overview.status_code == 200 and "限期改正" in text and "已上报" in text


def test_the_results_wait_for_the_rating_to_end(branch: Branch, login, branch_secretary) -> None:
    round = open_round(branch, stage=Stage.RATING)
    response = login(branch_secretary).get(reverse("appraisal:results", args=[round.pk]))
    assert response.status_code == 302


def _many_rounds(n: int) -> None:
    from dangjian.core.models import Organization

    college = Organization.objects.get(code="CS")
    for i in range(n):
        b = f.org(college, "branch", f"测试支部{i}")
        for j in range(3):
            f.member(b, f"成员{i}-{j}")
        services.round_open(actor=None, scope=SYSTEM, branch=b, year=YEAR)


def test_the_rounds_list_and_overview_keep_their_query_count(
    world, login, college_organizer, django_assert_max_num_queries
) -> None:
    _many_rounds(3)
    client = login(college_organizer)
    with django_assert_max_num_queries(9) as few:
        assert client.get(reverse("appraisal:rounds")).status_code == 200
    with django_assert_max_num_queries(10) as few_overview:
        assert client.get(reverse("appraisal:overview", args=[world.cs.pk])).status_code == 200
    _many_rounds(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("appraisal:rounds")).status_code == 200
    with django_assert_max_num_queries(len(few_overview.captured_queries)):
        assert client.get(reverse("appraisal:overview", args=[world.cs.pk])).status_code == 200


def test_the_proposals_page_keeps_its_query_count(
    branch: Branch, login, branch_secretary, django_assert_max_num_queries
) -> None:
    round = open_round(branch, stage=Stage.PROPOSING)
    client = login(branch_secretary)
    calls: list[int] = []
    with hooks.person_indicators.only(_indicator(calls)):
        with django_assert_max_num_queries(10) as few:
            assert client.get(reverse("appraisal:proposals", args=[round.pk])).status_code == 200
        for n in range(10):
            f.member(branch.world.cs_branch, f"新党员{n}")
        Round.objects.all().delete()
        round = open_round(branch, stage=Stage.PROPOSING)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(reverse("appraisal:proposals", args=[round.pk])).status_code == 200


def test_members_see_their_appraisal_to_dos_and_organizers_the_unreported(
    branch: Branch, member_user, branch_secretary
) -> None:
    from dangjian.accounts.scope import resolve_scope
    from dangjian.appraisal.todos import appraisal_todos

    round = open_round(branch, stage=Stage.RATING)
    titles = [t.title for t in appraisal_todos(member_user, resolve_scope(member_user))]
    assert titles == ["民主评议：请填写自我评价", "民主评议：请完成民主测评"]
    Round.objects.filter(pk=round.pk).delete()
    _decided_with_unqualified(branch)
    items = appraisal_todos(branch_secretary, resolve_scope(branch_secretary))
    assert [t.count for t in items] == [1] and "待上报" in items[0].title


def test_the_person_page_shows_past_grades_to_the_branch(
    branch: Branch, login, branch_secretary, college_organizer
) -> None:
    _round, case = _decided_with_unqualified(branch)
    client = login(college_organizer)
    card = reverse("core:person_card", args=[case.person_id, "appraisal"])
    assert card in client.get(reverse("core:person_detail", args=[case.person_id])).content.decode()
    html = client.get(card, HTTP_HX_REQUEST="true").content.decode()  # drawn when it comes into view
    assert "民主评议党员" in html and "不合格" in html


def test_the_audit_log_reads_the_appraisal_events_in_words(branch: Branch, login, school_admin) -> None:
    _decided_with_unqualified(branch)
    response = login(school_admin).get(reverse("audit:log"))
    html = response.content.decode()
    assert response.status_code == 200 and "录入支部党员大会决定" in html and "评价人数" in html
