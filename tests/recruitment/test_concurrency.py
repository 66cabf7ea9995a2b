"""Ten identical requests at once (a double-click, a retry, impatient taps) on PostgreSQL: exactly one
transition; the others are refused as stale (409 in the API, the message on the page) or, for an
application, answered with the case the first one opened — never a 500."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.core.models import Membership
from dangjian.recruitment import services
from dangjian.recruitment.models import Case, StepRecord
from tests import factories as f
from tests.race import parallel_posts
from tests.recruitment.steps import state

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

STALE = "该事项已由他人处理"


@pytest.fixture(autouse=True)
def steps():
    f.ensure_the_25_steps()


@pytest.fixture
def applicant(world):
    return f.person("陈同学", organization=world.cs_branch2, birth=date(2000, 5, 1))


@pytest.fixture
def case(world, applicant):
    today = timezone.localdate()
    return services.case_open(
        scope=Scope.system(),
        actor=None,
        person=applicant,
        branch=world.cs_branch2,
        applied_on=today - timedelta(days=10),
    )


def test_ten_step_forms_at_once_record_the_step_once(world, case, college_organizer) -> None:
    url = reverse("recruitment:step_new", args=[case.pk, "talk"])
    data = {"done_on": timezone.localdate().isoformat(), "expected_status": state(case)}
    responses = parallel_posts(college_organizer, url, data)
    assert sorted(r.status_code for r in responses) == [200] * 9 + [302]
    assert all(STALE in r.content.decode() for r in responses if r.status_code == 200)
    assert StepRecord.objects.filter(case=case, step__code="talk").count() == 1
    assert AuditEvent.objects.filter(action="recruitment.step").count() == 1


def test_ten_api_calls_at_once_record_the_step_once(world, case, college_organizer) -> None:
    url = f"/api/v1/recruitment/cases/{case.pk}/steps"
    data = {"code": "talk", "done_on": timezone.localdate().isoformat(), "expected_status": state(case)}
    responses = parallel_posts(college_organizer, url, data, json=True)
    assert sorted(r.status_code for r in responses) == [201] + [409] * 9
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"stale"}
    assert StepRecord.objects.filter(case=case, step__code="talk").count() == 1


def test_ten_applications_at_once_open_one_case_and_all_land_on_it(
    world, applicant, college_organizer
) -> None:
    url = reverse("recruitment:open", args=[applicant.pk])
    responses = parallel_posts(college_organizer, url, {"applied_on": timezone.localdate().isoformat()})
    case = Case.objects.get(person=applicant)
    assert [r.status_code for r in responses] == [302] * 10
    assert {r.url for r in responses} == {reverse("recruitment:case", args=[case.pk])}
    assert AuditEvent.objects.filter(action="recruitment.case_open").count() == 1


def test_ten_batch_filings_at_once_file_each_case_once(world, case, college_organizer) -> None:
    today = timezone.localdate()
    services.step_record(
        actor=None, scope=Scope.system(), case=case, code="talk", done_on=today - timedelta(days=5)
    )
    services.step_record(
        actor=None, scope=Scope.system(), case=case, code="activist", done_on=today - timedelta(days=1)
    )
    data = {"case": [case.pk], "done_on": today.isoformat(), f"expected_status_{case.pk}": state(case)}
    responses = parallel_posts(college_organizer, reverse("recruitment:queue") + "?step=activist_filed", data)
    assert [r.status_code for r in responses] == [302] * 10
    assert StepRecord.objects.filter(case=case, step__code="activist_filed").count() == 1


def test_ten_extensions_at_once_extend_probation_once(world, college_organizer) -> None:
    person = f.member(world.cs_branch2, "预备乙", full=False, joined_on=date(2026, 3, 1))
    case = Case.objects.create(
        person=person, branch=world.cs_branch2, applied_on=date(2023, 3, 1), stage="probationary"
    )
    url = reverse("recruitment:extend", args=[case.pk])
    responses = parallel_posts(
        college_organizer, url, {"months": 6, "reason": "需继续考察", "expected_status": state(case)}
    )
    assert sorted(r.status_code for r in responses) == [200] * 9 + [302]
    assert all(STALE in r.content.decode() for r in responses if r.status_code == 200)
    assert Membership.objects.get(person=person).probation_extended_months == 6
    assert AuditEvent.objects.filter(action="recruitment.extend_probation").count() == 1
