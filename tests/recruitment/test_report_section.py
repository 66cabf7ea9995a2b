"""发展党员's section of the 体检报告: the open cases of the organization by stage, the applications of the
period and the overdue ones — five queries, nothing drawn where there is no case."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.recruitment.models import Case
from dangjian.recruitment.report_section import funnel_section
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 29)


def test_the_funnel_counts_open_cases_by_stage_in_the_subtree(world, django_assert_max_num_queries) -> None:
    for n, stage in enumerate(["applicant", "applicant", "activist", "candidate"]):
        person = f.person(f"申请人{n}", organization=world.cs_branch)
        Case.objects.create(
            person=person, branch=world.cs_branch, stage=stage, applied_on=date(2026, 3, n + 1)
        )
    closed = f.person("已终止", organization=world.cs_branch)
    Case.objects.create(person=closed, branch=world.cs_branch, status="closed", applied_on=date(2026, 3, 9))
    other = f.person("外院申请人", organization=world.fl_branch)
    Case.objects.create(person=other, branch=world.fl_branch, applied_on=date(2026, 3, 1))
    with django_assert_max_num_queries(5):
        section = funnel_section(world.cs, date(2026, 1, 1), date(2026, 12, 31), TODAY)
    assert section is not None
    assert [(str(label), n) for label, n, _pct in section["stages"]] == [
        ("入党申请人", 2),
        ("入党积极分子", 1),
        ("发展对象", 1),
        ("预备党员", 0),
    ]
    assert section["applied"] == 5  # the closed case applied in the period too
    assert section["stages"][0][2] == 100  # the widest bar


def test_no_case_no_section(world) -> None:
    assert funnel_section(world.fl, date(2026, 1, 1), date(2026, 12, 31), TODAY) is None
