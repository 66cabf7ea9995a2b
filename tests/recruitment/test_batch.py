"""批量记录下一步: the same next step on one date for several cases, each checked on its own."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.recruitment import services
from dangjian.recruitment.models import StepRecord
from tests import factories as f
from tests.recruitment.steps import state

D = date
URL = reverse("recruitment:batch")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(D(2026, 11, 20), tick=False):
        yield


@pytest.fixture
def cases(world):
    made = []
    for i in range(3):
        person = f.person(f"申请人{i}", organization=world.cs_branch2, birth=D(2003, 5, 1))
        made.append(
            services.case_open(
                scope=Scope.system(),
                actor=None,
                person=person,
                branch=world.cs_branch2,
                applied_on=D(2026, 11, 2),
            )
        )
    return made


def _post(client, cases, **extra):
    data = {"done_on": "2026-11-10", "resolution": "已谈话", "case": [c.pk for c in cases]}
    data.update({f"expected_status_{c.pk}": state(c) for c in cases})
    data.update(extra)
    return client.post(URL + "?step=talk", data)


def _talks() -> int:
    return StepRecord.objects.filter(step__code="talk").count()


def test_the_page_lists_the_cases_whose_next_step_is_due(cases, login, college_organizer) -> None:
    response = login(college_organizer).get(URL)
    assert response.status_code == 200
    assert response.context["code"] == "talk"
    assert [c.pk for c, _info, _state in response.context["rows"]] == [c.pk for c in cases]
    assert "批量记录下一步" in login(college_organizer).get(reverse("recruitment:board")).content.decode()


def test_the_chosen_cases_are_recorded_and_audited_one_by_one(cases, login, college_organizer) -> None:
    response = _post(login(college_organizer), cases[:2])
    assert response.status_code == 302
    assert set(StepRecord.objects.filter(step__code="talk").values_list("case_id", flat=True)) == {
        cases[0].pk,
        cases[1].pk,
    }
    assert AuditEvent.objects.filter(action="recruitment.step").count() == 2
    assert set(AuditEvent.objects.filter(action="recruitment.step").values_list("target_id", flat=True)) == {
        str(cases[0].pk),
        str(cases[1].pk),
    }


def test_a_blocked_row_is_listed_with_its_reason_and_the_others_are_recorded(
    cases, login, college_organizer
) -> None:
    client = login(college_organizer)
    stale = {f"expected_status_{cases[2].pk}": "open.1.1.0.0-old"}
    response = _post(client, cases, **stale)
    assert _talks() == 2
    shown = [str(m) for m in response.wsgi_request._messages]
    assert "已为 2 人记录“党组织派人谈话”" in shown
    assert any(m.startswith("申请人2：") for m in shown), shown


def test_a_date_the_rules_refuse_is_refused_per_row(cases, login, college_organizer) -> None:
    response = _post(login(college_organizer), cases, done_on="2026-12-01")  # in the future
    assert _talks() == 0
    messages = [str(m) for m in response.wsgi_request._messages]
    assert sum(m.startswith("申请人") for m in messages) == 3


def test_submitting_the_same_batch_twice_records_once(cases, login, college_organizer) -> None:
    client = login(college_organizer)
    data = {"done_on": "2026-11-10", "case": [c.pk for c in cases]}
    data.update({f"expected_status_{c.pk}": state(c) for c in cases})
    client.post(URL + "?step=talk", data)
    second = client.post(URL + "?step=talk", data)
    assert _talks() == 3
    assert AuditEvent.objects.filter(action="recruitment.step").count() == 3
    assert any("未记录" in str(m) for m in second.wsgi_request._messages)


def test_a_missing_date_is_a_chinese_error_and_nothing_is_recorded(cases, login, college_organizer) -> None:
    response = _post(login(college_organizer), cases, done_on="")
    assert response.status_code == 200
    assert response.context["form"].errors["done_on"] == ["请填写日期。"]
    assert _talks() == 0


def test_outsiders_are_refused(cases, login, outsider_organizer, member_user) -> None:
    assert _post(login(outsider_organizer), cases).status_code == 404
    assert login(member_user).get(URL).status_code == 404
    assert _post(login(member_user), cases).status_code == 404
    assert _talks() == 0
    assert login(outsider_organizer).get(URL).context["rows"] == []


def test_the_page_reads_a_bounded_number_of_queries(
    world, login, college_organizer, django_assert_max_num_queries
):
    for i in range(40):
        person = f.person(f"多人{i}", organization=world.cs_branch2, birth=D(2003, 5, 1))
        services.case_open(
            scope=Scope.system(),
            actor=None,
            person=person,
            branch=world.cs_branch2,
            applied_on=D(2026, 11, 2),
        )
    client = login(college_organizer)
    with django_assert_max_num_queries(14):
        response = client.get(URL)
    assert len(response.context["rows"]) == 40
