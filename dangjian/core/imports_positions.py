"""Importing Party posts (书记, 委员, 党小组长…) held today, e.g. when a school starts using the platform."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.core import services
from dangjian.core.models import Organization, Person, Position, PositionTitle
from dangjian.spreadsheets.spec import Column, ImportSpec, ScopedContext


@dataclass
class PositionContext(ScopedContext):
    # Posts claimed by earlier rows of the file: (org, 书记/党小组长) → staff number, (person, org) → title.
    single_posts: dict[tuple[int, str], str] = field(default_factory=dict)
    posts_held: dict[tuple[int, int], str] = field(default_factory=dict)


def _validate(values: dict[str, Any], ctx: PositionContext) -> dict[str, str]:
    errors: dict[str, str] = {}
    person = Person.objects.filter(staff_number=values["staff_number"]).select_related("organization").first()
    if person is None or not (
        person.organization and ctx.scope.covers(Permission.VIEW_PEOPLE, person.organization.path)
    ):
        errors["staff_number"] = _("“%(s)s”不在您管理范围内的人员中(请先导入人员)") % {
            "s": values["staff_number"]
        }
    org = Organization.objects.filter(code=values["org_code"], is_active=True).first()
    if org is None or not ctx.scope.covers(Permission.MANAGE_POSITIONS, org.path):
        errors["org_code"] = _("“%(c)s”不存在或不在您的管理范围内") % {"c": values["org_code"]}
    values["person"], values["organization"] = person, org
    if errors or person is None or org is None:
        return errors
    current = Position.objects.filter(
        person=person, organization=org, title=values["title"], ended_on__isnull=True
    ).exists()
    if current:
        return errors  # the post is held: ``_find`` compares it, nothing is assigned
    # The service's own rules (an on-roll member of this branch, 党小组长 only in a 党小组, one
    # secretary…), so a file the dry run accepts is one the commit writes.
    problems = services.position_problems(person=person, organization=org, title=values["title"])
    if problems:
        return {"position": problems[0].message}
    return _claim(values, ctx)


def _claim(values: dict[str, Any], ctx: PositionContext) -> dict[str, str]:
    """The same rules between the rows of one file: the commit writes them one after another."""
    person, org, title = values["person"], values["organization"], values["title"]
    if title in (PositionTitle.SECRETARY, PositionTitle.GROUP_LEADER):
        holder = ctx.single_posts.setdefault((org.pk, title), values["staff_number"])
        if holder != values["staff_number"]:
            return {
                "position": _(
                    "本文件中已有该组织的%(title)s(工号/学号“%(s)s”)，一个组织只能有一名在任%(title)s"
                )
                % {"title": PositionTitle(title).label, "s": holder}
            }
    held = ctx.posts_held.setdefault((person.pk, org.pk), title)
    if held != title:
        return {
            "position": _("本文件中“%(name)s”已在该组织任%(title)s，同一人在一个组织只能任一职")
            % {"name": person.name, "title": PositionTitle(held).label}
        }
    return {}


def _find(values: dict[str, Any], ctx: ScopedContext) -> tuple[Position | None, str]:
    position = Position.objects.filter(
        person=values["person"],
        organization=values["organization"],
        title=values["title"],
        ended_on__isnull=True,
    ).first()
    if position is not None and position.started_on != values["started_on"]:
        return None, _("该职务已在任，任职日期不同：请在组织页面免职后再任职")
    return position, ""


def _unchanged(values: dict[str, Any], position: Position) -> bool:
    return position.started_on == values["started_on"]


def _apply(values: dict[str, Any], position: Position | None, ctx: ScopedContext) -> Position:
    return services.position_assign(
        actor=ctx.actor,
        person=values["person"],
        organization=values["organization"],
        title=values["title"],
        started_on=values["started_on"],
    )


POSITIONS = ImportSpec(
    name="党内职务",
    columns=(
        Column("staff_number", "工号/学号", required=True, example="20260001", help="须是已登记的党员"),
        Column("org_code", "组织代码", required=True, example="CS-T1"),
        Column(
            "title",
            "职务",
            required=True,
            kind="choice",
            choices={str(label): value for value, label in PositionTitle.choices},
            example="书记",
        ),
        Column("started_on", "任职日期", required=True, kind="date", happened=True, example="2024-09-01"),
    ),
    natural_key=("staff_number", "org_code", "title"),
    model=Position,
    filled=(AuditEvent,),  # analysed after a big commit
    validate=_validate,
    find=_find,
    unchanged=_unchanged,
    apply=_apply,
    instructions=(
        "每行一个现任职务；换届请在组织页面操作，原委员会的职务会自动免去。",
        "一个组织只能有一名在任书记、一名党小组长；任职人须是本支部党员。",
    ),
)


def context(user: Any, params: dict[str, Any]) -> PositionContext:
    return PositionContext(actor=user, scope=resolve_scope(user))
