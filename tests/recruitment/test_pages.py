"""发展党员 pages: opening a case, recording steps by the right side, the board; outsiders 404."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.recruitment import services
from dangjian.recruitment.models import Case, StepRecord
from tests import factories as f
from tests.recruitment.steps import shown_state, state


@pytest.fixture
def applicant(world):
    return f.person("陈同学", organization=world.cs_branch2, birth=date(2003, 5, 1))


@pytest.fixture
def secretary2(world):
    """Secretary of the student branch CS-S1 (by position)."""
    from dangjian.core import services as core

    sec = f.member(world.cs_branch2, "支部书记乙", joined_on=date(2010, 7, 1), full_on=date(2011, 7, 1))
    core.position_assign(
        actor=None, person=sec, organization=world.cs_branch2, title="secretary", started_on=date(2024, 9, 1)
    )
    return f.user_for(sec, "secretary2")


def test_the_branch_registers_an_application_and_records_the_talk(
    world, applicant, login, secretary2
) -> None:
    client = login(secretary2)
    assert "登记入党申请" in client.get(reverse("core:person_detail", args=[applicant.pk])).content.decode()
    response = client.post(reverse("recruitment:open", args=[applicant.pk]), {"applied_on": "2026-11-02"})
    case = Case.objects.get()
    assert response.url == reverse("recruitment:case", args=[case.pk])
    page = client.get(response.url).content.decode()
    assert "2. 党组织派人谈话" in page and "2026-12-02" in page  # due within a month
    url = reverse("recruitment:step_new", args=[case.pk, "talk"])
    client.post(
        url, {"done_on": "2026-11-10", "resolution": "已谈话", "expected_status": shown_state(client, url)}
    )
    assert StepRecord.objects.filter(case=case, step__code="talk").exists()


def test_a_branch_cannot_record_the_upper_committees_step(world, applicant, login, secretary2) -> None:
    case = services.case_open(
        scope=Scope.system(),
        actor=None,
        person=applicant,
        branch=world.cs_branch2,
        applied_on=date(2026, 11, 2),
    )
    services.step_record(actor=None, scope=Scope.system(), case=case, code="talk", done_on=date(2026, 11, 5))
    services.step_record(
        actor=None, scope=Scope.system(), case=case, code="activist", done_on=date(2026, 11, 6)
    )
    assert (
        login(secretary2).get(reverse("recruitment:step_new", args=[case.pk, "activist_filed"])).status_code
        == 404
    )


def test_the_board_counts_stages_and_lists_cases(
    world, applicant, login, college_organizer, django_assert_max_num_queries
) -> None:
    services.case_open(
        scope=Scope.system(),
        actor=None,
        person=applicant,
        branch=world.cs_branch2,
        applied_on=date(2026, 11, 2),
    )
    for i in range(5):
        p = f.person(f"申请人{i}", organization=world.cs_branch2, birth=date(2002, 1, 1))
        services.case_open(
            scope=Scope.system(), actor=None, person=p, branch=world.cs_branch2, applied_on=date(2026, 10, 1)
        )
    client = login(college_organizer)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("recruitment:board") + f"?org={world.cs.pk}").content.decode()
    assert "陈同学" in page and "已超期" in page  # the October applicants' talks are overdue


def test_outsiders_get_404(world, applicant, login, outsider_organizer, member_user) -> None:
    case = services.case_open(
        scope=Scope.system(),
        actor=None,
        person=applicant,
        branch=world.cs_branch2,
        applied_on=date(2026, 11, 2),
    )
    for user in (outsider_organizer, member_user):
        client = login(user)
        assert client.get(reverse("recruitment:case", args=[case.pk])).status_code == 404
        assert (
            client.post(
                reverse("recruitment:step_new", args=[case.pk, "talk"]), {"done_on": "2026-11-10"}
            ).status_code
            == 404
        )
        assert (
            client.post(
                reverse("recruitment:open", args=[applicant.pk]), {"applied_on": "2026-11-02"}
            ).status_code
            == 404
        )
    assert StepRecord.objects.filter(case=case).count() == 1


def test_the_record_pdf_lists_the_steps(world, applicant, login, secretary2, member_user) -> None:
    import io

    from pypdf import PdfReader

    case = services.case_open(
        scope=Scope.system(),
        actor=None,
        person=applicant,
        branch=world.cs_branch2,
        applied_on=date(2026, 11, 2),
    )
    services.step_record(
        actor=None,
        scope=Scope.system(),
        case=case,
        code="talk",
        done_on=date(2026, 11, 5),
        resolution="思想端正",
    )
    response = login(secretary2).get(reverse("recruitment:record_pdf", args=[case.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("发展党员工作纪实表", "陈同学", "党组织派人谈话", "2026-11-05", "思想端正", "材料归档"):
        assert expected in text, expected
    assert login(member_user).get(reverse("recruitment:record_pdf", args=[case.pk])).status_code == 404


def test_extending_probation_from_the_page_and_outsiders(
    world, login, college_organizer, outsider_organizer, secretary2
) -> None:
    from dangjian.core.models import Membership
    from dangjian.recruitment.models import Case

    p = f.member(world.cs_branch2, "预备乙", full=False, joined_on=date(2026, 3, 1))
    case = Case.objects.create(
        person=p, branch=world.cs_branch2, applied_on=date(2023, 3, 1), stage="probationary"
    )
    url = reverse("recruitment:extend", args=[case.pk])
    for user in (outsider_organizer, secretary2):
        assert login(user).post(url, {"months": 6, "reason": "x"}).status_code == 404
    client = login(college_organizer)
    seen = shown_state(client, url)
    assert client.post(url, {"months": 6, "reason": "需继续考察", "expected_status": seen}).status_code == 302
    assert Membership.objects.get(person=p).probation_extended_months == 6


def test_the_committee_above_files_activists_in_a_batch(world, login, college_organizer, secretary2) -> None:
    cases = []
    for i in range(3):
        p = f.person(f"积极分子{i}", organization=world.cs_branch2, birth=date(2002, 1, 1))
        c = services.case_open(
            scope=Scope.system(), actor=None, person=p, branch=world.cs_branch2, applied_on=date(2026, 9, 1)
        )
        services.step_record(actor=None, scope=Scope.system(), case=c, code="talk", done_on=date(2026, 9, 10))
        services.step_record(
            actor=None, scope=Scope.system(), case=c, code="activist", done_on=date(2026, 11, 1)
        )
        cases.append(c)
    assert login(secretary2).get(reverse("recruitment:queue")).status_code == 404
    client = login(college_organizer)
    page = client.get(reverse("recruitment:queue")).content.decode()
    assert "4. 上级党委备案" in page and all(f"积极分子{i}" in page for i in range(3))
    client.post(
        reverse("recruitment:queue") + "?step=activist_filed",
        {
            "case": [c.pk for c in cases[:2]],
            "done_on": "2026-11-10",
            "resolution": "同意备案",
            **{f"expected_status_{c.pk}": state(c) for c in cases},
        },
    )
    assert StepRecord.objects.filter(step__code="activist_filed").count() == 2


def test_to_dos_for_the_branch_and_the_committee_above(world, login, college_organizer, secretary2) -> None:
    from dangjian.accounts.scope import resolve_scope
    from dangjian.workbench.todos import todos_for

    late = f.person("迟谈", organization=world.cs_branch2, birth=date(2002, 1, 1))
    services.case_open(
        scope=Scope.system(), actor=None, person=late, branch=world.cs_branch2, applied_on=date(2026, 1, 5)
    )
    ready = f.person("待备案", organization=world.cs_branch2, birth=date(2002, 1, 1))
    c = services.case_open(
        scope=Scope.system(), actor=None, person=ready, branch=world.cs_branch2, applied_on=date(2026, 9, 1)
    )
    services.step_record(actor=None, scope=Scope.system(), case=c, code="talk", done_on=date(2026, 9, 10))
    services.step_record(actor=None, scope=Scope.system(), case=c, code="activist", done_on=date(2026, 11, 1))
    branch_items = [i for i in todos_for(secretary2, resolve_scope(secretary2)) if i.source == "recruitment"]
    assert [i.count for i in branch_items] == [1] and "未谈话" in branch_items[0].title
    upper_items = [
        i for i in todos_for(college_organizer, resolve_scope(college_organizer)) if i.source == "recruitment"
    ]
    assert any("待上级党委办理" in i.title and i.count == 1 for i in upper_items)


def test_the_board_with_probationers_has_bounded_queries(
    world, login, college_organizer, django_assert_max_num_queries
) -> None:
    from dangjian.recruitment.models import Case, StepDefinition

    steps = list(StepDefinition.objects.filter(number__lte=21))
    for i in range(6):
        p = f.member(world.cs_branch2, f"预备{i}", full=False, joined_on=date(2026, 3, 1))
        case = Case.objects.create(
            person=p, branch=world.cs_branch2, applied_on=date(2023, 3, 1), stage="probationary"
        )
        StepRecord.objects.bulk_create(
            [StepRecord(case=case, step=s, done_on=date(2026, 3, 1)) for s in steps]
        )
    client = login(college_organizer)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("recruitment:board") + f"?org={world.cs.pk}").content.decode()
    assert page.count("22. 提出转正申请") == 6
