"""Existing 发展党员 cases from Excel, with their historical dates: one row per person, one column per step.
A dry run first (row by row: errors, and the timing rules that were not met as warnings), then all rows
in one transaction or none. Timing rules never block an import; missing people, out-of-scope branches,
gaps in the steps and dates in the future do. The pages and the job are the one import flow of
``spreadsheets``; the kind is declared in ``contributions.py``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import resolve_scope
from dangjian.core import services as core_services
from dangjian.core.models import Membership, MembershipType, OrgKind, Person
from dangjian.kit.dates import not_in_future
from dangjian.kit.errors import RuleViolation
from dangjian.recruitment import rules, services
from dangjian.recruitment.models import Case, StepDefinition
from dangjian.recruitment.selectors import step_definitions
from dangjian.spreadsheets.cells import CellError, parse_date
from dangjian.spreadsheets.spec import Column, ImportSpec, ScopedContext

JOB_KIND = "recruitment_import"  # the kind of its jobs, stored on them: never renamed


@dataclass
class CaseContext(ScopedContext):
    steps: list[StepDefinition] = field(default_factory=list)
    today: date = field(default_factory=timezone.localdate)
    people: dict[str, Person] = field(default_factory=dict)
    with_case: set[int] = field(default_factory=set)
    members: set[int] = field(default_factory=set)


def _step_key(step: StepDefinition) -> str:
    return f"step_{step.code}"


def _prefetch(rows: list[dict[str, Any]], ctx: CaseContext) -> None:
    """Only the people of the importer's scope: anyone else reads as unknown, so a row can never reveal
    the stored name (or existence) of a person outside it."""
    numbers = [r["staff_number"] for r in rows if r.get("staff_number")]
    found = Person.objects.filter(
        ctx.scope.q(Permission.MANAGE_RECRUITMENT, "organization__path"), staff_number__in=numbers
    ).select_related("organization")
    ctx.people = {p.staff_number: p for p in found if p.staff_number}
    ids = [p.pk for p in ctx.people.values()]
    ctx.with_case = set(Case.objects.filter(person_id__in=ids).values_list("person_id", flat=True))
    ctx.members = set(Membership.objects.filter(person_id__in=ids).values_list("person_id", flat=True))


def _dates(raw: Any) -> list[date]:
    """One date, or several separated by ；/;/、 (repeatable steps such as the half-yearly evaluation)."""
    if raw in (None, ""):
        return []
    if isinstance(raw, date):
        return [raw]
    found = []
    for piece in re.split(r"[；;、,，\s]+", str(raw).strip()):
        if piece:
            day = parse_date(piece)
            if day is not None:
                found.append(day)
    return found


def _validate(values: dict[str, Any], ctx: CaseContext) -> dict[str, str]:
    errors: dict[str, str] = {}
    person = ctx.people.get(values["staff_number"])  # None too for anyone outside the scope
    branch = person.organization if person is not None else None
    if person is None or branch is None or not ctx.scope.covers(Permission.MANAGE_RECRUITMENT, branch.path):
        return {"staff_number": _("系统中没有工号/学号为“%(s)s”的人员") % {"s": values["staff_number"]}}
    if person.name != values["name"]:
        errors["name"] = _("与工号/学号不符(系统中为“%(n)s”)") % {"n": person.name}
    if branch.kind != OrgKind.BRANCH:
        return {"staff_number": _("%(n)s 不在您办理发展党员的党支部范围内") % {"n": person.name}}
    if person.pk in ctx.with_case:
        return {"staff_number": _("%(n)s 已有发展党员档案") % {"n": person.name}}
    values["person"], values["branch"] = person, branch
    applied_on: date = values["applied_on"]
    dates: dict[str, list[date]] = {}
    for step in ctx.steps[1:]:
        try:
            dates[step.code] = _dates(values.get(_step_key(step)))
        except CellError as exc:
            errors[_step_key(step)] = str(exc)
            continue
        if len(dates[step.code]) > 1 and not step.repeatable:
            errors[_step_key(step)] = _("只能填写一个日期")
    if errors:
        return errors
    for code, days in [("apply", [applied_on]), *dates.items()]:
        key = "applied_on" if code == "apply" else f"step_{code}"
        try:
            for day in days:
                not_in_future(day, field=key, label="", today=ctx.today)
        except RuleViolation as exc:
            errors[key] = exc.message
    filled = [s.number for s in ctx.steps if s.code == "apply" or dates.get(s.code)]
    gap = next((n for n in range(1, filled[-1] + 1) if n not in filled), None)
    if gap is not None:
        step = ctx.steps[gap - 1]
        errors[_step_key(step)] = _("请填写第 %(n)s 步“%(s)s”的日期(步骤须连续)") % {
            "n": step.number,
            "s": step.name,
        }
        return errors  # the checks below read the dates of every step up to the last one filled
    reached = {s.code for s in ctx.steps if s.number <= filled[-1]}
    if person.pk in ctx.members and "approval" not in reached:
        errors["staff_number"] = _("%(n)s 已是党员，发展记录应填到“上级党委审批”") % {"n": person.name}
    if "approval" in reached and person.pk not in ctx.members:
        errors.update(_membership_problems(person, branch, min(dates["branch_meeting"]), reached, ctx))
    values["dates"] = dates
    values["warnings"] = services.import_warnings(person, applied_on, dates, ctx.steps)
    return errors


def _membership_problems(
    person: Person, branch: Any, joined_on: date, reached: set[str], ctx: CaseContext
) -> dict[str, str]:
    """What ``services.case_import`` refuses when it admits the person as a probationary member (and
    makes them full after the probation): the same rules, as row messages."""
    problems = core_services.membership_admit_problems(
        person=person,
        organization=branch,
        membership_type=MembershipType.PROBATIONARY,
        joined_on=joined_on,
    )
    keys = {"joined_on": "step_branch_meeting", "organization": "branch"}
    errors = {keys.get(key, key): message for key, message in problems.items()}
    # The import dates 转正 at the end of the probation, which may not lie after today.
    full_on = rules.probation_end(joined_on)
    if "full_approval" in reached and full_on > ctx.today:
        errors["step_full_approval"] = _(
            "转正日期按预备期满计算为 %(d)s，晚于今天：请核对“支部大会讨论接收”的日期"
        ) % {"d": full_on.isoformat()}
    return errors


def _find(values: dict[str, Any], ctx: CaseContext) -> tuple[Any, str]:
    return None, ""  # only new cases; a person with a case is refused in ``_validate``


def _apply(values: dict[str, Any], existing: Any, ctx: CaseContext) -> Case:
    return services.case_import(
        actor=ctx.actor,
        scope=ctx.scope,
        person=values["person"],
        branch=values["branch"],
        applied_on=values["applied_on"],
        dates=values["dates"],
        warnings=values["warnings"],
    )


def case_spec(steps: list[StepDefinition]) -> ImportSpec:
    """The columns follow the step list (a school may rename steps), so the spec is built per use."""
    step_columns = tuple(
        Column(
            _step_key(s),
            f"{s.number}.{s.name}",
            kind="text" if s.repeatable else "date",
            happened=True,
            help=_("可填多个日期，用分号分隔") if s.repeatable else "",
        )
        for s in steps[1:]
    )
    return ImportSpec(
        name="发展党员档案",
        columns=(
            Column("staff_number", "工号/学号", required=True, example="2023010101"),
            Column("name", "姓名", required=True, example="陈同学", help="与工号/学号核对"),
            Column(
                "applied_on",
                "1.递交入党申请书",
                required=True,
                kind="date",
                happened=True,
                example="2023-03-01",
            ),
            *step_columns,
        ),
        natural_key="staff_number",
        model=Case,
        validate=_validate,  # type: ignore[arg-type]
        find=_find,  # type: ignore[arg-type]
        unchanged=lambda values, existing: False,
        apply=_apply,  # type: ignore[arg-type]
        prefetch=_prefetch,  # type: ignore[arg-type]
        instructions=(
            "每行一人：人员须已在平台上(先导入人员)，所在党支部即其发展党员档案所在支部。",
            "从第 1 步起按顺序填写已完成步骤的日期，未完成的步骤留空；步骤须连续。",
            "不符合时限规则的日期照实导入，在预检结果和档案中标为提醒。",
            "确认导入时全部行一起写入：任何一行出错都不会写入任何数据。",
        ),
    )


def spec() -> ImportSpec:
    return case_spec(step_definitions())


def context(user: Any, params: dict[str, Any]) -> CaseContext:
    return CaseContext(actor=user, scope=resolve_scope(user), steps=step_definitions())


def row_warnings(values: dict[str, Any]) -> list[str]:
    """The timing rules a row did not meet (by step), as the dry run and the result sheet show them."""
    return [message for messages in (values.get("warnings") or {}).values() for message in messages]
