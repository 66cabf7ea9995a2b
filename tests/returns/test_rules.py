from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest

from dangjian.returns import rules


@dataclass
class F:
    key: str
    label: str
    type: str = "number"
    required: bool = True
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    choices: list[str] = field(default_factory=list)
    sum_of: list[str] = field(default_factory=list)


BOUNDED = F("n", "人数", min_value=Decimal(1), max_value=Decimal(100))


@pytest.mark.parametrize(
    ("spec", "raw", "problem"),
    [
        (F("n", "人数"), "", "必须填写"),
        (F("n", "人数", required=False), "", None),
        (F("n", "人数"), "十二", "应填写数字"),
        (F("n", "人数"), "12a", "应填写数字"),
        (F("n", "人数"), "-1", "不能为负数"),
        (F("n", "人数"), "0", None),
        (F("n", "人数"), "1,200", None),
        (BOUNDED, "0", "不能小于 1"),
        (BOUNDED, "1", None),
        (BOUNDED, "100", None),
        (BOUNDED, "100.01", "不能大于 100"),
        (F("n", "温度", min_value=Decimal(-5)), "-5", None),
        (F("n", "温度", min_value=Decimal(-5)), "-6", "不能小于 -5"),
        (F("c", "形式", type="choice", choices=["党课", "轮训"]), "党课", None),
        (F("c", "形式", type="choice", choices=["党课", "轮训"]), "讲座", "应从选项中选择"),
        (F("d", "日期", type="date"), "2026-02-30", "应填写日期（如 2026-01-31）"),
        (F("d", "日期", type="date"), "2026-02-28", None),
        (F("t", "说明", type="text"), "字" * 501, "不能超过 500 个字"),
        (F("t", "说明", type="text"), "字" * 500, None),
        (F("f", "附件", type="file"), "", "请上传文件"),
    ],
)
def test_cell_problem_boundaries(spec, raw, problem) -> None:
    assert rules.cell_problem(spec, raw) == problem


def test_every_message_names_the_row_and_the_field() -> None:
    errors = rules.row_errors([F("n", "人数")], {"n": "abc"}, row_number=3, row_label="张三")
    assert [e.message for e in errors] == ["第 3 行（张三）“人数”应填写数字"]


def test_sum_mismatch_names_the_total_and_its_parts() -> None:
    fields = [F("a", "男"), F("b", "女"), F("t", "合计", sum_of=["a", "b"])]
    errors = rules.row_errors(fields, {"a": "6", "b": "4", "t": "11"}, row_number=1, row_label="第一支部")
    assert [e.message for e in errors] == ["第 1 行（第一支部）“合计”应等于“男”、“女”之和 10，现为 11"]
    assert rules.row_errors(fields, {"a": "6", "b": "4", "t": "10"}, row_number=1, row_label="x") == []


def test_sum_is_not_checked_when_a_part_is_already_wrong() -> None:
    fields = [F("a", "男"), F("b", "女"), F("t", "合计", sum_of=["a", "b"])]
    errors = rules.row_errors(fields, {"a": "x", "b": "4", "t": "11"}, row_number=1, row_label="x")
    assert [e.key for e in errors] == ["a"]


@pytest.mark.parametrize(
    ("deadline", "problem"),
    [(date(2026, 11, 19), "截止日期不能早于今天"), (date(2026, 11, 20), None), (None, "请填写截止日期")],
)
def test_deadline_not_in_the_past(deadline, problem) -> None:
    assert rules.deadline_problem(deadline, date(2026, 11, 20)) == problem


@pytest.mark.parametrize(("submitted", "late"), [(date(2026, 11, 25), False), (date(2026, 11, 26), True)])
def test_late_is_after_the_deadline_day(submitted, late) -> None:
    assert rules.is_late(submitted, date(2026, 11, 25)) is late
