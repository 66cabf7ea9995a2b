"""What a service refuses, the dry run reports: each import asks the service's own check
(``membership_admit_problems``, ``position_problems``…) row by row, so a file it accepts is a file the
all-or-nothing commit writes. And the commit is capped (``IMPORT_COMMIT_MAX_ROWS``): a larger file is
refused by the dry run with one message asking to split it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from dangjian.core import services
from dangjian.core.imports_members import MEMBERS
from dangjian.core.imports_orgs import ORGS
from dangjian.core.imports_positions import POSITIONS
from dangjian.core.models import Membership, Organization, OrgKind, Person, Position
from dangjian.jobs.models import Job
from dangjian.recruitment.models import Case
from tests import factories as f
from tests.spreadsheets.test_member_import import member_row
from tests.spreadsheets.test_people_import import row, summary, xlsx

# --- memberships ----------------------------------------------------------------------------------


@pytest.fixture
def send_members(import_file, college_organizer):
    return lambda content, commit=None: import_file(college_organizer, "members", content, commit)


def test_a_full_date_before_the_joining_date_is_a_dry_run_message_and_nothing_is_written(
    world, send_members
) -> None:
    people = [f.person(f"老党员{i}", organization=world.cs_branch) for i in range(3)]
    rows = [member_row(p.staff_number) for p in people]
    rows[2] = member_row(people[2].staff_number, **{"入党日期": "2012-07-01", "转正日期": "2011-07-01"})
    content = xlsx(rows, headers=MEMBERS.headers)
    checked = send_members(content)
    assert summary(checked) == {"新增": 2, "更新": 0, "无变化": 0, "错误": 1}
    assert checked.row_errors == ["第 4 行 转正日期: 转正日期不能早于入党日期。"]
    assert checked.result["can_commit"] is False
    done = send_members(content, commit="all")
    assert "未导入任何数据" in done.result["message"]
    assert not Membership.objects.filter(person__in=people).exists()


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"党员类别": "预备党员", "转正日期": "2011-07-01"}, "第 2 行 转正日期: 预备党员没有转正日期。"),
        (
            {"入党日期": "1995-07-01", "转正日期": "1996-07-01"},  # born 1980-05-17: 15 at joining
            "第 2 行 入党日期: 入党时年龄不足18岁，请核对入党日期或出生日期。",
        ),
        ({"转正日期": ""}, "第 2 行 转正日期: 正式党员请填写转正日期。"),
    ],
)
def test_the_rules_of_membership_admit_existing_are_dry_run_messages(
    world, send_members, over, message
) -> None:
    person = f.person("老党员", organization=world.cs_branch)
    checked = send_members(xlsx([member_row(person.staff_number, **over)], headers=MEMBERS.headers))
    assert checked.row_errors == [message]
    assert checked.result["can_commit"] is False


def test_a_refusal_at_commit_ends_with_one_full_stop(world, send_members, monkeypatch) -> None:
    people = [f.person(f"老党员{i}", organization=world.cs_branch) for i in range(2)]
    content = xlsx([member_row(p.staff_number) for p in people], headers=MEMBERS.headers)
    assert send_members(content).result["can_commit"]

    def refuse(**kwargs: Any) -> Membership:
        raise ValidationError({"full_on": "转正日期不能早于入党日期。"})

    monkeypatch.setattr(services, "membership_admit_existing", refuse)
    done = send_members(content, commit="all")
    assert done.result["message"] == "第 2 行 转正日期不能早于入党日期。未导入任何数据。"
    assert not Membership.objects.filter(person__in=people).exists()


# --- positions ------------------------------------------------------------------------------------


@pytest.fixture
def send_positions(import_file, college_organizer):
    return lambda content, commit=None: import_file(college_organizer, "positions", content, commit)


def _position_rows(*rows: tuple[str, str, str]) -> bytes:
    return xlsx([[staff, org, title, "2024-09-01"] for staff, org, title in rows], headers=POSITIONS.headers)


def test_a_post_for_someone_who_is_not_a_member_is_a_dry_run_message(world, send_positions) -> None:
    outsider = f.person("群众", organization=world.cs_branch)
    content = _position_rows(
        (world.member.staff_number, "CS-T1", "组织委员"), (outsider.staff_number, "CS-T1", "宣传委员")
    )
    checked = send_positions(content)
    assert checked.row_errors == ["第 3 行 “群众”不是在册党员，不能担任党内职务。"]
    assert checked.result["can_commit"] is False
    send_positions(content, commit="all")
    assert not Position.objects.filter(title__in=["organization", "propaganda"]).exists()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((("member", "CS-T1", "党小组长"),), "第 2 行 党小组长只能在党小组任职。"),
        ((("member", "CS-T1-G1", "组织委员"),), "第 2 行 党小组只设党小组长。"),
        (
            (("other_branch", "CS-T1", "组织委员"),),
            "第 2 行 “赵敏”的组织关系不在本支部，不能担任本支部职务。",
        ),
        ((("member", "CS-T1", "书记"),), "第 2 行 该组织已有在任的书记，请先免去原职务。"),
        ((("secretary", "CS-T1", "组织委员"),), "第 2 行 “王建国”已在该组织任职。"),
    ],
)
def test_the_rules_of_position_assign_are_dry_run_messages(world, send_positions, rows, message) -> None:
    people = {
        "member": world.member,
        "secretary": world.secretary,
        "other_branch": f.member(world.cs_branch2, "赵敏"),
    }
    content = _position_rows(*((people[who].staff_number, org, title) for who, org, title in rows))
    checked = send_positions(content)
    assert checked.row_errors == [message]
    assert checked.result["can_commit"] is False


def test_two_rows_of_one_file_may_not_take_the_same_single_post_nor_two_posts_of_one_person(
    world, send_positions
) -> None:
    others = [f.member(world.cs_branch, f"党员{i}") for i in range(2)]
    content = _position_rows(
        (others[0].staff_number, "CS-T1-G1", "党小组长"),
        (others[1].staff_number, "CS-T1-G1", "党小组长"),
        (world.member.staff_number, "CS-T1", "组织委员"),
        (world.member.staff_number, "CS-T1", "宣传委员"),
    )
    checked = send_positions(content)
    assert checked.row_errors == [
        f"第 3 行 本文件中已有该组织的党小组长(工号/学号“{others[0].staff_number}”)，"
        "一个组织只能有一名在任党小组长",
        "第 5 行 本文件中“李晓红”已在该组织任组织委员，同一人在一个组织只能任一职",
    ]
    assert summary(checked)["新增"] == 2 and checked.result["can_commit"] is False


def test_a_held_post_imported_again_is_unchanged_not_refused(world, send_positions) -> None:
    content = _position_rows((world.member.staff_number, "CS-T1", "组织委员"))
    send_positions(content, commit="all")
    checked = send_positions(content)
    assert summary(checked)["无变化"] == 1 and not checked.row_errors


# --- people and organizations ---------------------------------------------------------------------


def test_moving_a_member_to_another_branch_by_import_is_a_dry_run_message(world, upload) -> None:
    member = world.member
    values = {
        "姓名": member.name,
        "工号/学号": member.staff_number,
        "身份证号码": "",
        "出生日期": member.birth_date.isoformat(),
        "性别": member.get_gender_display(),
        "所在党支部代码": "CS-S1",
    }
    checked = upload(xlsx([row(1, **values)]))
    assert checked.row_errors == ["第 2 行 党员的组织关系变动须办理组织关系转接，不能直接修改所在党组织。"]
    assert checked.result["can_commit"] is False


def test_a_kind_the_children_do_not_fit_is_a_dry_run_message(world, import_file, school_admin) -> None:
    values = {h: "" for h in ORGS.headers}
    values.update(
        {"组织代码": "CS-T1", "组织全称": "计算机学院教工党总支", "组织类型": "党总支", "上级组织代码": "CS"}
    )
    content = xlsx([[values[h] for h in ORGS.headers]], headers=ORGS.headers)
    checked = import_file(school_admin, "orgs", content)
    assert checked.row_errors == ["第 2 行 该组织下有党小组，不能改为党总支。"]
    import_file(school_admin, "orgs", content, commit="all")
    assert Organization.objects.get(code="CS-T1").kind == OrgKind.BRANCH


# --- recruitment cases ----------------------------------------------------------------------------


def test_a_case_made_full_before_the_probation_ends_is_a_dry_run_message(
    world, login, college_organizer, django_capture_on_commit_callbacks
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.recruitment.test_excel import PROBATIONER_STEPS, _headers, _row

    person = f.person("预备丙", organization=world.cs_branch2, birth=date(2001, 1, 1), staff_number="2023003")
    # 支部大会 on 2026-03-01: the probation ends 2027-03-01, after today, though 转正 is dated before.
    steps = [*PROBATIONER_STEPS[:13], "2026-03-01", "2026-03-10", "2026-03-20"]
    steps += [
        "2026-03-25",
        "2026-04-01",
        "2026-04-10",
        "2026-05-01",
        "2026-06-01",
        "2026-06-10",
        "2026-07-01",
    ]
    content = xlsx([_row("2023003", "预备丙", "2023-03-01", *steps)], headers=_headers())
    client = login(college_organizer)
    with (
        time_machine.travel(date(2026, 11, 20), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(reverse("recruitment:import"), {"file": SimpleUploadedFile("cases.xlsx", content)})
    checked = Job.objects.latest("id")
    assert (
        "第 2 行 24.上级党委审批转正: 转正日期按预备期满计算为 2027-03-01，晚于今天："
        "请核对“支部大会讨论接收”的日期" in checked.row_errors
    ), checked.row_errors
    assert checked.result["can_commit"] is False
    assert not Case.objects.filter(person=person).exists()


# --- the size of one commit -----------------------------------------------------------------------


def people_rows(count: int) -> bytes:
    return xlsx([row(n, number="", birth="1990-01-01") for n in range(1, count + 1)])


def test_a_file_with_more_rows_to_write_than_one_commit_takes_is_refused_by_the_dry_run(
    world, upload, settings
) -> None:
    settings.IMPORT_COMMIT_MAX_ROWS = 3
    checked = upload(people_rows(4))
    assert summary(checked) == {"新增": 4, "更新": 0, "无变化": 0, "错误": 0}
    assert "超过单次导入的上限 3 行" in checked.result["message"]
    assert "拆分" in checked.result["message"]
    assert checked.result["can_commit"] is False and checked.result["can_commit_valid"] is False
    assert checked.row_errors == []  # one message, not one per row
    done = upload.commit(checked)  # posted anyway: the commit refuses too
    assert done.result["message"].startswith("本文件有 4 行要写入，超过单次导入的上限 3 行")
    assert "。。" not in done.result["message"] and summary(done)["已新增"] == 0
    assert not Person.objects.filter(staff_number__startswith="IMP").exists()


def test_a_file_at_the_commit_limit_is_written(world, upload, settings) -> None:
    settings.IMPORT_COMMIT_MAX_ROWS = 3
    checked = upload(people_rows(3))
    assert checked.result["can_commit"] is True
    done = upload.commit(checked)
    assert done.result["message"] == "导入完成。"
    assert Person.objects.filter(staff_number__startswith="IMP").count() == 3
