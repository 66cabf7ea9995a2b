"""Demo 组织关系转接 for 示范大学: transfers in every state, made through the services as the demo users
(so the steps, the audit, the notices and the 介绍信 are real), deterministic from the seed.

Some wait for the demo 支部书记 (待支部审核) and the demo 院系组织员 (待院系审核; a transfer into the
college to accept), so their 工作台 shows them. The demo logins themselves are never moved.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from dangjian.accounts.models import RoleAssignment, User
from dangjian.accounts.scope import resolve_scope
from dangjian.core.models import ON_ROLL_STANDINGS, Membership, OrgKind, PersonType
from dangjian.transfers import graduates, services
from dangjian.transfers.models import Transfer, TransferKind

# Where members of the demo college go (fictitious receiving organizations, as on a real 介绍信).
DESTINATIONS = (
    "中共某市某区科技局机关委员会",
    "中共某省某市第一中学支部委员会",
    "中共某某研究院委员会",
    "中共某市某区街道工作委员会",
)
REASONS = ("工作调动", "到新单位工作", "考取研究生", "随家属调动")


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def _college_of(username: str) -> Any:
    ra = RoleAssignment.objects.filter(user__username=username).select_related("organization").first()
    return ra.organization if ra is not None else None


def _members(branch: Any, *, exclude: set[int], person_type: str | None = None) -> list[Any]:
    qs = Membership.objects.filter(standing__in=ON_ROLL_STANDINGS).exclude(person_id__in=exclude)
    qs = qs.filter(organization__path__startswith=branch.path, organization__kind=OrgKind.BRANCH)
    if person_type:
        qs = qs.filter(person__person_type=person_type)
    return [m.person for m in qs.select_related("person").order_by("person_id")[:200]]


def seed_transfers(*, seed: int) -> dict[str, int]:
    """Transfers of the demo college in each state; nothing when the demo logins are not there."""
    secretary_user = _user("branch_secretary")
    organizer = _user("college_organizer")
    other_organizer = _user("outsider_organizer")
    college, other_college = _college_of("college_organizer"), _college_of("outsider_organizer")
    demo_member = _user("member")
    if not (secretary_user and organizer and other_organizer and college and other_college):
        return {}
    if secretary_user.person_id is None:
        return {}
    secretary_branch = (
        Membership.objects.select_related("organization").get(person_id=secretary_user.person_id).organization
    )
    rng = random.Random(seed)
    keep_out = {secretary_user.person_id, getattr(demo_member, "person_id", None)} - {None}
    at_branch = _members(secretary_branch, exclude=keep_out)  # type: ignore[arg-type]
    rng.shuffle(at_branch)
    from_other = _members(other_college, exclude=set())
    rng.shuffle(from_other)
    students = _members(college, exclude=keep_out, person_type=PersonType.STUDENT)  # type: ignore[arg-type]
    rng.shuffle(students)
    if len(at_branch) < 7 or len(from_other) < 2 or len(students) < 3:
        return {}
    sec_scope, org_scope, other_scope = (
        resolve_scope(secretary_user),
        resolve_scope(organizer),
        resolve_scope(other_organizer),
    )

    def start(person: Any, kind: str, *, by: Any, scope: Any, to: Any = None) -> Transfer:
        return services.transfer_start(
            actor=by,
            scope=scope,
            person=person,
            kind=kind,
            reason=rng.choice(REASONS),
            to_college=to if kind == TransferKind.IN_SCHOOL else None,
            external_org="" if kind == TransferKind.IN_SCHOOL else rng.choice(DESTINATIONS),
        )

    def out(person: Any) -> Transfer:
        kind = rng.choice((TransferKind.OUT_PROVINCE, TransferKind.OUT_NATIONAL))
        return start(person, kind, by=secretary_user, scope=sec_scope)

    def approve_twice(transfer: Transfer, scope: Any = None, by: Any = None) -> Transfer:
        transfer = services.transfer_approve(
            actor=by or secretary_user, scope=scope or sec_scope, transfer=transfer
        )
        return services.transfer_approve(actor=organizer, scope=org_scope, transfer=transfer)

    made: list[Transfer] = []
    people = iter(at_branch)
    # 待支部审核: waits for the demo 支部书记.
    made.append(out(next(people)))
    made.append(
        start(next(people), TransferKind.IN_SCHOOL, by=secretary_user, scope=sec_scope, to=other_college)
    )
    # 待院系审核: waits for the demo 院系组织员.
    made.append(services.transfer_approve(actor=secretary_user, scope=sec_scope, transfer=out(next(people))))
    # 已批准，待回执: the 介绍信 is out.
    made.append(approve_twice(out(next(people))))
    # 已完成 (转出): the 回执 came back.
    done = approve_twice(out(next(people)))
    made.append(
        services.transfer_complete(
            actor=organizer,
            scope=org_scope,
            transfer=done,
            receipt_on=timezone.localdate() - timedelta(days=3),
        )
    )
    # 已退回 by the branch, with its reason.
    made.append(
        services.transfer_reject(
            actor=secretary_user,
            scope=sec_scope,
            transfer=out(next(people)),
            reason="接收党组织名称不完整，请核对后重新申请",
        )
    )
    # 已撤回 by the one who asked.
    made.append(services.transfer_withdraw(actor=secretary_user, scope=sec_scope, transfer=out(next(people))))
    # 校内: from the other college into the demo college, approved there, waiting for the demo college to
    # accept; and one accepted already (已完成, the membership moved).
    to_accept = start(
        from_other[0], TransferKind.IN_SCHOOL, by=other_organizer, scope=other_scope, to=college
    )
    to_accept = services.transfer_approve(actor=other_organizer, scope=other_scope, transfer=to_accept)
    made.append(services.transfer_approve(actor=other_organizer, scope=other_scope, transfer=to_accept))
    accepted = start(from_other[1], TransferKind.IN_SCHOOL, by=other_organizer, scope=other_scope, to=college)
    for _step in range(2):
        accepted = services.transfer_approve(actor=other_organizer, scope=other_scope, transfer=accepted)
    made.append(
        services.transfer_accept(actor=organizer, scope=org_scope, transfer=accepted, branch=secretary_branch)
    )
    # 转入 from outside the school, recorded from the letter it brought.
    birth = date(1990 + rng.randrange(0, 8), rng.randrange(1, 13), rng.randrange(1, 28))
    made.append(
        services.transfer_record_in(
            actor=secretary_user,
            scope=sec_scope,
            branch=secretary_branch,
            from_org_name="中共某省某市人民医院委员会",
            letter_serial=f"外-{timezone.localdate().year}-{rng.randrange(100, 999)}",
            reason="调入本校工作",
            person_data={
                "name": rng.choice(("周明远", "沈静怡", "陆志强", "韩雪")),
                "gender": rng.choice(("male", "female")),
                "ethnicity": "汉族",
                "birth_date": birth,
                "person_type": PersonType.STAFF,
                "id_number": "",
            },
            membership_type="full",
            joined_on=date(birth.year + 22, 6, 1),
            full_on=date(birth.year + 23, 6, 1),
        )
    )
    # 毕业生批量转接: the college's batch (as its page does it), each with its 介绍信.
    batch = 0
    for person in students[:3]:
        row = {
            "person": person.pk,
            "destination": rng.choice(DESTINATIONS),
            "kind": TransferKind.OUT_NATIONAL,
        }
        transfer, _problem = graduates.graduate_transfer(row, college, organizer)
        if transfer is not None:
            made.append(transfer)
            batch += 1
    return {"transfers": len(made), "graduate_transfers": batch}
