"""Importing membership records of members who joined before the platform."""

from __future__ import annotations

import pytest

from dangjian.core.imports_members import MEMBERS
from dangjian.core.models import Membership
from tests import factories as f
from tests.spreadsheets.test_people_import import xlsx

HEADERS = MEMBERS.headers


def member_row(staff: str, **over: object) -> list[object]:
    values = {
        "工号/学号": staff,
        "组织关系所在党支部代码": "CS-T1",
        "党员类别": "正式党员",
        "入党日期": "2010-07-01",
        "转正日期": "2011-07-01",
        "党员编号": "",
    }
    values.update(over)
    return [values[h] for h in HEADERS]


@pytest.fixture
def send(import_file, college_organizer):
    return lambda content, commit=None: import_file(college_organizer, "members", content, commit)


def test_members_admitted_and_reimport_is_a_no_op(world, send) -> None:
    people = [f.person(f"老党员{i}", organization=world.cs_branch) for i in range(3)]
    content = xlsx([member_row(p.staff_number) for p in people], headers=HEADERS)
    assert dict(send(content).result["summary"])["新增"] == 3
    send(content, commit="all")
    assert Membership.objects.filter(person__in=people, membership_type="full").count() == 3
    for p in people:
        p.refresh_from_db()
        assert p.political_status == "full"
    assert dict(send(content).result["summary"])["无变化"] == 3


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"工号/学号": "NOBODY"}, "不在您管理范围内的人员中"),
        ({"组织关系所在党支部代码": "FL-T1"}, "不在您的管理范围内"),
        ({"转正日期": ""}, "正式党员请填写转正日期"),
        ({"入党日期": "2030-01-01", "转正日期": "2031-01-01"}, "第 2 行 入党日期: 不能晚于今天("),
        ({"转正日期": "2030-01-01"}, "第 2 行 转正日期: 不能晚于今天("),
        ({"党员编号": "M" * 41}, "第 2 行 党员编号: 不能超过 40 个字符(现有 41 个)"),
    ],
)
def test_bad_member_rows_are_caught_by_the_dry_run(world, send, over, message) -> None:
    person = f.person("老党员", organization=world.cs_branch)
    checked = send(xlsx([member_row(person.staff_number, **over)], headers=HEADERS))
    assert any(message in line for line in checked.row_errors), checked.row_errors
    assert checked.result["can_commit"] is False and checked.result["can_commit_valid"] is False
    done = send(xlsx([member_row(person.staff_number, **over)], headers=HEADERS), commit="valid_only")
    assert done.status == "succeeded", done.error_message
    assert dict(done.result["summary"]) == {"已新增": 0, "已更新": 0, "无变化": 0, "未导入": 1}
    assert any(message in line for line in done.row_errors), done.row_errors
    assert not Membership.objects.filter(person=person).exists()


def test_a_membership_number_may_not_repeat_in_the_file_nor_clash_with_a_stored_one(world, send) -> None:
    Membership.objects.filter(person=world.member).update(membership_number="DY-0001")
    people = [f.person(f"老党员{i}", organization=world.cs_branch) for i in range(3)]
    numbers = ["DY-0001", "DY-0002", "DY-0002"]
    checked = send(
        xlsx(
            [member_row(p.staff_number, **{"党员编号": n}) for p, n in zip(people, numbers, strict=True)],
            HEADERS,
        )
    )
    assert any("第 2 行 党员编号: “DY-0001”已被其他记录使用" in line for line in checked.row_errors)
    assert any("第 4 行 党员编号: 与第 3 行重复" in line for line in checked.row_errors), checked.row_errors


def test_existing_different_membership_is_reported(world, send) -> None:
    checked = send(
        xlsx([member_row(world.member.staff_number, **{"入党日期": "2001-01-01"})], headers=HEADERS)
    )
    assert any("已有党员档案且内容不同" in line for line in checked.row_errors)
