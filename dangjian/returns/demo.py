"""Demo 数据报送: a table of the demo college (计算机学院) sent to its branches and half collected — some
submitted, one returned with a reason, the rest not started. Through the services, so the audit, the
states and the notices come out as in real work.

The annual return's demo needs the statistics engine's year-end snapshots, which the demo does not make
yet (the engine is being written); it is left out until snapshots exist at seed time."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from dangjian.accounts.models import RoleAssignment
from dangjian.accounts.roles import Role
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind
from dangjian.returns import selectors, services
from dangjian.returns.models import FieldType, Row, RowsPer

SYSTEM = Scope.system()  # the demo seed acts as the platform itself


def _college() -> Organization | None:
    """The demo organizer's college, else the first college."""
    assignment = (
        RoleAssignment.objects.filter(role=Role.COLLEGE_ORGANIZER, organization__isnull=False)
        .select_related("organization")
        .order_by("pk")
        .first()
    )
    if assignment is not None and assignment.organization is not None:
        return assignment.organization
    return (
        Organization.objects.filter(depth=2, kind=OrgKind.COMMITTEE, is_active=True).order_by("path").first()
    )


def seed_returns(seed: int = 2026, today: date | None = None) -> dict[str, int]:
    rng = random.Random(seed + 41)
    today = today or timezone.localdate()
    college = _college()
    if college is None:
        return {"returns": 0, "return_assignments": 0}
    ret = services.return_create(
        actor=None,
        scope=SYSTEM,
        designer=college,
        title=f"{today.year}年党员教育培训情况统计",
        instructions="请各党支部如实填写本年度党员教育培训情况，参训人数不超过党员人数。",
        rows_per=RowsPer.ORG,
        deadline=today + timedelta(days=10),
        today=today,
    )
    members = services.field_add(
        actor=None,
        scope=SYSTEM,
        ret=ret,
        label="党员人数",
        type=FieldType.NUMBER,
        required=True,
        min_value=Decimal(0),
        figure="members_total",
    )
    trained_in = services.field_add(
        actor=None, scope=SYSTEM, ret=ret, label="集中培训人数", type=FieldType.NUMBER, required=True
    )
    trained_online = services.field_add(
        actor=None, scope=SYSTEM, ret=ret, label="网络培训人数", type=FieldType.NUMBER, required=True
    )
    trained = services.field_add(
        actor=None,
        scope=SYSTEM,
        ret=ret,
        label="参训人数合计",
        type=FieldType.NUMBER,
        required=True,
        sum_of=[trained_in.key, trained_online.key],
    )
    form = services.field_add(
        actor=None,
        scope=SYSTEM,
        ret=ret,
        label="主要培训形式",
        type=FieldType.CHOICE,
        required=True,
        choices=["专题党课", "集中轮训", "网络学习", "实地研学"],
    )
    note = services.field_add(actor=None, scope=SYSTEM, ret=ret, label="情况说明", type=FieldType.TEXT)
    services.field_add(actor=None, scope=SYSTEM, ret=ret, label="培训通知(扫描件)", type=FieldType.FILE)
    branches = selectors.targets_of(college).branches
    assignments = services.return_open(
        actor=None, scope=SYSTEM, ret=ret, organizations=branches, expected_status="draft", today=today
    )
    # About half submit (the first branch — the demo member's — among them), one of those is returned.
    submitted = assignments[: max(1, len(assignments) // 2)]
    for n, assignment in enumerate(submitted):
        row = Row.objects.get(assignment=assignment)
        total = int(row.values.get(members.key) or 0) or rng.randint(8, 30)
        online = rng.randint(0, total // 2)
        offline = rng.randint(0, total - online)
        services.assignment_fill(
            actor=None,
            scope=SYSTEM,
            assignment=assignment,
            values={
                row.pk: {
                    members.key: str(total),
                    trained_in.key: str(offline),
                    trained_online.key: str(online),
                    trained.key: str(offline + online),
                    form.key: rng.choice(form.choices),
                    note.key: "按计划完成" if n % 2 == 0 else "",
                }
            },
            expected_status="not_started",
            submit=True,
            today=today,
        )
    returned = 0
    if len(submitted) > 1:
        services.assignment_return(
            actor=None,
            scope=SYSTEM,
            assignment=submitted[-1],
            reason="集中培训人数与培训通知不符，请核对后重新提交",
            expected_status="submitted",
        )
        returned = 1
    return {
        "returns": 1,
        "return_assignments": len(assignments),
        "returns_submitted": len(submitted) - returned,
    }
