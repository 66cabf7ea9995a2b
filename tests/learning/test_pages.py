"""党校 pages: classes (list, new, edit, detail), enrolling, results, closing, certificates, my training;
outsiders get 404 on every page that writes; query counts pinned on the list and the class page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.learning import services
from dangjian.learning.models import ClassKind, ClassStatus, Enrolment, ExamResult, TrainingClass
from tests import factories as f
from tests.learning.conftest import make_class, with_status
from tests.recruitment.steps import shown_state


def enrol_and_pass(training_class, person) -> Enrolment:
    enrolment, _ = services.enrolment_add(
        actor=None, scope=Scope.system(), training_class=training_class, person=person
    )
    return services.enrolment_record(
        actor=None,
        scope=Scope.system(),
        enrolment=enrolment,
        attended_hours=Decimal("24"),
        score=Decimal("88"),
        result=ExamResult.PASS,
    )


def test_the_organizer_creates_a_class(school, login, college_organizer) -> None:
    client = login(college_organizer)
    assert client.get(reverse("learning:class_new")).status_code == 200
    response = client.post(
        reverse("learning:class_new"),
        {
            "name": "第 12 期发展对象培训班",
            "kind": ClassKind.CANDIDATE,
            "organizer": school.world.cs.pk,
            "starts_on": "2026-10-10",
            "ends_on": "2026-10-12",
            "days": "3",
            "hours": "24",
            "place": "党校报告厅",
        },
    )
    training_class = TrainingClass.objects.get()
    assert response.url == reverse("learning:class", args=[training_class.pk])
    assert AuditEvent.objects.filter(action="learning.class_create", org_path=school.world.cs.path).exists()


def test_a_bad_class_form_shows_the_chinese_message(school, login, college_organizer) -> None:
    response = login(college_organizer).post(
        reverse("learning:class_new"),
        {
            "name": "班",
            "kind": ClassKind.CANDIDATE,
            "organizer": school.world.cs.pk,
            "starts_on": "2026-10-10",
            "ends_on": "2026-10-01",
            "days": "3",
            "hours": "24",
        },
    )
    assert response.status_code == 200 and "结束日期不能早于开班日期" in response.content.decode()
    assert not TrainingClass.objects.exists()


def test_an_organizer_cannot_create_a_class_for_another_college(school, login, outsider_organizer) -> None:
    response = login(outsider_organizer).post(
        reverse("learning:class_new"),
        {
            "name": "班",
            "kind": ClassKind.CANDIDATE,
            "organizer": school.world.cs.pk,
            "starts_on": "2026-10-10",
            "ends_on": "2026-10-12",
            "days": "3",
            "hours": "24",
        },
    )
    assert response.status_code == 200 and not TrainingClass.objects.exists()  # not a choice


def test_edit_enrol_grade_and_close_through_the_pages(
    school, candidate_class, login, college_organizer
) -> None:
    client = login(college_organizer)
    pk = candidate_class.pk
    url = reverse("learning:class_edit", args=[pk])
    client.post(
        url,
        {
            "expected_status": shown_state(client, url),
            "name": candidate_class.name,
            "kind": ClassKind.CANDIDATE,
            "starts_on": "2026-10-10",
            "ends_on": "2026-10-12",
            "days": "3",
            "hours": "24",
            "place": "图书馆报告厅",
        },
    )
    assert TrainingClass.objects.get(pk=pk).place == "图书馆报告厅"
    page = client.get(reverse("learning:enrol", args=[pk]) + "?q=陈").content.decode()
    assert "陈发展" in page and "吴积极" not in page  # an activist is not offered for a candidate class
    client.post(reverse("learning:enrol", args=[pk]), {"person": [school.candidate.pk, school.activist.pk]})
    enrolment = Enrolment.objects.get()
    assert enrolment.person == school.candidate  # the activist id was not among the people offered
    url = reverse("learning:result", args=[pk, enrolment.pk])
    response = client.post(
        url,
        {
            "attended_hours": "24",
            "score": "91",
            "result": "pass",
            "expected_status": shown_state(client, url),
        },
    )
    assert response.status_code == 302
    assert "取消报名" in client.get(reverse("learning:class", args=[pk])).content.decode()
    assert "确认结班" in client.get(reverse("learning:close", args=[pk])).content.decode()
    url = reverse("learning:close", args=[pk])
    client.post(url, {"expected_status": shown_state(client, url)})
    enrolment.refresh_from_db()
    assert enrolment.certificate_number and enrolment.step_status == "recorded"
    page = client.get(reverse("learning:class", args=[pk])).content.decode()
    assert enrolment.certificate_number in page and "已记录" in page
    assert enrolment.certificate_number in client.get(reverse("learning:certificates")).content.decode()


def test_closing_too_early_shows_the_reason(school, login, college_organizer) -> None:
    training_class = make_class(school.world, starts_on=date(2099, 1, 1), ends_on=date(2099, 1, 3))
    client = login(college_organizer)
    url = reverse("learning:close", args=[training_class.pk])
    response = client.post(url, {"expected_status": shown_state(client, url)}, follow=True)
    assert "结束后才能结班" in response.content.decode()
    assert TrainingClass.objects.get(pk=training_class.pk).status == ClassStatus.OPEN


def test_a_person_sees_their_own_training(school, candidate_class, login) -> None:
    enrol_and_pass(candidate_class, school.candidate)
    services.training_class_close(actor=None, scope=Scope.system(), training_class=candidate_class)
    user = f.user_for(school.candidate, "candidate")
    page = login(user).get(reverse("learning:me")).content.decode()
    assert candidate_class.name in page and "DX2026-00001" in page and "24 学时" in page
    # …but not the class pages
    assert login(user).get(reverse("learning:classes")).status_code == 404
    assert login(user).get(reverse("learning:class", args=[candidate_class.pk])).status_code == 404


def test_my_training_without_a_person_record_renders(school, login, college_organizer) -> None:
    assert "还没有参加党校培训" in login(college_organizer).get(reverse("learning:me")).content.decode()


def test_outsiders_get_404_on_every_writing_page(
    school, candidate_class, login, outsider_organizer, member_user
) -> None:
    enrolment = enrol_and_pass(candidate_class, school.candidate)
    pk = candidate_class.pk
    urls = [
        reverse("learning:class_edit", args=[pk]),
        reverse("learning:enrol", args=[pk]),
        reverse("learning:result", args=[pk, enrolment.pk]),
        reverse("learning:close", args=[pk]),
        reverse("learning:import", args=[pk]),
        reverse("learning:import_template", args=[pk]),
        reverse("learning:import_commit", args=[pk, 1]),
        reverse("learning:unenrol", args=[pk, enrolment.pk]),
        reverse("learning:step", args=[pk, enrolment.pk]),
    ]
    for user in (outsider_organizer, member_user):
        client = login(user)
        for url in urls:
            assert client.post(url, {"person": [school.candidate.pk]}).status_code == 404, (user, url)
            if not any(w in url for w in ("commit", "remove", "step")):
                assert client.get(url).status_code == 404, (user, url)
        assert client.get(reverse("learning:class", args=[pk])).status_code == 404
    assert login(member_user).post(reverse("learning:class_new"), {}).status_code == 404
    candidate_class.refresh_from_db()
    assert candidate_class.is_open and Enrolment.objects.count() == 1


def test_the_school_sees_a_college_class_but_the_college_does_not_see_the_schools(
    school, login, school_admin, college_organizer
) -> None:
    college = make_class(school.world, name="计算机学院班")
    school_wide = make_class(school.world, name="全校班", organizer=school.world.school)
    assert login(school_admin).get(reverse("learning:class", args=[college.pk])).status_code == 200
    assert login(college_organizer).get(reverse("learning:class", args=[school_wide.pk])).status_code == 404


def test_the_list_filters_and_has_bounded_queries(
    school, login, college_organizer, django_assert_max_num_queries
) -> None:
    for i in range(12):
        training_class = make_class(school.world, ClassKind.ACTIVIST, name=f"积极分子班{i}")
        enrol_and_pass(training_class, school.activist)
    make_class(school.world, name="发展对象班")
    client = login(college_organizer)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("learning:classes") + "?kind=candidate").content.decode()
    assert "发展对象班" in page and "积极分子班1" not in page
    with django_assert_max_num_queries(10):
        page = client.get(reverse("learning:classes")).content.decode()
    assert page.count("积极分子班") == 12


def test_the_class_page_has_bounded_queries(
    school, candidate_class, login, college_organizer, django_assert_max_num_queries
) -> None:
    from dangjian.core.models import PoliticalStatus

    for i in range(15):
        enrol_and_pass(
            candidate_class, with_status(f"对象{i}", school.world.cs_branch2, PoliticalStatus.CANDIDATE)
        )
    client = login(college_organizer)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("learning:class", args=[candidate_class.pk])).content.decode()
    assert page.count("合格") >= 15


@pytest.mark.parametrize("name", ["learning:classes", "learning:certificates", "learning:me"])
def test_pages_render_for_the_school(school, login, school_admin, name) -> None:
    assert login(school_admin).get(reverse(name)).status_code == 200


def test_a_step_not_recorded_at_the_close_can_be_tried_again(
    school, candidate_class, login, college_organizer
) -> None:
    enrolment = enrol_and_pass(candidate_class, school.candidate_no_case)
    services.training_class_close(actor=None, scope=Scope.system(), training_class=candidate_class)
    client = login(college_organizer)
    page = client.get(reverse("learning:class", args=[candidate_class.pk])).content.decode()
    assert "重新记录步骤" in page and "没有进行中的发展党员档案" in page
    enrolment.refresh_from_db()
    assert f'value="{enrolment.version}"' in page  # the state the retry button posts back
    response = client.post(
        reverse("learning:step", args=[candidate_class.pk, enrolment.pk]),
        {"expected_status": enrolment.version},
        follow=True,
    )
    assert "周无档：没有进行中的发展党员档案" in response.content.decode()


def test_the_roster_exports_with_results_and_is_audited(
    school, candidate_class, login, college_organizer, outsider_organizer
) -> None:
    import io

    from openpyxl import load_workbook

    enrol_and_pass(candidate_class, school.candidate)
    services.training_class_close(actor=None, scope=Scope.system(), training_class=candidate_class)
    url = reverse("learning:class_export", args=[candidate_class.pk])
    response = login(college_organizer).get(url)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert (
        values[0][:2] == ["工号/学号", "姓名"] and values[1][1] == "陈发展" and values[1][6] == "DX2026-00001"
    )
    assert AuditEvent.objects.filter(action="learning.export").count() == 1
    assert login(outsider_organizer).get(url).status_code == 404


def test_an_id_that_is_not_an_ascii_number_is_ignored(
    school, candidate_class, login, college_organizer
) -> None:
    """ "²" is a digit to str.isdigit() but not to int(): the enrol page answered with a 500."""
    url = reverse("learning:enrol", args=[candidate_class.pk])
    response = login(college_organizer).post(url, {"person": ["²", "١", str(school.candidate.pk)]})
    assert response.status_code == 302
    assert Enrolment.objects.get().person == school.candidate
