"""我的入党进度 (the person's own case) and the organizers' overdue and rule-violation lists."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.kit.dates import add_months
from dangjian.recruitment import rules, selectors, services
from dangjian.recruitment.models import Case
from tests import factories as f
from tests.recruitment.steps import advance

D = date
TODAY = D(2026, 11, 20)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(D(2026, 11, 20), tick=False):
        yield


def _case(branch, name, applied_on, *, upto=None):
    p = f.person(name, organization=branch, birth=D(2000, 1, 1))
    case = services.case_open(
        scope=Scope.system(), actor=None, person=p, branch=branch, applied_on=applied_on
    )
    if upto:
        advance(case, upto, today=TODAY)
    return case


# ---------------------------------------------------------------- 我的入党进度


def test_a_person_sees_their_own_progress_and_nobody_elses(world, login, member_user) -> None:
    me = f.person("陈同学", organization=world.cs_branch2, birth=D(2003, 5, 1))
    case = services.case_open(
        scope=Scope.system(), actor=None, person=me, branch=world.cs_branch2, applied_on=D(2026, 11, 2)
    )
    services.step_record(
        actor=None, scope=Scope.system(), case=case, code="talk", done_on=D(2026, 11, 5), today=TODAY
    )
    client = login(f.user_for(me, "chen"))
    page = client.get(reverse("recruitment:me")).content.decode()
    assert "我的入党进度" in page and "2026-11-05" in page
    assert "3. 推荐和确定入党积极分子" in page and "25. 材料归档" in page
    # Not the branch's page for the case, nor anyone else's case; a person without a case gets 404.
    other = _case(world.cs_branch2, "别人", D(2026, 10, 1))
    assert client.get(reverse("recruitment:case", args=[other.pk])).status_code == 404
    assert login(member_user).get(reverse("recruitment:me")).status_code == 404


def test_my_progress_shows_the_deadline_of_the_next_step(world, login) -> None:
    me = f.person("林同学", organization=world.cs_branch2, birth=D(2003, 5, 1))
    services.case_open(
        scope=Scope.system(), actor=None, person=me, branch=world.cs_branch2, applied_on=D(2026, 11, 2)
    )
    page = login(f.user_for(me, "lin")).get(reverse("recruitment:me")).content.decode()
    assert "2. 党组织派人谈话" in page and "应在 2026-12-02 前" in page


# ---------------------------------------------------------------- overdue


@pytest.mark.parametrize("today", [D(2026, 3, 1), D(2026, 3, 31), D(2026, 2, 28), D(2024, 2, 29), TODAY])
@pytest.mark.parametrize("months", [1, 3, 6])
def test_the_cutoff_agrees_with_the_rule_at_month_ends(today, months) -> None:
    cutoff = selectors._cutoff(lambda d: add_months(d, months), today, months)
    for offset in range(-40, 40):
        start = cutoff + timedelta(days=offset)
        assert (start < cutoff) == (add_months(start, months) < today), start


@pytest.fixture
def mixed(world):
    """Cases in both colleges at several steps; some overdue, one returned."""
    cs, fl = world.cs_branch2, world.fl_branch
    cases = {
        "late_talk": _case(cs, "迟谈", D(2026, 9, 1)),
        "fresh": _case(cs, "新申请", D(2026, 11, 10)),
        "late_eval": _case(cs, "未考察", D(2025, 9, 1), upto="contacts"),
        "on_time_eval": _case(cs, "按时考察", D(2026, 5, 1), upto="contacts"),
        "late_meeting": _case(cs, "未开会", D(2024, 1, 1), upto="application_form"),
        "late_approval": _case(cs, "未审批", D(2024, 1, 1), upto="upper_talk"),
        "fl_late": _case(fl, "外院迟谈", D(2026, 8, 1)),
    }
    returned = _case(cs, "被退回", D(2026, 9, 1))
    services.step_record(
        actor=None, scope=Scope.system(), case=returned, code="talk", done_on=D(2026, 9, 5), today=TODAY
    )
    services.step_record(
        actor=None, scope=Scope.system(), case=returned, code="activist", done_on=D(2026, 11, 1), today=TODAY
    )
    services.step_return(actor=None, scope=Scope.system(), case=returned, reason="材料不全")
    cases["returned"] = returned
    return cases


def test_the_overdue_list_matches_the_case_page(world, mixed, school_admin, college_organizer) -> None:
    everyone = resolve_scope(school_admin)
    listed = {c.pk for c in selectors.overdue_cases(everyone, TODAY)}
    steps = selectors.step_definitions()
    expected = {
        c.pk
        for c in selectors.cases_visible_to(everyone).prefetch_related("steps__step")
        if selectors.progress(c, TODAY, steps).overdue
    }
    assert listed == expected
    names = {c.person.name for c in selectors.overdue_cases(everyone, TODAY)}
    assert names == {"迟谈", "未考察", "未开会", "未审批", "外院迟谈"}
    college = {c.person.name for c in selectors.overdue_cases(resolve_scope(college_organizer), TODAY)}
    assert college == {"迟谈", "未考察", "未开会", "未审批"}
    by_stage = selectors.overdue_cases(everyone, TODAY, stage="candidate")
    assert {c.person.name for c in by_stage} == {"未开会", "未审批"}
    by_org = selectors.overdue_cases(everyone, TODAY, org=world.fl)
    assert [c.person.name for c in by_org] == ["外院迟谈"]


def test_the_overdue_page_filters_and_keeps_its_queries_bounded(
    world, mixed, login, school_admin, django_assert_max_num_queries
) -> None:
    client = login(school_admin)
    url = reverse("recruitment:alerts")
    with django_assert_max_num_queries(14) as few:
        page = client.get(url).content.decode()
    assert "外院迟谈" in page and "未审批" in page and "新申请" not in page
    for i in range(8):  # more overdue rows: the same number of queries
        _case(world.cs_branch2, f"迟谈{i}", D(2026, 8, 1), upto="talk" if i % 2 else None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "迟谈7" not in page  # talked: its next step has no deadline yet
    assert "迟谈6" in page
    page = client.get(url + f"?org={world.fl.pk}&stage=applicant").content.decode()
    assert "外院迟谈" in page and "未考察" not in page


def test_rule_violations_across_the_scope(
    world, login, school_admin, college_organizer, outsider_organizer
) -> None:
    late = _case(world.cs_branch2, "迟谈甲", D(2026, 9, 1))
    services.step_record(
        actor=None, scope=Scope.system(), case=late, code="talk", done_on=D(2026, 10, 20), today=TODAY
    )  # warns
    on_time = _case(world.cs_branch2, "按时乙", D(2026, 9, 1))
    services.step_record(
        actor=None, scope=Scope.system(), case=on_time, code="talk", done_on=D(2026, 9, 20), today=TODAY
    )
    fl = _case(world.fl_branch, "外院丙", D(2026, 8, 1))
    services.step_record(
        actor=None, scope=Scope.system(), case=fl, code="talk", done_on=D(2026, 10, 1), today=TODAY
    )
    url = reverse("recruitment:alerts") + "?kind=violations"
    page = login(school_admin).get(url).content.decode()
    assert "迟谈甲" in page and "外院丙" in page and "按时乙" not in page and "一个月内" in page
    page = login(college_organizer).get(url).content.decode()
    assert "迟谈甲" in page and "外院丙" not in page
    assert login(outsider_organizer).get(url + f"&org={world.cs.pk}").status_code == 404


def test_a_member_without_recruitment_rights_gets_404_on_the_lists(world, login, member_user) -> None:
    assert login(member_user).get(reverse("recruitment:alerts")).status_code == 404


def test_rules_module_is_the_source_of_the_talk_deadline() -> None:
    assert rules.talk_due(D(2026, 1, 31)) == D(2026, 2, 28)


def test_case_is_only_listed_once_with_many_records(world, school_admin) -> None:
    case = _case(world.cs_branch2, "多记录", D(2024, 1, 1), upto="upper_talk")
    listed = list(selectors.overdue_cases(resolve_scope(school_admin), TODAY))
    assert [c.pk for c in listed] == [case.pk] and Case.objects.count() == 1


def test_the_lists_search_by_name_and_pinyin(world, mixed, login, school_admin) -> None:
    client = login(school_admin)
    page = client.get(reverse("recruitment:alerts") + "?q=未审批").content.decode()
    assert "未审批" in page and "迟谈" not in page
    page = client.get(reverse("recruitment:alerts") + "?q=wsp").content.decode()  # 未审批: pinyin initials
    assert "未审批" in page and "外院迟谈" not in page
    page = client.get(reverse("recruitment:board") + f"?org={world.cs.pk}&q=xsq").content.decode()
    assert "新申请" in page and "迟谈" not in page
