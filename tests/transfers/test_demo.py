"""The 组织关系转接 demo: transfers in every state, made through the services, some waiting for the
demo 支部书记 and 院系组织员."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from dangjian.accounts.models import User
from dangjian.accounts.scope import resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.transfers.models import Letter, Transfer, TransferKind, TransferStatus
from dangjian.workbench.todos import todos_for

S = TransferStatus


@pytest.fixture
def seeded(db) -> None:
    call_command("seed_demo", size="small", seed=1)


def test_the_demo_has_a_transfer_in_each_state(seeded) -> None:
    statuses = set(Transfer.objects.values_list("status", flat=True))
    assert statuses == {
        S.REQUESTED,
        S.BRANCH_APPROVED,
        S.COLLEGE_APPROVED,
        S.COMPLETED,
        S.REJECTED,
        S.WITHDRAWN,
    }
    incoming = Transfer.objects.get(kind=TransferKind.IN)
    assert incoming.status == S.COMPLETED and incoming.from_org is None and incoming.external_org
    assert Transfer.objects.filter(kind=TransferKind.IN_SCHOOL, status=S.COMPLETED).exists()
    graduates = Transfer.objects.filter(reason="毕业生组织关系转接")
    assert graduates.count() == 3 and {t.status for t in graduates} == {S.COLLEGE_APPROVED}


def test_the_demo_transfers_went_through_the_services(seeded) -> None:
    for transfer in Transfer.objects.all():
        assert transfer.events.exists()
        assert AuditEvent.objects.filter(action__startswith="transfer.", target_id=str(transfer.pk)).exists()
    # Every outgoing transfer approved by the college carries a live, numbered 介绍信.
    approved_out = Transfer.objects.filter(
        status=S.COLLEGE_APPROVED, kind__in=(TransferKind.OUT_PROVINCE, TransferKind.OUT_NATIONAL)
    )
    assert approved_out.exists()
    for transfer in approved_out:
        assert Letter.objects.filter(transfer=transfer, voided_at__isnull=True).count() == 1


@pytest.mark.parametrize("username", ["branch_secretary", "college_organizer"])
def test_the_demo_logins_have_transfers_to_act_on(seeded, username) -> None:
    user = User.objects.get(username=username)
    items = [i for i in todos_for(user, resolve_scope(user)) if i.source == "transfers"]
    assert items, f"{username} has no transfer to act on"
