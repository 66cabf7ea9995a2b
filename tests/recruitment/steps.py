"""Build cases up to a step for the recruitment tests (through the real services)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dangjian.accounts.scope import Scope
from dangjian.recruitment import services
from dangjian.recruitment.models import Case

VOTES = {"entitled": 20, "present": 15, "yes": 14, "no": 1, "abstain": 0}

# code, days after the previous step, data
PATH: list[tuple[str, int, dict[str, Any]]] = [
    ("talk", 10, {}),
    ("activist", 30, {}),
    ("activist_filed", 5, {}),
    ("contacts", 1, {"contacts": ["甲", "乙"]}),
    ("evaluation", 180, {}),
    ("candidate", 190, {}),
    ("candidate_filed", 20, {}),
    ("introducers", 1, {"introducers": ["甲", "乙"]}),
    ("political_review", 10, {}),
    ("training", 5, {"days": 3, "hours": 24}),
    ("committee_review", 5, {}),
    ("prereview", 5, {}),
    ("application_form", 2, {}),
    ("branch_meeting", 10, VOTES),
    ("upper_talk", 5, {}),
    ("approval", 10, {}),
    ("approval_filed", 5, {}),
    ("assign_group", 1, {}),
]


def advance(case: Case, upto: str, *, today: date, start: date | None = None) -> date:
    """Record the steps after ``apply`` up to and including ``upto``; returns the last date."""
    day = start or case.applied_on
    for code, gap, data in PATH:
        day = day + timedelta(days=gap)
        extra = dict(data)
        if code == "candidate_filed":  # 公示 of a full working week just before
            monday = day - timedelta(days=day.weekday() + 7)
            extra = {
                "publicity_start": monday.isoformat(),
                "publicity_end": (monday + timedelta(4)).isoformat(),
            }
        services.step_record(
            actor=None, scope=Scope.system(), case=case, code=code, done_on=day, data=extra, today=today
        )
        if code == upto:
            return day
    raise AssertionError(upto)


def state(case: Case) -> str:
    """The case's state as a page or API client reads it now (sent back as ``expected_status``)."""
    return services.case_state(Case.objects.select_related("person").get(pk=case.pk))


def shown_state(client: Any, url: str) -> str:
    """The ``expected_status`` a form page carries (what the user's browser posts back)."""
    import re

    page = client.get(url).content.decode()
    found = re.search(r'name="expected_status" value="([^"]*)"', page) or re.search(
        r'value="([^"]*)" name="expected_status"', page
    )
    assert found, "the form carries no expected_status"
    return found.group(1)
