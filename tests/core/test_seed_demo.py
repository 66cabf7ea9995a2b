"""The demo data: every persona, every political status, the deliberate rule-check cases, consistency."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from dangjian.accounts.models import User
from dangjian.accounts.scope import resolve_scope
from dangjian.core.management.commands.check_consistency import consistency_problems
from dangjian.core.models import Organization, Person, PoliticalStatus
from dangjian.core.selectors import rule_check_list

PERSONAS = {
    "school_admin",
    "college_organizer",
    "branch_secretary",
    "member",
    "outsider_organizer",
    "auditor",
    "sysadmin",
    "secadmin",
}


@pytest.fixture
def seeded(db):
    call_command("seed_demo", size="small", seed=1)


def test_small_seed_has_personas_statuses_and_consistent_data(seeded) -> None:
    assert set(User.objects.values_list("username", flat=True)) >= PERSONAS
    assert set(Person.objects.values_list("political_status", flat=True)) == set(PoliticalStatus.values)
    assert consistency_problems() == []
    assert User.objects.get(username="member").check_password("demo12345")


def test_seed_contains_the_deliberate_rule_check_cases(seeded) -> None:
    scope = resolve_scope(User.objects.get(username="college_organizer"))
    codes = {c.code for row in rule_check_list(scope) for c in row.checks}
    assert {
        "branch_too_few_full_members",
        "branch_too_large",
        "term_overdue",
        "branch_needs_committee",
    } <= codes


def test_branch_secretary_gets_the_role_from_the_position(seeded) -> None:
    scope = resolve_scope(User.objects.get(username="branch_secretary"))
    assert scope.roles == {"branch_secretary"}
    member = User.objects.get(username="member")
    assert resolve_scope(member).is_empty
    assert member.person.organization.name == scope.grants[0].org_name


def test_if_empty_does_not_load_twice_and_plain_run_refuses(seeded) -> None:
    count = Organization.objects.count()
    call_command("seed_demo", size="small", if_empty=True)
    assert Organization.objects.count() == count
    with pytest.raises(Exception, match="空数据库"):
        call_command("seed_demo", size="small")


def test_same_seed_gives_the_same_data_and_another_seed_does_not(settings) -> None:
    from datetime import date

    from dangjian.core.demo.generator import build_plan

    def fingerprint(seed: int) -> list[tuple[str, str, str]]:
        plan = build_plan(size="small", seed=seed, today=date(2026, 11, 24))
        return [(p.name, p.id_number_masked, p.staff_number or "") for p in plan.people]

    assert fingerprint(3) == fingerprint(3)
    assert fingerprint(3) != fingerprint(4)


def test_seed_names_each_stage_and_analyses_the_platform_tables_at_the_end(db, monkeypatch) -> None:
    from io import StringIO

    from dangjian.core.management.commands import seed_demo

    analysed: list[str] = []
    monkeypatch.setattr(
        seed_demo, "analyze", lambda *models: analysed.extend(m._meta.db_table for m in models) or []
    )
    out = StringIO()
    call_command("seed_demo", size="small", seed=1, stdout=out)
    stages = [line.split(":")[0].strip() for line in out.getvalue().splitlines() if line.startswith("  ")]
    assert stages[0] == "core" and stages[-1] == "analyze"
    assert {"dues", "recruitment", "orglife"} <= set(stages)
    assert {
        "core_person",
        "core_historicalperson",
        "dues_entry",
        "orglife_attendee",
        "audit_auditevent",
    } <= set(analysed)
    assert not any(t.startswith(("auth_", "django_")) for t in analysed)
