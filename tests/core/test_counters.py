"""The counter table (OrgCounts) equals the live aggregates after every service path; the rebuild is
idempotent; the consistency check finds drift and repairs it; the readers built on it (dashboard, tree,
statistics, rule-check digest) answer what the live aggregates answer."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.core import services
from dangjian.core.models import (
    Education,
    Membership,
    MembershipType,
    Organization,
    OrgCounts,
    OrgKind,
    Person,
    PoliticalStatus,
    Position,
    PositionTitle,
    Standing,
)
from dangjian.core.selectors import (
    dashboard_counts,
    dashboard_counts_live,
    org_summaries,
    rule_check_digest,
    rule_check_list,
    subtree_member_counts,
    subtree_stats,
    subtree_stats_live,
)
from dangjian.core.services.counters import counters_drift, counters_rebuild, counters_repair
from dangjian.kit.errors import RuleViolation
from tests import factories as f


def live_subtree_counts(orgs: list[Organization]) -> dict[str, tuple[int, int]]:
    result = {}
    for o in orgs:
        members = Membership.objects.filter(
            organization__path__startswith=o.path,
            standing__in=["normal", "flowing", "abroad", "lost_contact"],
        )
        result[o.path] = (members.count(), members.filter(membership_type=MembershipType.FULL).count())
    return {k: v for k, v in result.items() if v != (0, 0)}


def assert_counters_agree(scope: Scope) -> None:
    """Every reader on the counter table answers what the live aggregate answers."""
    assert counters_drift() == []
    assert dashboard_counts(scope) == dashboard_counts_live(scope)
    orgs = list(Organization.objects.all())
    for org in orgs:
        assert subtree_stats(org) == subtree_stats_live(org), org
    counted = {k: v for k, v in subtree_member_counts(orgs).items() if v != (0, 0)}
    assert counted == live_subtree_counts(orgs)
    scope.memo.clear()
    digest = rule_check_digest(scope)
    live = rule_check_list(scope)
    assert digest.total == len(live)
    assert digest.danger == sum(1 for s in live if s.worst == "danger")
    assert digest.warning == sum(1 for s in live if s.worst == "warning")
    assert [(s.org.pk, s.checks) for s in digest.top] == [(s.org.pk, s.checks) for s in live[:8]]


@pytest.fixture
def admin_scope(world, school_admin) -> Scope:
    return resolve_scope(school_admin)


def test_the_world_built_by_services_is_counted(admin_scope) -> None:
    assert OrgCounts.objects.count() == Organization.objects.count()
    assert_counters_agree(admin_scope)


def test_the_rebuild_is_idempotent_and_equals_the_maintained_rows(admin_scope) -> None:
    def rows() -> list[dict]:
        return list(OrgCounts.objects.order_by("organization_id").values())

    maintained = rows()
    assert counters_rebuild() == Organization.objects.count()
    assert rows() == maintained
    assert counters_rebuild() == Organization.objects.count()
    assert rows() == maintained


def test_the_consistency_check_reports_drift_and_repairs_it(world, admin_scope, capsys) -> None:
    OrgCounts.objects.filter(organization=world.cs_branch).update(members=99, status_full=0)
    OrgCounts.objects.filter(organization=world.fl_branch).delete()
    assert counters_drift() == sorted([world.cs_branch.pk, world.fl_branch.pk])
    with pytest.raises(CommandError):
        call_command("check_consistency")
    assert "counters: 2 organization(s) drifted, repaired" in capsys.readouterr().out
    repair = AuditEvent.objects.get(action="counters.repair")
    assert repair.changes["organizations"] == sorted([world.cs_branch.pk, world.fl_branch.pk])
    call_command("check_consistency")  # repaired: consistent now
    assert_counters_agree(admin_scope)


def test_the_nightly_task_repairs_drift(world) -> None:
    from dangjian.core.tasks import repair_counters

    OrgCounts.objects.filter(organization=world.cs_branch).update(gender_male=0)
    assert repair_counters() == 1
    assert repair_counters() == 0


def test_a_stored_check_outcome_that_expired_is_evaluated_live(world, admin_scope) -> None:
    # The CS branch's term (3 years from 2024-09-01) reaches its reminder months and expiry later: the
    # stored outcome is valid until then; the digest evaluates past it live and the repair renews it.
    row = OrgCounts.objects.get(organization=world.cs_branch)
    assert row.checks_until is not None
    with time_machine.travel(row.checks_until + timedelta(days=1), tick=False):
        assert world.cs_branch.pk in counters_drift()
        assert_digest_live(admin_scope)
        assert world.cs_branch.pk in counters_repair(actor=None)
        assert counters_drift() == []
        assert_digest_live(admin_scope)


def assert_digest_live(scope: Scope) -> None:
    scope.memo.clear()
    digest = rule_check_digest(scope)
    live = rule_check_list(scope)
    assert (digest.total, digest.danger, digest.warning) == (
        len(live),
        sum(1 for s in live if s.worst == "danger"),
        sum(1 for s in live if s.worst == "warning"),
    )
    assert [(s.org.pk, s.checks) for s in digest.top] == [(s.org.pk, s.checks) for s in live[:8]]


def test_an_org_without_a_counter_row_is_checked_live(world, admin_scope) -> None:
    OrgCounts.objects.filter(organization=world.fl).delete()
    assert_digest_live(admin_scope)
    assert world.fl.pk in [s.org.pk for s in org_summaries([world.fl]) if s.checks]


# ---------------------------------------------------------------- every service path, in any order

OPERATIONS = [
    "create_person",
    "update_person",
    "set_status",
    "admit",
    "make_full",
    "standing",
    "move",
    "transfer_out",
    "leave",
    "assign_post",
    "end_post",
    "create_branch",
    "new_term",
    "dissolve",
    "update_org",
]


class Picker:
    """Choices drawn up front as integers (the strategy must not depend on the database's state)."""

    def __init__(self, numbers: list[int]) -> None:
        self.numbers = iter(numbers)

    def __call__(self, values: list) -> Any:
        return values[next(self.numbers, 0) % len(values)]


def _apply(op: str, numbers: list[int], world) -> None:
    branches = list(Organization.objects.filter(kind=OrgKind.BRANCH, is_active=True).order_by("pk"))
    people = list(Person.objects.order_by("pk"))
    memberships = list(Membership.objects.order_by("pk"))
    outside = [p for p in people if not hasattr(p, "membership")] or people  # not (yet) members
    probationary = [m for m in memberships if m.membership_type == MembershipType.PROBATIONARY] or memberships
    choose = Picker(numbers)
    if op == "create_person":
        f.person(
            "新人",
            organization=choose([None, *branches]),
            female=choose([False, True]),
            education=choose(["", *Education.values]),
            ethnicity=choose(["汉族", "回族", ""]),
        )
    elif op == "update_person":
        person = choose(people)
        data = {
            "gender": choose(["male", "female"]),
            "education": choose(["", *Education.values]),
            "ethnicity": choose(["汉族", "壮族"]),
        }
        if not hasattr(person, "membership"):
            data["organization"] = choose([None, *branches])
        services.person_update(actor=None, person=person, **data)
    elif op == "set_status":
        services.person_set_political_status(
            actor=None,
            person=choose(outside),
            status=choose([PoliticalStatus.APPLICANT, PoliticalStatus.ACTIVIST, PoliticalStatus.CANDIDATE]),
        )
    elif op == "admit":
        full = choose([False, True])
        services.membership_admit_existing(
            actor=None,
            person=choose(outside),
            organization=choose(branches),
            membership_type=MembershipType.FULL if full else MembershipType.PROBATIONARY,
            joined_on=date(2024, 6, 1),
            full_on=date(2025, 6, 1) if full else None,
        )
    elif op == "make_full":
        services.membership_make_full(actor=None, membership=choose(probationary), full_on=date(2026, 6, 1))
    elif op == "standing":
        services.membership_change_standing(
            actor=None,
            membership=choose(memberships),
            standing=choose([Standing.NORMAL, Standing.LOST_CONTACT, Standing.EXPELLED]),
            since=date(2026, 10, 1),
            note="测试",
        )
    elif op == "move":
        services.membership_move(
            actor=None,
            membership=choose(memberships),
            to_branch=choose(branches),
            on=date(2026, 10, 1),
            reason="测试",
        )
    elif op == "transfer_out":
        services.membership_transfer_out(
            actor=None,
            membership=choose(memberships),
            on=date(2026, 10, 1),
            destination="外校",
        )
    elif op == "leave":
        services.person_leave(actor=None, person=choose(outside), on=date(2026, 10, 1))
    elif op == "assign_post":
        membership = choose(memberships)
        services.position_assign(
            actor=None,
            person=membership.person,
            organization=membership.organization,
            title=choose([PositionTitle.SECRETARY, PositionTitle.MEMBER]),
            started_on=date(2026, 9, 1),
        )
    elif op == "end_post":
        open_posts = list(Position.objects.filter(ended_on__isnull=True).order_by("pk"))
        if open_posts:
            services.position_end(actor=None, position=choose(open_posts), ended_on=date(2026, 10, 1))
    elif op == "create_branch":
        f.org(
            world.cs,
            OrgKind.BRANCH,
            "新支部",
            term_started_on=choose([None, date(2023, 12, 1)]),
        )
    elif op == "new_term":
        org = choose(branches)
        members = [m.person for m in memberships if m.organization_id == org.pk]
        if members:
            services.organization_start_new_term(
                actor=None,
                org=org,
                started_on=date(2026, 10, 1),
                positions=[services.NewPosition(members[0], PositionTitle.SECRETARY)],
            )
    elif op == "dissolve":
        services.organization_dissolve(actor=None, org=choose(branches), on=date(2026, 10, 1), reason="测试")
    elif op == "update_org":
        services.organization_update(
            actor=None,
            org=choose(branches),
            term_started_on=choose([None, date(2021, 1, 1), date(2026, 1, 1)]),
        )


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ops=st.lists(
        st.tuples(st.sampled_from(OPERATIONS), st.lists(st.integers(0, 50), min_size=5, max_size=5)),
        min_size=1,
        max_size=12,
    )
)
def test_counters_equal_the_live_aggregates_after_any_sequence_of_writes(world, admin_scope, ops) -> None:
    with transaction.atomic():  # every example starts from the same world
        for op, numbers in ops:
            with contextlib.suppress(RuleViolation, ValidationError), transaction.atomic():
                _apply(op, numbers, world)  # refused in this state: nothing changed
        assert_counters_agree(admin_scope)
        transaction.set_rollback(True)
