"""Enrolments and results of one class from Excel: 工号/学号 + 姓名, attendance, score, result. A dry run
first (row by row, nothing written), then all rows or none (one transaction). The pages and the job are
the one import flow of ``spreadsheets``; the kind is declared in ``contributions.py``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import resolve_scope
from dangjian.core.models import Person
from dangjian.hooks import ImportSubject
from dangjian.learning import rules, selectors, services
from dangjian.learning.models import Enrolment, ExamResult, TrainingClass
from dangjian.spreadsheets.spec import Column, ImportSpec, ScopedContext

JOB_KIND = "training_import"  # the kind of its jobs, stored on them: never renamed


@dataclass
class ClassContext(ScopedContext):
    training_class: TrainingClass = field(default=None)  # type: ignore[assignment]
    people: dict[str, Person] = field(default_factory=dict)
    enrolments: dict[int, Enrolment] = field(default_factory=dict)


def _prefetch(rows: list[dict[str, Any]], ctx: ClassContext) -> None:
    """Only the people of the importer's scope and the class's own students: anyone else reads as
    unknown, so a row can never reveal the stored name (or existence) of a person outside the scope."""
    numbers = [r["staff_number"] for r in rows if r.get("staff_number")]
    ctx.enrolments = {e.person_id: e for e in Enrolment.objects.filter(training_class=ctx.training_class)}
    visible = ctx.scope.q(Permission.MANAGE_TRAINING, "organization__path") | Q(pk__in=list(ctx.enrolments))
    found = Person.objects.filter(visible, staff_number__in=numbers).select_related("organization")
    ctx.people = {p.staff_number: p for p in found if p.staff_number}


def _decimal(raw: Any, key: str, low: Decimal, high: Decimal, errors: dict[str, str]) -> Decimal | None:
    if raw in ("", None):
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():  # "NaN" and "Infinity" parse, then fail every comparison
        errors[key] = _("“%(v)s”不是数字") % {"v": raw}
        return None
    if not low <= value <= high or value != value.quantize(Decimal("0.1")):
        errors[key] = _("应为 %(a)s 至 %(b)s 之间的数，最多一位小数") % {
            "a": rules.plain(low),
            "b": rules.plain(high),
        }
        return None
    return value


def _validate(values: dict[str, Any], ctx: ClassContext) -> dict[str, str]:
    errors: dict[str, str] = {}
    training_class = ctx.training_class
    if not training_class.is_open:
        return {"staff_number": _("班次已结班，不能再导入")}
    organizer = training_class.organizer
    if not ctx.scope.covers(Permission.MANAGE_TRAINING, organizer.path):  # as enrolment_add refuses
        return {"class": _("您不能管理“%(o)s”的党校培训") % {"o": organizer.name}}
    person = ctx.people.get(values["staff_number"])  # None too for anyone outside the scope
    if person is None:
        return {"staff_number": _("系统中没有工号/学号为“%(s)s”的人员") % {"s": values["staff_number"]}}
    if person.name != values["name"]:
        errors["name"] = _("与工号/学号不符(系统中为“%(n)s”)") % {"n": person.name}
    values["person"] = person
    if person.pk not in ctx.enrolments:
        refusal = rules.enrol_refusal(training_class.kind, person.political_status, person.name)
        org = person.organization
        if refusal:
            errors["staff_number"] = refusal
        elif (
            org is None
            or not org.path.startswith(training_class.organizer.path)
            or not ctx.scope.covers(Permission.MANAGE_TRAINING, org.path)
        ):
            errors["staff_number"] = _("%(n)s 不在“%(o)s”范围内") % {
                "n": person.name,
                "o": training_class.organizer.name,
            }
    values["attended"] = _decimal(
        values.get("attended_hours"), "attended_hours", Decimal("0"), training_class.hours, errors
    )
    values["score_value"] = _decimal(values.get("score"), "score", Decimal("0"), Decimal("100"), errors)
    return errors


def _find(values: dict[str, Any], ctx: ClassContext) -> tuple[Enrolment | None, str]:
    return ctx.enrolments.get(values["person"].pk), ""


def _merged(values: dict[str, Any], existing: Enrolment | None) -> tuple[Any, Any, str]:
    """Blank cells keep what is recorded."""
    return (
        values["attended"] if values["attended"] is not None else getattr(existing, "attended_hours", None),
        values["score_value"] if values["score_value"] is not None else getattr(existing, "score", None),
        str(values.get("result") or getattr(existing, "result", "")),
    )


def _unchanged(values: dict[str, Any], existing: Enrolment) -> bool:
    return _merged(values, existing) == (existing.attended_hours, existing.score, existing.result)


def _apply(values: dict[str, Any], existing: Enrolment | None, ctx: ClassContext) -> Enrolment:
    enrolment, _created = services.enrolment_add(
        actor=ctx.actor, scope=ctx.scope, training_class=ctx.training_class, person=values["person"]
    )
    attended, score, result = _merged(values, existing)
    if (attended, score, result) != (None, None, ""):
        enrolment = services.enrolment_record(
            actor=ctx.actor,
            scope=ctx.scope,
            enrolment=enrolment,
            attended_hours=attended,
            score=score,
            result=result,
        )
    return enrolment


ENROLMENTS = ImportSpec(
    name="培训学员",
    columns=(
        Column("staff_number", "工号/学号", required=True, example="2023010101"),
        Column("name", "姓名", required=True, example="陈同学", help="与工号/学号核对"),
        Column("attended_hours", "出勤学时", example="24", help="不超过班次学时；不填则保持原值"),
        Column("score", "考试成绩", example="86", help="0–100；不填则保持原值"),
        Column(
            "result",
            "考试结果",
            kind="choice",
            choices={str(label): value for value, label in ExamResult.choices},
            example="合格",
            help="合格/不合格；不填则保持原值",
        ),
    ),
    natural_key="staff_number",
    model=Enrolment,
    fields={"attended": "attended_hours", "score_value": "score"},
    validate=_validate,  # type: ignore[arg-type]
    find=_find,  # type: ignore[arg-type]
    unchanged=_unchanged,
    apply=_apply,  # type: ignore[arg-type]
    prefetch=_prefetch,  # type: ignore[arg-type]
    instructions=(
        "每行一名学员：不在班次中的人员先报名(入党积极分子培训班只招收入党积极分子，发展对象培训班只招收发展对象)，"
        "再写入出勤、成绩和结果。",
        "确认导入时全部行一起写入：任何一行出错都不会写入任何数据。",
    ),
)


def context(user: Any, params: dict[str, Any]) -> ClassContext:
    training_class = TrainingClass.objects.select_related("organizer").get(pk=params["class_id"])
    return ClassContext(actor=user, scope=resolve_scope(user), training_class=training_class)


def subject(request: HttpRequest, class_id: Any) -> ImportSubject:
    """The class whose enrolments are imported: one the user manages (else 404)."""
    training_class = selectors.get_class_for(scope_of(request), class_id, Permission.MANAGE_TRAINING)
    return ImportSubject(
        name=training_class.name,
        title=_("导入学员与成绩：%(n)s") % {"n": training_class.name},
        back_url=reverse("learning:class", args=[training_class.pk]),
        back_label=training_class.name,
        org_path=training_class.organizer.path,
    )
