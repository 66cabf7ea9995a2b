"""智慧服务 fixtures: the persona world on Monday 30 November 2026, and helpers to make requests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import time_machine

from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, Person
from dangjian.onestop import services
from dangjian.onestop.models import Proof, Request
from dangjian.onestop.rules import RequestKind as K

SYSTEM = Scope.system()
LEAVE = {"start_on": "2026-12-07", "end_on": "2027-03-31", "reason": "赴外地科研合作"}
PURPOSE = {"purpose": "签证"}
FUNDS = {"amount": "3000", "activity": "主题党日", "budget": "资料印制"}


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel("2026-11-30 10:00 +0800", tick=False):
        yield


def as_person(person: Person) -> Scope:
    return replace(Scope.system(), person_id=person.pk)


def submit(
    person: Person, kind: str = K.LONG_LEAVE, details: dict[str, Any] | None = None, **kw: Any
) -> Request:
    if details is None:
        details = {K.LONG_LEAVE: LEAVE, K.FUNDS: FUNDS}.get(kind, PURPOSE)
    return services.request_submit(actor=None, scope=as_person(person), kind=kind, details=details, **kw)


def taken(request: Request) -> Request:
    return services.request_take(actor=None, scope=SYSTEM, request=request, expected_status="submitted")


def issue(person: Person, kind: str = K.PROOF_MEMBERSHIP) -> Proof:
    request = taken(submit(person, kind))
    services.request_complete(actor=None, scope=SYSTEM, request=request, expected_status="handling")
    return Proof.objects.get(request=request)


def branch_request(secretary: Person, branch: Organization, kind: str = K.FUNDS) -> Request:
    return submit(secretary, kind, from_org=branch)
