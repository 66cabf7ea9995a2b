"""Proofs: issued when a proof request is done, with the facts of the day, a serial of the year and an
unguessable code; withdrawn with a reason; printed as an A4 PDF with a QR code."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import NotFound, RuleViolation, StaleState
from dangjian.onestop import services
from dangjian.onestop.models import Proof
from dangjian.onestop.pdf import render_proof
from dangjian.onestop.rules import RequestKind as K
from dangjian.onestop.rules import RequestStatus
from tests import factories as f
from tests.onestop.conftest import SYSTEM, issue, submit, taken


def test_a_membership_proof_states_the_facts_of_the_day(world):
    proof = issue(world.member)
    assert proof.issuing_org == world.cs
    assert proof.person == world.member
    assert proof.facts["name"] == "李晓红"
    assert proof.facts["member_kind"] == "正式党员"
    assert proof.facts["branch"] == world.cs_branch.name
    assert proof.facts["issuer"] == world.cs.name
    assert proof.facts["issued_on"] == "2026-11-30"
    assert proof.request.status == RequestStatus.DONE
    assert AuditEvent.objects.filter(action="onestop.proof_issue", target_id=str(proof.pk)).exists()


def test_party_age_counts_whole_years_from_full_membership(world):
    proof = issue(world.secretary, K.PROOF_PARTY_AGE)  # full on 2006-07-01
    assert proof.facts["full_on"] == "2006-07-01"
    assert proof.facts["party_age"] == 20


def test_party_age_on_the_anniversary_eve_is_one_less(world):
    person = f.member(world.cs_branch, "周年", joined_on=date(2015, 11, 30), full_on=date(2016, 12, 1))
    assert issue(person, K.PROOF_PARTY_AGE).facts["party_age"] == 9


def test_a_probationary_member_has_no_party_age_to_prove(world):
    person = f.member(world.cs_branch, "预备甲", full=False, joined_on=date(2026, 6, 1))
    request = taken(submit(person, K.PROOF_PARTY_AGE))
    with pytest.raises(RuleViolation, match="转正"):
        services.request_complete(actor=None, scope=SYSTEM, request=request, expected_status="handling")
    assert not Proof.objects.exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.HANDLING


def test_serials_run_per_year_without_twins_and_codes_differ(world):
    first = issue(world.member)
    second = issue(world.secretary, K.PROOF_RELATION)
    assert (first.serial, second.serial) == ("DJ2026-000001", "DJ2026-000002")
    assert first.code != second.code and len(first.code) >= 16


def test_serial_numbers_restart_each_year(world, time_machine):
    issue(world.member)
    time_machine.move_to("2027-01-04 10:00 +0800", tick=False)
    assert issue(world.member, K.PROOF_RELATION).serial == "DJ2027-000001"


def test_withdraw_needs_a_reason_and_is_audited(world):
    proof = issue(world.member)
    with pytest.raises(RuleViolation, match="撤回理由"):
        services.proof_withdraw(actor=None, scope=SYSTEM, proof=proof, reason="", expected_status="valid")
    services.proof_withdraw(actor=None, scope=SYSTEM, proof=proof, reason="用途有误", expected_status="valid")
    proof.refresh_from_db()
    assert proof.withdrawn_at is not None and proof.withdrawn_reason == "用途有误"
    assert AuditEvent.objects.filter(action="onestop.proof_withdraw", target_id=str(proof.pk)).exists()
    with pytest.raises(StaleState):
        services.proof_withdraw(
            actor=None, scope=SYSTEM, proof=proof, reason="again", expected_status="valid"
        )
    with pytest.raises(RuleViolation, match="已撤回"):
        services.proof_withdraw(actor=None, scope=SYSTEM, proof=proof, reason="again", expected_status=None)


def test_the_member_cannot_withdraw_their_own_proof(world):
    proof = issue(world.member)
    with pytest.raises(NotFound):
        services.proof_withdraw(
            actor=None,
            scope=Scope(user_id=None, person_id=world.member.pk),
            proof=proof,
            reason="x",
            expected_status="valid",
        )


def test_the_pdf_renders_with_the_serial(world):
    proof = issue(world.member)
    content = render_proof(None, proof)
    assert content.startswith(b"%PDF")
