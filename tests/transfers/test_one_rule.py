"""One rule of who may act, asked everywhere: for every open status of an in-school and an outgoing
transfer and every side, the button the detail page draws, the predicate of ``transfers.access``, the
service and the API all give the same answer; an outsider is refused every step of the API."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse

from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import RuleViolation
from dangjian.transfers import access, services
from dangjian.transfers.models import OPEN_STATUSES, Transfer, TransferEvent, TransferStatus
from tests.transfers.test_api import client_for, step

S = TransferStatus
STEPS = ("approve", "reject", "withdraw", "accept", "complete")
PERSONAS = ("member_user", "branch_secretary", "college_organizer", "fl_organizer", "school_admin")


class _Undo(Exception):
    """Raised to roll back a step that went through: each side tries the same transfer."""


def _went_through(call) -> bool:
    try:
        with transaction.atomic():
            call()
            raise _Undo
    except _Undo:
        return True
    except RuleViolation:
        return False


def _at(world, kind: str, status: str, member_user, branch_secretary, college_organizer) -> Transfer:
    t = services.transfer_start(
        scope=Scope.system(),
        actor=member_user,
        person=world.member,
        kind=kind,
        reason="调动",
        to_college=world.fl if kind == "in_school" else None,
        external_org="" if kind == "in_school" else "某单位党委",
    )
    for user, before in ((branch_secretary, S.REQUESTED), (college_organizer, S.BRANCH_APPROVED)):
        if t.status != status:
            t = services.transfer_approve(
                actor=user, scope=resolve_scope(user), transfer=t, expected_status=before
            )
    assert t.status == status
    return t


def _service(name: str, user, transfer: Transfer, world):
    common = {"actor": user, "scope": resolve_scope(user), "expected_status": transfer.status}
    t = Transfer.objects.get(pk=transfer.pk)
    calls = {
        "approve": lambda: services.transfer_approve(transfer=t, **common),
        "reject": lambda: services.transfer_reject(transfer=t, reason="材料不全", **common),
        "withdraw": lambda: services.transfer_withdraw(transfer=t, **common),
        "accept": lambda: services.transfer_accept(transfer=t, branch=world.fl_branch, **common),
        "complete": lambda: services.transfer_complete(transfer=t, receipt_on=date.today(), **common),
    }
    return calls[name]


def _api_body(name: str, world) -> dict:
    return {
        "reject": {"reason": "材料不全"},
        "accept": {"branch_id": world.fl_branch.pk},
        "complete": {"receipt_on": date.today().isoformat()},
    }.get(name, {})


@pytest.mark.parametrize("kind", ["in_school", "out_national"])
@pytest.mark.parametrize("status", [str(s) for s in OPEN_STATUSES])
def test_the_button_the_predicate_the_service_and_the_api_agree(
    kind, status, world, login, request, member_user, branch_secretary, college_organizer
) -> None:
    transfer = _at(world, kind, status, member_user, branch_secretary, college_organizer)
    detail = reverse("transfers:detail", args=[transfer.pk])
    offered_somewhere = set()
    for persona in PERSONAS:
        user = request.getfixturevalue(persona)
        page = login(user).get(detail)
        drawn = set(re.findall(r'(?:href|action)="([^"]+)"', page.content.decode()))
        api = client_for(user)
        for name in STEPS:
            button = reverse(f"transfers:{name}", args=[transfer.pk]) in drawn
            may = getattr(access, f"may_{name}")(resolve_scope(user), Transfer.objects.get(pk=transfer.pk))
            service = _went_through(_service(name, user, transfer, world))
            with transaction.atomic():
                answer = step(api, transfer.pk, name, status, **_api_body(name, world))
                transaction.set_rollback(True)
            assert answer.status_code in (200, 404, 422), answer.content
            assert button == may == service == (answer.status_code == 200), (persona, name, answer.content)
            if may:
                offered_somewhere.add((persona, name))
    assert Transfer.objects.get(pk=transfer.pk).status == status  # every step that went through was undone
    assert offered_somewhere  # somebody can always act on an open transfer


@pytest.mark.parametrize("name", [*STEPS, "receipt-scan"])
def test_an_outsider_is_refused_every_step_of_the_api(
    name, world, member_user, branch_secretary, college_organizer, outsider_organizer
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    sides = (member_user, branch_secretary, college_organizer)
    transfer = _at(world, "out_national", S.COLLEGE_APPROVED, *sides)
    client = client_for(outsider_organizer)
    before = (TransferEvent.objects.count(), AuditEvent.objects.count())
    if name == "receipt-scan":
        answer = client.post(
            f"/api/v1/transfers/{transfer.pk}/receipt-scan",
            {"scan": SimpleUploadedFile("r.pdf", b"%PDF-1.4"), "expected_status": S.COLLEGE_APPROVED},
        )
    else:
        answer = step(client, transfer.pk, name, S.COLLEGE_APPROVED, **_api_body(name, world))
    assert answer.status_code == 404
    transfer.refresh_from_db()
    assert transfer.status == S.COLLEGE_APPROVED and not transfer.receipt_scan
    assert (TransferEvent.objects.count(), AuditEvent.objects.count()) == before
