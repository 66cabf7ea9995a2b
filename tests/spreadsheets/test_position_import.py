"""Importing current Party posts: through position_assign, with its rules; idempotent."""

from __future__ import annotations

import pytest

from dangjian.core.imports_positions import POSITIONS
from dangjian.core.models import Position
from tests.spreadsheets.test_people_import import xlsx

HEADERS = POSITIONS.headers


def pos_row(staff: str, org: str, title: str, started: str = "2024-09-01") -> list[object]:
    return [staff, org, title, started]


@pytest.fixture
def send(import_file, college_organizer):
    return lambda content, commit=None: import_file(college_organizer, "positions", content, commit)


def test_committee_members_imported_once(world, send) -> None:
    content = xlsx([pos_row(world.member.staff_number, "CS-T1", "组织委员")], headers=HEADERS)
    send(content, commit="all")
    assert (
        Position.objects.filter(person=world.member, title="organization", ended_on__isnull=True).count() == 1
    )
    assert dict(send(content).result["summary"])["无变化"] == 1


def test_rules_of_position_assign_apply(world, send) -> None:
    content = xlsx([pos_row(world.member.staff_number, "CS-T1", "书记")], headers=HEADERS)
    done = send(content, commit="valid_only")
    assert any("已有在任的书记" in line for line in done.row_errors), done.row_errors


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (pos_row("NOBODY", "CS-T1", "委员"), "不在您管理范围内的人员中"),
        (pos_row("X", "FL-T1", "委员"), "“FL-T1”不存在或不在您的管理范围内"),
    ],
)
def test_bad_rows(world, send, row, message) -> None:
    checked = send(xlsx([row], headers=HEADERS))
    assert any(message in line for line in checked.row_errors), checked.row_errors


def test_duplicate_rows_by_composite_key(world, send) -> None:
    row = pos_row(world.member.staff_number, "CS-T1", "委员")
    checked = send(xlsx([row, row], headers=HEADERS))
    assert any("与第 2 行重复" in line for line in checked.row_errors)
