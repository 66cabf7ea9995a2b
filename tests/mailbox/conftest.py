"""书记信箱 fixtures: the persona world on Monday 30 November 2026, and helpers to write letters."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import time_machine

from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, Person
from dangjian.mailbox import services
from dangjian.mailbox.models import Letter

SYSTEM = Scope.system()


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel("2026-11-30 10:00 +0800", tick=False):
        yield


def as_person(person: Person) -> Scope:
    return replace(Scope.system(), person_id=person.pk)


def write(person: Person, org: Organization, **kw: Any) -> Letter:
    values = {"subject": "关于支部学习安排", "body": "建议调整学习时间。", "category": "advice", **kw}
    return services.letter_write(actor=None, scope=as_person(person), organization=org, **values)


def write_public(org: Organization, **kw: Any) -> Letter:
    values = {
        "name": "张女士",
        "contact": "13900000000",
        "subject": "校友咨询",
        "body": "想了解主题党日活动。",
        "category": "inquiry",
        **kw,
    }
    return services.letter_write_public(organization=org, **values)


def replied(letter: Letter, body: str = "已收到，感谢来信。") -> Letter:
    services.letter_reply(actor=None, scope=SYSTEM, letter=letter, body=body, expected_status=None)
    return Letter.objects.get(pk=letter.pk)
