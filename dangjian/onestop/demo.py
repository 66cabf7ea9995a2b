"""Demo 智慧服务: requests in every state and proofs, through the services as in real work.

The demo ``member`` has a 党员身份证明 issued (not yet rated), a 党龄证明 issued and then withdrawn, a
组织关系所在证明 waiting, a 长期请假 being handled by the branch and a 流动党员登记 refused and rated. A
fellow member's 长期请假 waits at the branch past its deadline. The branch's secretary asked the college
for activity funds (waiting), a room (done, rated) and a speaker (being handled). Deterministic: no
randomness, dates from today."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, Person
from dangjian.onestop import services
from dangjian.onestop.models import Proof, Request
from dangjian.onestop.rules import RequestKind as K
from dangjian.onestop.rules import RequestStatus

SYSTEM = Scope.system()


def _as(person: Person) -> Scope:
    return replace(Scope.system(), person_id=person.pk)


def _submit(
    person: Person, kind: str, details: dict[str, Any], branch: Organization | None = None
) -> Request:
    return services.request_submit(actor=None, scope=_as(person), kind=kind, details=details, from_org=branch)


def _take(request: Request, actor: Any) -> Request:
    return services.request_take(actor=actor, scope=SYSTEM, request=request, expected_status=None)


def _complete(request: Request, actor: Any, note: str = "") -> Request:
    request = _take(request, actor)
    return services.request_complete(
        actor=actor, scope=SYSTEM, request=request, expected_status=None, note=note
    )


def seed_onestop(*, seed: int) -> dict[str, int]:
    member_user = User.objects.select_related("person__organization").filter(username="member").first()
    secretary_user = User.objects.select_related("person").filter(username="branch_secretary").first()
    if member_user is None or member_user.person is None or secretary_user is None:
        return {"requests": 0, "proofs": 0}
    member = member_user.person
    secretary = secretary_user.person
    branch = member.organization
    assert branch is not None and secretary is not None
    organizer = User.objects.filter(username="college_organizer").first()
    fellow = (
        Person.objects.filter(membership__organization=branch)
        .exclude(pk__in=[member.pk, secretary.pk])
        .order_by("pk")
        .first()
    )
    today = timezone.localdate()
    purpose = {"purpose": "办理出国（境）签证"}

    issued = _complete(_submit(member, K.PROOF_MEMBERSHIP, purpose), organizer, "已出具，可在线下载。")
    withdrawn = _complete(_submit(member, K.PROOF_PARTY_AGE, {"purpose": "评优材料"}), organizer)
    services.proof_withdraw(
        actor=organizer,
        scope=SYSTEM,
        proof=Proof.objects.get(request=withdrawn),
        reason="用途填写有误，已重新开具。",
        expected_status=None,
    )
    _complete(_submit(member, K.PROOF_PARTY_AGE, {"purpose": "评优材料"}), organizer)
    _submit(member, K.PROOF_RELATION, {"purpose": "入职报到"})
    _take(
        _submit(
            member,
            K.LONG_LEAVE,
            {
                "start_on": (today + timedelta(days=7)).isoformat(),
                "end_on": (today + timedelta(days=120)).isoformat(),
                "reason": "赴外地开展为期四个月的科研合作",
            },
        ),
        secretary_user,
    )
    flowing = _submit(
        member,
        K.FLOWING,
        {
            "destination": "深圳市南山区",
            "start_on": today.isoformat(),
            "contact": "13800000000",
            "reason": "实习",
        },
    )
    services.request_refuse(
        actor=secretary_user,
        scope=SYSTEM,
        request=flowing,
        expected_status=None,
        reason="实习时间不足六个月，无需办理流动党员登记，请按时参加支部组织生活。",
    )
    services.request_rate(
        actor=member_user,
        scope=_as(member),
        request=flowing,
        score=4,
        comment="答复及时",
        expected_status=None,
    )
    if fellow is not None:
        late = _submit(
            fellow,
            K.LONG_LEAVE,
            {
                "start_on": today.isoformat(),
                "end_on": (today + timedelta(days=90)).isoformat(),
                "reason": "产假",
            },
        )
        # Waiting past its deadline, so the to-do and the list show an overdue request.
        Request.objects.filter(pk=late.pk).update(
            submitted_at=timezone.now() - timedelta(days=20), due_on=today - timedelta(days=10)
        )
    _submit(
        secretary,
        K.FUNDS,
        {"amount": "3000", "activity": "“七一”主题党日", "budget": "场地布置与学习资料印制"},
        branch,
    )
    venue = _complete(
        _submit(
            secretary,
            K.VENUE,
            {"on": (today + timedelta(days=14)).isoformat(), "activity": "支部党员大会", "attendees": "30"},
            branch,
        ),
        organizer,
        "已安排学院会议室 302。",
    )
    services.request_rate(
        actor=secretary_user, scope=_as(secretary), request=venue, score=5, expected_status=None
    )
    _take(
        _submit(
            secretary,
            K.SPEAKER,
            {
                "topic": "学习党的二十届四中全会精神",
                "on": (today + timedelta(days=21)).isoformat(),
                "audience": "全体党员",
            },
            branch,
        ),
        organizer,
    )
    assert issued.status == RequestStatus.DONE
    return {"requests": Request.objects.count(), "proofs": Proof.objects.count()}
