"""Ten identical requests at once on PostgreSQL: closing a class issues one set of 结业证书 serials,
saving a result or removing an enrolment happens once; the other requests are refused as stale (the
message on the page), never a 500."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.core.models import PoliticalStatus
from dangjian.learning import services
from dangjian.learning.models import (
    CertificateSerial,
    ClassKind,
    ClassStatus,
    Enrolment,
    ExamResult,
    StudyHours,
)
from tests.learning.conftest import make_class, with_status
from tests.race import parallel_posts

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

STALE = "该事项已由他人处理"


@pytest.fixture
def graded_class(world):
    training_class = make_class(
        world, ClassKind.ACTIVIST, starts_on=date(2026, 1, 10), ends_on=date(2026, 1, 12)
    )
    for i in range(3):
        person = with_status(f"积极分子{i}", world.cs_branch2, PoliticalStatus.ACTIVIST)
        enrolment, _ = services.enrolment_add(
            actor=None, scope=Scope.system(), training_class=training_class, person=person
        )
        services.enrolment_record(
            actor=None,
            scope=Scope.system(),
            enrolment=enrolment,
            attended_hours=Decimal("24"),
            score=Decimal("90"),
            result=ExamResult.PASS,
        )
    training_class.refresh_from_db()
    return training_class


def test_ten_closes_at_once_issue_one_set_of_serials(world, graded_class, college_organizer) -> None:
    url = reverse("learning:close", args=[graded_class.pk])
    responses = parallel_posts(college_organizer, url, {"expected_status": graded_class.version})
    assert [r.status_code for r in responses] == [302] * 10
    assert CertificateSerial.objects.get().last == 3
    assert StudyHours.objects.count() == 3
    assert sorted(Enrolment.objects.values_list("certificate_number", flat=True)) == [
        "DX2026-00001",
        "DX2026-00002",
        "DX2026-00003",
    ]
    assert AuditEvent.objects.filter(action="learning.class_close").count() == 1
    graded_class.refresh_from_db()
    assert graded_class.status == ClassStatus.CLOSED


def test_ten_result_forms_at_once_save_once(world, graded_class, college_organizer) -> None:
    enrolment = Enrolment.objects.order_by("pk").first()
    url = reverse("learning:result", args=[graded_class.pk, enrolment.pk])
    data = {"attended_hours": "20", "score": "75", "result": "pass", "expected_status": enrolment.version}
    responses = parallel_posts(college_organizer, url, data)
    assert sorted(r.status_code for r in responses) == [200] * 9 + [302]
    assert all(STALE in r.content.decode() for r in responses if r.status_code == 200)
    assert AuditEvent.objects.filter(action="learning.result", target_id=str(enrolment.pk)).count() == 2


def test_ten_removals_at_once_remove_once(world, graded_class, college_organizer) -> None:
    enrolment = Enrolment.objects.order_by("pk").first()
    url = reverse("learning:unenrol", args=[graded_class.pk, enrolment.pk])
    responses = parallel_posts(college_organizer, url, {"expected_status": enrolment.version})
    assert [r.status_code for r in responses] == [302] * 10  # back to the class page, with a message
    assert Enrolment.objects.count() == 2
    assert AuditEvent.objects.filter(action="learning.unenrol").count() == 1


def test_ten_enrol_forms_at_once_enrol_once_and_all_answer_as_the_first(world, college_organizer) -> None:
    training_class = make_class(world, ClassKind.ACTIVIST)
    person = with_status("新学员", world.cs_branch2, PoliticalStatus.ACTIVIST)
    url = reverse("learning:enrol", args=[training_class.pk])
    responses = parallel_posts(college_organizer, url, {"person": [person.pk]})
    assert [r.status_code for r in responses] == [302] * 10
    assert Enrolment.objects.filter(training_class=training_class).count() == 1
    assert AuditEvent.objects.filter(action="learning.enrol").count() == 1
