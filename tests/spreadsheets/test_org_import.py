"""Importing organizations: parents in scope or earlier rows, kind rules, updates by code."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangjian.core.imports_orgs import ORGS
from dangjian.core.models import Organization
from tests.spreadsheets.test_people_import import xlsx

HEADERS = ORGS.headers


def org_row(code: str, name: str, kind: str, parent: str, **over: object) -> list[object]:
    values = {
        "组织代码": code,
        "组织全称": name,
        "简称": "",
        "组织类型": kind,
        "组织类别": "教工",
        "上级组织代码": parent,
        "所在单位": "计算机学院",
        "联系电话": "",
        "成立日期": "2026-01-05",
        "本届开始日期": "2026年1月5日",
        "任期(年)": "",
    }
    values.update(over)
    return [values[h] for h in HEADERS]


@pytest.fixture
def upload_orgs(import_file):
    return lambda user, content, commit=None: import_file(user, "orgs", content, commit)


def test_branch_and_its_group_from_one_file(world, college_organizer, upload_orgs) -> None:
    content = xlsx(
        [
            org_row("CS-T9", "计算机学院教工第九党支部", "党支部", "CS"),
            org_row("CS-T9-G1", "第一党小组", "党小组", "CS-T9"),
        ],
        headers=HEADERS,
    )
    checked = upload_orgs(college_organizer, content)
    assert dict(checked.result["summary"])["新增"] == 2, checked.row_errors
    assert not Organization.objects.filter(code="CS-T9").exists()
    upload_orgs(college_organizer, content, commit="all")
    group = Organization.objects.get(code="CS-T9-G1")
    assert group.path.startswith(Organization.objects.get(code="CS-T9").path)
    again = upload_orgs(college_organizer, content)
    assert dict(again.result["summary"])["无变化"] == 2


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (org_row("CS-X", "错误", "党小组", "CS"), "党委之下不能设立党小组"),
        (org_row("CS-X", "错误", "党支部", "FL"), "“FL”不在您的管理范围内"),
        (org_row("CS-X", "错误", "党支部", "NOPE"), "“NOPE”不存在"),
        (org_row("FL-T1", "外国语", "党支部", "CS"), "已被您管理范围以外的组织使用"),
        (
            org_row("CS-T1", "计算机学院教工第一党支部", "党支部", "CS", **{"任期(年)": "20"}),
            "应为 1 到 10 的整数",
        ),
    ],
)
def test_bad_rows(world, college_organizer, upload_orgs, row, message) -> None:
    checked = upload_orgs(college_organizer, xlsx([row], headers=HEADERS))
    assert any(message in line for line in checked.row_errors), checked.row_errors


def test_update_by_code_and_moves_refused(world, college_organizer, school_admin, upload_orgs) -> None:
    rename = org_row("CS-T1", "计算机学院教工党支部", "党支部", "CS", **{"本届开始日期": "2024-09-01"})
    upload_orgs(college_organizer, xlsx([rename], headers=HEADERS), commit="all")
    assert Organization.objects.get(code="CS-T1").name == "计算机学院教工党支部"
    move = org_row("CS-T1", "计算机学院教工党支部", "党支部", "SCHOOL")
    checked = upload_orgs(school_admin, xlsx([move], headers=HEADERS))
    assert any("调整隶属" in line for line in checked.row_errors)


def test_branch_secretary_cannot_import_orgs(world, login, branch_secretary) -> None:
    client = login(branch_secretary)
    assert client.get(reverse("core:import", args=["orgs"])).status_code == 404
    assert client.get(reverse("core:import_template", args=["orgs"])).status_code == 404
    assert client.get(reverse("core:import", args=["nothing"])).status_code == 404
