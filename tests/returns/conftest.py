from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from dangjian.accounts.scope import Scope
from dangjian.returns import services
from dangjian.returns.models import FieldType, Return, RowsPer

TODAY = date(2026, 11, 20)
SYSTEM = Scope.system()


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-20 10:00:00+08:00", tick=False):
        yield


@pytest.fixture
def draft(world, college_organizer) -> Return:
    """A table of 计算机学院党委 with a number with bounds, two parts and their sum, a choice, a date."""
    ret = services.return_create(
        actor=college_organizer,
        scope=SYSTEM,
        designer=world.cs,
        title="党员教育情况",
        deadline=TODAY + timedelta(days=5),
        today=TODAY,
    )
    services.field_add(
        actor=None,
        scope=SYSTEM,
        ret=ret,
        label="党员人数",
        type=FieldType.NUMBER,
        required=True,
        max_value=Decimal(100),
    )
    services.field_add(actor=None, scope=SYSTEM, ret=ret, label="男", type=FieldType.NUMBER, required=True)
    services.field_add(actor=None, scope=SYSTEM, ret=ret, label="女", type=FieldType.NUMBER, required=True)
    services.field_add(
        actor=None, scope=SYSTEM, ret=ret, label="合计", type=FieldType.NUMBER, sum_of=["f2", "f3"]
    )
    services.field_add(
        actor=None, scope=SYSTEM, ret=ret, label="形式", type=FieldType.CHOICE, choices=["党课", "轮训"]
    )
    services.field_add(actor=None, scope=SYSTEM, ret=ret, label="日期", type=FieldType.DATE)
    return ret


@pytest.fixture
def opened(world, draft, college_organizer) -> Return:
    services.return_open(
        actor=college_organizer,
        scope=SYSTEM,
        ret=draft,
        organizations=[world.cs_branch, world.cs_branch2],
        expected_status="draft",
        today=TODAY,
    )
    draft.refresh_from_db()
    return draft


def good_values(row_id: int) -> dict[int, dict[str, str]]:
    return {row_id: {"f1": "10", "f2": "6", "f3": "4", "f4": "10", "f5": "党课", "f6": "2026-11-01"}}


__all__ = ["SYSTEM", "TODAY", "RowsPer", "good_values"]
