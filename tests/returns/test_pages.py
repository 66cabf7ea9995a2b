from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.audit.models import AuditEvent
from dangjian.core.models import OrgKind
from dangjian.returns import services
from dangjian.returns.models import Assignment, AssignmentStatus, Return, ReturnField, ReturnStatus, Row
from tests import factories as f
from tests.returns.conftest import SYSTEM, TODAY, good_values

pytestmark = pytest.mark.django_db


def _assignment(ret, org) -> Assignment:
    return Assignment.objects.get(ret=ret, organization=org)


def _submit(world, ret) -> Assignment:
    assignment = _assignment(ret, world.cs_branch)
    row = Row.objects.get(assignment=assignment)
    services.assignment_fill(
        actor=None,
        scope=SYSTEM,
        assignment=assignment,
        values=good_values(row.pk),
        expected_status="not_started",
        submit=True,
    )
    assignment.refresh_from_db()
    return assignment


def test_design_a_table_open_it_and_see_the_status(world, college_organizer, login) -> None:
    client = login(college_organizer)
    response = client.post(
        reverse("returns:new"),
        {"designer": world.cs.pk, "title": "学习情况", "rows_per": "org", "deadline": "2026-11-30"},
    )
    ret = Return.objects.get(title="学习情况")
    assert response.status_code == 302
    client.post(
        reverse("returns:field_add", args=[ret.pk]), {"label": "人数", "type": "number", "required": "on"}
    )
    assert ReturnField.objects.filter(ret=ret).count() == 1
    response = client.post(
        reverse("returns:open", args=[ret.pk]), {"targets": "branches", "expected_status": "draft"}
    )
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.OPEN
    assert set(Assignment.objects.filter(ret=ret).values_list("organization", flat=True)) == {
        world.cs_branch.pk,
        world.cs_branch2.pk,
    }
    page = client.get(reverse("returns:detail", args=[ret.pk]))
    assert page.status_code == 200
    assert "计算机学院教工第一党支部" in page.content.decode()


def test_deadline_in_the_past_is_a_form_error(world, college_organizer, login) -> None:
    response = login(college_organizer).post(
        reverse("returns:new"),
        {"designer": world.cs.pk, "title": "学习情况", "rows_per": "org", "deadline": "2026-11-19"},
    )
    assert response.status_code == 200
    assert "截止日期不能早于今天" in response.content.decode()
    assert not Return.objects.exists()


def test_fill_submit_shows_errors_naming_the_cell(world, opened, branch_secretary, login) -> None:
    assignment = _assignment(opened, world.cs_branch)
    row = Row.objects.get(assignment=assignment)
    client = login(branch_secretary)
    url = reverse("returns:fill", args=[assignment.pk])
    assert client.get(url).status_code == 200
    data = {f"r{row.pk}_{k}": v for k, v in good_values(row.pk)[row.pk].items()}
    data.update({f"r{row.pk}_f4": "12", "submit": "1", "expected_status": "not_started"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert (
        "第 1 行（计算机学院教工第一党支部）“合计”应等于“男”、“女”之和 10，现为 12"
        in response.content.decode()
    )
    data[f"r{row.pk}_f4"] = "10"
    assert client.post(url, data).status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED
    # the same page posted again (a double tap) is stale: 409, one submission
    assert client.post(url, data).status_code == 409
    assert AuditEvent.objects.filter(action="returns.submit").count() == 1
    page = client.get(url).content.decode()
    assert 'name="submit"' not in page  # read-only once submitted


def test_return_and_accept_from_the_status_page(world, opened, college_organizer, login) -> None:
    assignment = _submit(world, opened)
    client = login(college_organizer)
    response = client.post(
        reverse("returns:return", args=[assignment.pk]),
        {"reason": "数字不对", "expected_status": "submitted"},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.RETURNED and assignment.returned_reason == "数字不对"


def test_export_has_a_row_per_org_and_a_totals_row(world, opened, college_organizer, login) -> None:
    _submit(world, opened)
    response = login(college_organizer).get(reverse("returns:export", args=[opened.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("组织", "状态", "党员人数")
    assert rows[1][0] == "计算机学院教工第一党支部" and rows[1][2] == 10
    assert rows[-1][0] == "合计" and rows[-1][2] == 10
    assert AuditEvent.objects.filter(action="returns.export").exists()


def _endpoints(ret, assignment, field_id):
    return [
        ("get", reverse("returns:detail", args=[ret.pk])),
        ("get", reverse("returns:edit", args=[ret.pk])),
        ("post", reverse("returns:edit", args=[ret.pk])),
        ("post", reverse("returns:field_add", args=[ret.pk])),
        ("post", reverse("returns:field_remove", args=[field_id])),
        ("post", reverse("returns:open", args=[ret.pk])),
        ("post", reverse("returns:close", args=[ret.pk])),
        ("post", reverse("returns:remind", args=[ret.pk])),
        ("get", reverse("returns:export", args=[ret.pk])),
        ("get", reverse("returns:fill", args=[assignment.pk])),
        ("post", reverse("returns:fill", args=[assignment.pk])),
        ("post", reverse("returns:return", args=[assignment.pk])),
        ("post", reverse("returns:accept", args=[assignment.pk])),
        ("post", reverse("returns:remind_one", args=[assignment.pk])),
        ("get", reverse("returns:field_add", args=[ret.pk])),
        ("get", reverse("returns:open", args=[ret.pk])),
        ("post", reverse("returns:lock", args=[ret.pk])),
        ("get", reverse("returns:reopen", args=[ret.pk])),
        ("post", reverse("returns:reopen", args=[ret.pk])),
        ("get", reverse("returns:compare", args=[assignment.pk])),
        ("get", reverse("returns:annual_new")),
        ("post", reverse("returns:annual_new")),
        ("get", f"/api/v1/returns/{ret.pk}"),
    ]


def test_outsider_gets_404_everywhere_and_nothing_changes(world, opened, outsider_organizer, login) -> None:
    assignment = _submit(world, opened)
    field = ReturnField.objects.filter(ret=opened).first()
    client = login(outsider_organizer)
    before = AuditEvent.objects.count()
    for method, url in _endpoints(opened, assignment, field.pk):
        data = {"expected_status": "submitted", "reason": "x", "submit": "1", "label": "x", "type": "text"}
        response = getattr(client, method)(url, data) if method == "post" else client.get(url)
        assert response.status_code == 404, (method, url, response.status_code)
    assert AuditEvent.objects.count() == before
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED
    assert client.get("/api/v1/returns").json()["items"] == []


def test_member_without_role_gets_404(world, opened, member_user, login) -> None:
    assert login(member_user).get(reverse("returns:list")).status_code == 404


def test_api_lists_and_details_in_scope(world, opened, branch_secretary, college_organizer, login) -> None:
    items = login(branch_secretary).get("/api/v1/returns").json()["items"]
    assert [i["id"] for i in items] == [opened.pk]
    detail = login(branch_secretary).get(f"/api/v1/returns/{opened.pk}").json()
    assert [a["organization_id"] for a in detail["organizations"]] == [world.cs_branch.pk]
    detail = login(college_organizer).get(f"/api/v1/returns/{opened.pk}").json()
    assert len(detail["organizations"]) == 2
    assert detail["organizations"][0]["status"] == "not_started"


def test_school_status_page_queries_do_not_grow_with_organizations(
    world, school_admin, login, django_assert_max_num_queries
) -> None:
    for n in range(30):
        f.org(world.cs, OrgKind.BRANCH, f"支部{n}", code=f"CS-X{n}")
    ret = services.return_create(
        actor=None, scope=SYSTEM, designer=world.school, title="全校", deadline=TODAY
    )
    services.field_add(actor=None, scope=SYSTEM, ret=ret, label="人数", type="number")
    orgs = services.selectors.targets_of(world.school).all
    services.return_open(actor=None, scope=SYSTEM, ret=ret, organizations=orgs, expected_status="draft")
    client = login(school_admin)
    client.get(reverse("returns:list"))
    with django_assert_max_num_queries(15):
        assert client.get(reverse("returns:detail", args=[ret.pk])).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("returns:list")).status_code == 200


def test_secretary_list_queries_are_pinned(
    world, opened, branch_secretary, login, django_assert_max_num_queries
) -> None:
    client = login(branch_secretary)
    client.get(reverse("returns:list"))
    with django_assert_max_num_queries(15):
        page = client.get(reverse("returns:list"))
    assert "党员教育情况" in page.content.decode()


def test_uploaded_file_is_downloaded_in_scope_only(
    world, branch_secretary, outsider_organizer, login
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    ret = services.return_create(
        actor=None, scope=SYSTEM, designer=world.cs, title="附件", deadline=TODAY, today=TODAY
    )
    services.field_add(actor=None, scope=SYSTEM, ret=ret, label="扫描件", type="file")
    services.return_open(
        actor=None,
        scope=SYSTEM,
        ret=ret,
        organizations=[world.cs_branch],
        expected_status="draft",
        today=TODAY,
    )
    assignment = _assignment(ret, world.cs_branch)
    row = Row.objects.get(assignment=assignment)
    response = login(branch_secretary).post(
        reverse("returns:fill", args=[assignment.pk]),
        {f"r{row.pk}_f1": SimpleUploadedFile("通知.pdf", b"%PDF-1.4 x"), "expected_status": "not_started"},
    )
    assert response.status_code == 302
    item = row.files.get()
    assert login(branch_secretary).get(reverse("returns:file", args=[item.pk])).status_code == 200
    assert login(outsider_organizer).get(reverse("returns:file", args=[item.pk])).status_code == 404
