"""发展党员 API: cases (filters org, stage, overdue), a case, the person's own case, recording a step (422
with the rule code; 409 when the case is no longer in the ``state`` the client sent as
``expected_status``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import resolve_scope
from dangjian.core.models import Organization
from dangjian.kit.access_rules import access_rule, own, signed_in, within
from dangjian.kit.pagination import Pages
from dangjian.recruitment import selectors, services
from dangjian.recruitment.models import CaseStatus, Stage

router = Router(tags=["recruitment"])


class StepOut(Schema):
    code: str
    number: int
    name: str
    done_on: date
    warnings: list[str]

    @staticmethod
    def resolve_code(obj: Any) -> str:
        return str(obj.step.code)

    @staticmethod
    def resolve_number(obj: Any) -> int:
        return int(obj.step.number)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.step.name)


class CaseOut(Schema):
    id: int
    person_id: int
    person_name: str
    branch_id: int
    stage: str
    status: str
    applied_on: date
    next_step: str | None
    due: date | None
    overdue: bool
    state: str = Field(..., description="发送记录步骤请求时作为 expected_status 原样回传")

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return str(obj.person.name)

    @staticmethod
    def resolve_state(obj: Any) -> str:
        return services.case_state(obj)


class CaseDetailOut(CaseOut):
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(obj: Any) -> list[Any]:
        return list(obj.steps.select_related("step"))


class StepIn(Schema):
    # The case's ``state`` as the client last read it: a case that moved on meanwhile answers 409.
    expected_status: str = Field(..., max_length=60)
    code: str = Field(..., max_length=40)
    done_on: date
    resolution: str = Field("", max_length=300)
    data: dict[str, Any] = Field(default_factory=dict)


def _with_progress(case: Any, steps: list[Any] | None = None) -> Any:
    info = selectors.progress(case, timezone.localdate(), steps)
    case.next_step = info.next_step.code if info.next_step else None
    case.due, case.overdue = info.due, info.overdue
    return case


@access_rule(signed_in())
@router.get("/recruitment/cases", response=list[CaseOut])
@paginate(Pages, page_size=50)
def list_cases(request: HttpRequest, org: int | None = None, stage: str = "", overdue: bool = False) -> Any:
    scope = resolve_scope(request.user)
    found = Organization.objects.filter(pk=org).first() if org is not None else None
    if org is not None and found is None:
        return []
    steps = selectors.step_definitions()
    if overdue:  # filtered and paginated by the database (the rules as conditions on step dates)
        qs = selectors.overdue_cases(scope, timezone.localdate(), org=found, stage=stage)
        return _Progressed(qs, steps)
    qs = selectors.cases_visible_to(scope).filter(status=CaseStatus.OPEN).prefetch_related("steps__step")
    if found is not None:
        qs = qs.filter(branch__path__startswith=found.path)
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    return _Progressed(qs.order_by("applied_on", "pk"), steps)


class _Progressed:
    """A queryset the paginator slices and counts; the page's cases get their progress (no query each)."""

    def __init__(self, qs: Any, steps: list[Any]) -> None:
        self.qs, self.steps = qs, steps

    def count(self) -> int:
        return int(self.qs.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [_with_progress(c, self.steps) for c in self.qs[index]]
        return _with_progress(self.qs[index], self.steps)


@access_rule(own())
@router.get("/recruitment/me", response=CaseDetailOut)
def my_case(request: HttpRequest) -> Any:
    """我的入党进度: the signed-in person's own case (404 without one)."""
    return _with_progress(selectors.own_case(resolve_scope(request.user)))


@access_rule(within(Permission.MANAGE_RECRUITMENT))
@router.get("/recruitment/cases/{case_id}", response=CaseDetailOut)
def get_case(request: HttpRequest, case_id: int) -> Any:
    return _with_progress(selectors.get_case_for(resolve_scope(request.user), case_id))


@access_rule(within(Permission.MANAGE_RECRUITMENT))
@router.post("/recruitment/cases/{case_id}/steps", response={201: StepOut})
def record_step(request: HttpRequest, case_id: int, payload: StepIn) -> Any:
    scope = resolve_scope(request.user)
    case = selectors.get_case_for(scope, case_id)
    record = services.step_record(
        actor=request.user,
        case=case,
        code=payload.code,
        done_on=payload.done_on,
        data=payload.data,
        resolution=payload.resolution,
        scope=scope,
        expected_status=payload.expected_status,
    )
    return Status(201, record)
