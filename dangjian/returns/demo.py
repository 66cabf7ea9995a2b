"""Demo 数据报送: a table of the demo college (计算机学院) sent to its branches and half collected — some
submitted, one returned with a reason, the rest not started. Through the services, so the audit, the
states and the notices come out as in real work.

The annual returns (``seed_annual``), on the statistics' demo snapshots: the return of the year before
last accepted from every college and locked; last year's open, two colleges submitted and one of them
returned with a reason."""

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


def seed_annual(today: date | None = None) -> dict[str, int]:
    from dangjian.returns import annual
    from dangjian.returns.models import AssignmentStatus, ReturnStatus

    today = today or timezone.localdate()
    earlier = annual.annual_open(actor=None, scope=SYSTEM, year=today.year - 2, today=today)
    for assignment in earlier.assignments.order_by("organization__path"):
        annual.annual_fill(
            actor=None, scope=SYSTEM, assignment=assignment, cells={}, expected_status=None, submit=True
        )
        assignment.refresh_from_db()
        services.assignment_accept(
            actor=None, scope=SYSTEM, assignment=assignment, expected_status=AssignmentStatus.SUBMITTED
        )
    annual.annual_lock(actor=None, scope=SYSTEM, ret=earlier, expected_status=ReturnStatus.OPEN)
    current = annual.annual_open(actor=None, scope=SYSTEM, year=today.year - 1, today=today)
    submitted = list(current.assignments.order_by("organization__path")[:2])
    for assignment in submitted:
        annual.annual_fill(
            actor=None, scope=SYSTEM, assignment=assignment, cells={}, expected_status=None, submit=True
        )
    if submitted:
        services.assignment_return(
            actor=None,
            scope=SYSTEM,
            assignment=submitted[-1],
            reason="发展党员人数与发展党员工作台账不一致，请核实后重新提交",
            expected_status=AssignmentStatus.SUBMITTED,
        )
    return {
        "annual returns": 2,
        "annual assignments": earlier.assignments.count() + current.assignments.count(),
    }
