"""Records written in bulk without history rows (the province data set) count as loaded records."""

from __future__ import annotations

from datetime import date

from dangjian.accounts.scope import Scope
from dangjian.core.models import Membership, Organization, OrgKind, Person
from dangjian.reporting.models import OrgFigures
from dangjian.reporting.services import snapshot_compute
from tests import factories as f


def test_records_without_history_count_rolled_back_by_their_dates(db) -> None:
    school = f.org(None, OrgKind.COMMITTEE, "学校党委", code="S")
    branch = f.org(school, OrgKind.BRANCH, "支部", code="B")
    f.member(branch, "老党员", joined_on=date(2010, 1, 1), full_on=date(2011, 1, 1))
    f.member(branch, "新党员", full=False, joined_on=date(2026, 3, 1), full_on=None)
    for model in (Organization, Person, Membership):
        model.history.all().delete()  # type: ignore[attr-defined]

    last = snapshot_compute(on=date(2025, 12, 31), actor=None, scope=Scope.system())
    this = snapshot_compute(on=date(2026, 6, 30), actor=None, scope=Scope.system())

    assert OrgFigures.objects.get(snapshot=last, organization=school).subtree["members_total"] == 1
    figures = OrgFigures.objects.get(snapshot=this, organization=school).subtree
    assert (figures["opening"], figures["inc_recruited"], figures["members_total"]) == (1, 1, 2)
    assert figures["org_branch"] == 1
