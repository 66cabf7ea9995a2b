"""Dues fixtures: standards for the computer-science branch members, bills from 2026-09 to 2026-11."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from dangjian.accounts.scope import Scope
from dangjian.core.models import Membership
from dangjian.dues import services
from dangjian.dues.billing import bills_generate

TODAY = date(2026, 11, 15)


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


@pytest.fixture
def billed(world, today):
    """Every member of both colleges has a standard from 2026-09; bills for 2026-09..11 exist."""
    for m in Membership.objects.select_related("person"):
        services.assessment_set(
            actor=None,
            scope=Scope.system(),
            person=m.person,
            from_month=date(2026, 9, 1),
            category="employee",
            base=Decimal("5100"),
        )
    for month in (date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)):
        bills_generate(month)
    return world
