"""Writes of 数据报送: design a table (fields), open it to the chosen organizations (assignments, rows,
to-dos and notices), fill it (save a draft, submit), remind, return with a reason, accept, close.

Every write runs in one transaction, locks the row it changes (``select_for_update``), checks the state
the user saw (``expected_status``) and is audited with before/after. ``scope`` is the user's; the
platform itself (the demo seed) passes ``Scope.system()``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.recipients import organizers_at, secretary_users
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization
from dangjian.kit.errors import DomainError, NotFound, RuleViolation
from dangjian.kit.fields import within_max_length
from dangjian.kit.transitions import expect_state
from dangjian.kit.uploads import checked_upload
from dangjian.returns import access, rules, selectors
from dangjian.returns.models import (
    FILLABLE,
    Assignment,
    AssignmentStatus,
    FieldType,
    Return,
    ReturnField,
    ReturnKind,
    ReturnStatus,
    Row,
    RowFile,
    RowsPer,
)

UPLOAD_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx")
UPLOAD_KINDS = "PDF、JPG、PNG、Word(docx)、Excel(xlsx)"
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
MAX_FIELDS = 40


class CellErrors(RuleViolation):
    """A submission refused: every failing cell, each message naming its row and field."""

    code = "invalid_cells"

    def __init__(self, errors: list[rules.CellError]) -> None:
        self.errors = errors
        shown = "；".join(e.message for e in errors[:5])
        more = _("等 %(n)s 处") % {"n": len(errors)} if len(errors) > 5 else ""
        super().__init__(_("有内容未通过检查：%(e)s%(more)s") % {"e": shown, "more": more})


class Locked(DomainError):
    """The annual return is locked: nothing may be written until it is reopened with a reason."""

    code = "locked"
    status = 409


def locked_message(ret: Return) -> str:
    return _("%(y)s年党内统计年报已锁定，不能修改；如需更正，请由学校党委说明原因后重新开放。") % {
        "y": ret.year
    }


def refuse_if_locked(ret: Return) -> None:
    if ret.status == ReturnStatus.LOCKED:
        raise Locked(locked_message(ret))


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _refuse() -> NotFound:
    # Outside the user's scope the object does not exist for them (the pages answer 404 the same way).
    return NotFound(_("未找到该数据报送"))


def _require_review(scope: Scope, ret: Return) -> None:
    if not access.may_review(scope, ret):
        raise _refuse()


def _require_draft(ret: Return) -> None:
    refuse_if_locked(ret)
    if ret.status != ReturnStatus.DRAFT:
        raise RuleViolation(_("报表已发布，不能再修改设计"), code="not_draft")


# ---------------------------------------------------------------- design


def _check_design(*, title: str, rows_per: str, deadline: date | None, today: date) -> None:
    if not title.strip():
        raise RuleViolation(_("请填写标题"), field="title")
    within_max_length(title.strip(), Return, "title")
    if rows_per not in RowsPer.values:
        raise RuleViolation(_("请选择填报方式"), field="rows_per")
    problem = rules.deadline_problem(deadline, today)
    if problem:
        raise RuleViolation(problem, field="deadline")


def return_create(
    *,
    actor: Any,
    scope: Scope,
    designer: Organization,
    title: str,
    instructions: str = "",
    rows_per: str = RowsPer.ORG,
    deadline: date | None,
    today: date | None = None,
) -> Return:
    """A new table in draft, designed at ``designer`` (the user reviews returns there)."""
    if not access.may_design(scope, designer):
        raise _refuse()
    _check_design(title=title, rows_per=rows_per, deadline=deadline, today=today or timezone.localdate())
    with transaction.atomic():
        ret = Return.objects.create(
            kind=ReturnKind.ADHOC,
            title=title.strip(),
            instructions=instructions.strip(),
            designer=designer,
            rows_per=rows_per,
            deadline=deadline,
            created_by=_actor(actor),
        )
        audit.record(
            actor=actor,
            action="returns.create",
            target=ret,
            org=designer,
            changes={"title": ret.title, "rows_per": rows_per, "deadline": deadline},
        )
    return ret


def return_update(
    *,
    actor: Any,
    scope: Scope,
    ret: Return,
    expected_status: str | None,
    title: str,
    instructions: str,
    rows_per: str,
    deadline: date | None,
    today: date | None = None,
) -> Return:
    """Edit a draft's title, instructions, row kind and deadline."""
    _require_review(scope, ret)
    _check_design(title=title, rows_per=rows_per, deadline=deadline, today=today or timezone.localdate())
    with transaction.atomic():
        locked = Return.objects.select_for_update().get(pk=ret.pk)
        expect_state(locked.status, expected_status)
        _require_draft(locked)
        after = {
            "title": title.strip(),
            "instructions": instructions.strip(),
            "rows_per": rows_per,
            "deadline": deadline,
        }
        changes = {k: [getattr(locked, k), v] for k, v in after.items() if getattr(locked, k) != v}
        for key, value in after.items():
            setattr(locked, key, value)
        locked.save()
        audit.record(
            actor=actor, action="returns.update", target=locked, org=locked.designer, changes=changes
        )
    return locked


def field_add(
    *,
    actor: Any,
    scope: Scope,
    ret: Return,
    label: str,
    type: str,
    required: bool = False,
    min_value: Decimal | None = None,
    max_value: Decimal | None = None,
    choices: Iterable[str] = (),
    sum_of: Iterable[str] = (),
    figure: str = "",
) -> ReturnField:
    """Add a field to a draft. Choices for a choice field; bounds, a sum check (the keys of other number
    fields) and a statistics figure to pre-fill from, for a number field."""
    from dangjian.reporting.figures import figures

    _require_review(scope, ret)
    label = label.strip()
    if not label:
        raise RuleViolation(_("请填写字段名称"), field="label")
    within_max_length(label, ReturnField, "label")
    if type not in FieldType.values:
        raise RuleViolation(_("请选择字段类型"), field="type")
    options = [c.strip() for c in choices if c.strip()]
    if type == FieldType.CHOICE and len(options) < 2:
        raise RuleViolation(_("选项字段至少需要两个选项"), field="choices")
    if type != FieldType.NUMBER and (
        min_value is not None or max_value is not None or figure or list(sum_of)
    ):
        raise RuleViolation(_("最小值、最大值、求和检查和预填统计数只用于数字字段"), field="type")
    if min_value is not None and max_value is not None and min_value > max_value:
        raise RuleViolation(_("最小值不能大于最大值"), field="max_value")
    if figure and figure not in figures():
        raise RuleViolation(_("没有这个统计数"), field="figure")
    with transaction.atomic():
        locked = Return.objects.select_for_update().get(pk=ret.pk)
        _require_draft(locked)
        existing = selectors.fields_of(locked)
        if len(existing) >= MAX_FIELDS:
            raise RuleViolation(_("一张报表最多 %(n)s 个字段") % {"n": MAX_FIELDS})
        if label in {f.label for f in existing}:
            raise RuleViolation(_("已有名为“%(l)s”的字段") % {"l": label}, field="label")
        numbers = {f.key for f in existing if f.type == FieldType.NUMBER}
        parts = list(dict.fromkeys(sum_of))
        if any(k not in numbers for k in parts):
            raise RuleViolation(_("求和检查只能引用本表已有的数字字段"), field="sum_of")
        number = max((int(f.key[1:]) for f in existing if f.key[1:].isdigit()), default=0) + 1
        field = ReturnField.objects.create(
            ret=locked,
            position=max((f.position for f in existing), default=0) + 1,
            key=f"f{number}",
            label=label,
            type=type,
            required=required,
            min_value=min_value,
            max_value=max_value,
            choices=options if type == FieldType.CHOICE else [],
            sum_of=parts,
            figure=figure,
        )
        audit.record(
            actor=actor,
            action="returns.field_add",
            target=locked,
            org=locked.designer,
            changes={"field": field.key, "label": label, "type": type, "required": required},
        )
    return field


def field_remove(*, actor: Any, scope: Scope, field: ReturnField, expected_status: str | None) -> None:
    """Remove a field of a draft (``expected_status``: the return's status as the page showed it)."""
    ret = field.ret
    _require_review(scope, ret)
    with transaction.atomic():
        locked = Return.objects.select_for_update().get(pk=ret.pk)
        refuse_if_locked(locked)
        expect_state(locked.status, expected_status)
        _require_draft(locked)
        used = [f.label for f in selectors.fields_of(locked) if field.key in (f.sum_of or [])]
        if used:
            raise RuleViolation(
                _("“%(f)s”用于“%(u)s”的求和检查，请先删除那个字段") % {"f": field.label, "u": "、".join(used)}
            )
        ReturnField.objects.filter(pk=field.pk).delete()
        audit.record(
            actor=actor,
            action="returns.field_remove",
            target=locked,
            org=locked.designer,
            changes={"field": field.key, "label": [field.label, None]},
        )


# ---------------------------------------------------------------- open, close


def _fillers(org: Organization) -> list[Any]:
    """Who fills at ``org``: its secretary and the organizers whose role is given there."""
    return secretary_users(org) + organizers_at(org)


def return_open(
    *,
    actor: Any,
    scope: Scope,
    ret: Return,
    organizations: list[Organization],
    expected_status: str | None,
    today: date | None = None,
) -> list[Assignment]:
    """Send the table to ``organizations`` (each below the designer): one assignment each, its rows (one
    for the organization, or one per member on its roll) with number fields pre-filled from the latest
    statistics, and a notice to each organization's fillers."""
    from dangjian.reporting.selectors import latest_figures
    from dangjian.workbench.services import notify

    _require_review(scope, ret)
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Return.objects.select_for_update().select_related("designer").get(pk=ret.pk)
        expect_state(locked.status, expected_status)
        _require_draft(locked)
        fields = selectors.fields_of(locked)
        if not fields:
            raise RuleViolation(_("报表还没有字段，不能发布"), code="no_fields")
        problem = rules.deadline_problem(locked.deadline, today)
        if problem:
            raise RuleViolation(problem, field="deadline")
        chosen = {o.pk: o for o in organizations}
        if not chosen:
            raise RuleViolation(_("请选择需要填报的组织"), field="organizations")
        allowed = {o.pk for o in selectors.targets_of(locked.designer).all}
        if set(chosen) - allowed:
            raise RuleViolation(_("只能发给本组织下级的组织"), field="organizations")
        prefill = [f for f in fields if f.figure and f.type == FieldType.NUMBER]
        figures = latest_figures(chosen) if prefill and locked.rows_per == RowsPer.ORG else {}
        assignments = Assignment.objects.bulk_create(
            [Assignment(ret=locked, organization=o) for o in sorted(chosen.values(), key=lambda o: o.path)]
        )
        rows: list[Row] = []
        for assignment in assignments:
            org = assignment.organization
            if locked.rows_per == RowsPer.MEMBER:
                for n, membership in enumerate(selectors.members_on_roll(org), start=1):
                    rows.append(Row(assignment=assignment, position=n, person_id=membership.person_id))
            else:
                values = {f.key: str(figures.get(org.pk, {}).get(f.figure, 0)) for f in prefill}
                rows.append(Row(assignment=assignment, position=1, values=values))
        Row.objects.bulk_create(rows)
        locked.status = ReturnStatus.OPEN
        locked.opened_at = timezone.now()
        locked.save(update_fields=["status", "opened_at"])
        audit.record(
            actor=actor,
            action="returns.open",
            target=locked,
            org=locked.designer,
            changes={
                "status": [ReturnStatus.DRAFT, ReturnStatus.OPEN],
                "organizations": sorted(chosen),
                "deadline": locked.deadline,
            },
        )
        title = _("请填报“%(t)s”，截止 %(d)s") % {"t": locked.title, "d": locked.deadline}
        notices = [(a.organization, reverse("returns:fill", args=[a.pk])) for a in assignments]

        def tell() -> None:
            for org, link in notices:
                notify(_fillers(org), "returns", title, link=link)

        transaction.on_commit(tell)
    return assignments


def return_close(*, actor: Any, scope: Scope, ret: Return, expected_status: str | None) -> Return:
    """Stop collecting: unsubmitted assignments can no longer be filled; submitted ones may still be
    reviewed."""
    _require_review(scope, ret)
    with transaction.atomic():
        locked = Return.objects.select_for_update().select_related("designer").get(pk=ret.pk)
        refuse_if_locked(locked)
        expect_state(locked.status, expected_status)
        if locked.status != ReturnStatus.OPEN or locked.is_annual:
            raise RuleViolation(_("只有填报中的报表可以结束"))
        locked.status = ReturnStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        audit.record(
            actor=actor,
            action="returns.close",
            target=locked,
            org=locked.designer,
            changes={"status": [ReturnStatus.OPEN, ReturnStatus.CLOSED]},
        )
    return locked


# ---------------------------------------------------------------- fill


def _row_label(row: Row, org: Organization) -> str:
    return row.person.name if row.person_id and row.person else org.name


def assignment_fill(
    *,
    actor: Any,
    scope: Scope,
    assignment: Assignment,
    values: Mapping[int, Mapping[str, str]],
    uploads: Mapping[tuple[int, str], Any] | None = None,
    expected_status: str | None,
    submit: bool = False,
    today: date | None = None,
) -> Assignment:
    """Save what was typed (``values``: row id → field key → text; ``uploads``: (row id, key) → file) as
    a draft, or submit it: every cell is checked first and a failing one refuses the whole submission.
    A second submit of the same page is stale (the assignment is no longer in the state it showed)."""
    today = today or timezone.localdate()
    uploads = uploads or {}
    with transaction.atomic():
        locked = (
            Assignment.objects.select_for_update()
            .select_related("ret", "ret__designer", "organization")
            .get(pk=assignment.pk)
        )
        if not access.fills_at(scope, locked.organization):
            raise _refuse()
        refuse_if_locked(locked.ret)
        if locked.ret.is_annual:
            raise RuleViolation(_("年报请在年报页面填报"), code="annual")
        expect_state(locked.status, expected_status)
        if locked.ret.status != ReturnStatus.OPEN:
            raise RuleViolation(_("报表已结束填报"), code="closed")
        if locked.status not in FILLABLE:
            raise RuleViolation(_("已提交，不能再修改"), code="submitted")
        fields = selectors.fields_of(locked.ret)
        by_key = {f.key: f for f in fields}
        rows = selectors.rows_of(locked)
        before_status = locked.status
        changed: dict[str, Any] = {}
        for row in rows:
            typed = values.get(row.pk, {})
            merged = dict(row.values)
            for key, field in by_key.items():
                if field.type == FieldType.FILE or key not in typed:
                    continue
                text = str(typed[key] or "").strip()[: rules.TEXT_MAX + 1]
                if field.type == FieldType.NUMBER:
                    number = rules.parse_number(text)
                    text = rules.number_text(number) if number is not None else text
                if merged.get(key, "") != text:
                    changed[f"{row.position}.{key}"] = [merged.get(key, ""), text]
                    merged[key] = text
            if merged != row.values:
                row.values = merged
                row.save(update_fields=["values"])
            for key, field in by_key.items():
                upload = uploads.get((row.pk, key))
                if field.type != FieldType.FILE or upload is None:
                    continue
                try:
                    name = checked_upload(
                        upload, extensions=UPLOAD_EXTENSIONS, max_bytes=UPLOAD_MAX_BYTES, kinds=UPLOAD_KINDS
                    )
                except RuleViolation as exc:
                    cell = rules.cell_name(row.position, _row_label(row, locked.organization), field.label)
                    raise RuleViolation(cell + exc.message, field=f"r{row.pk}_{key}") from None
                RowFile.objects.filter(row=row, key=key).delete()
                stored = RowFile(row=row, key=key, name=name, size=upload.size or 0)
                stored.file.save(name, upload, save=False)
                stored.save()
                changed[f"{row.position}.{key}"] = [None, name]
        if submit:
            with_files = {
                r.pk: frozenset(RowFile.objects.filter(row=r).values_list("key", flat=True)) for r in rows
            }
            errors: list[rules.CellError] = []
            for row in rows:
                errors += rules.row_errors(
                    fields,
                    row.values,
                    row_number=row.position,
                    row_label=_row_label(row, locked.organization),
                    files=with_files[row.pk],
                )
            if errors:
                raise CellErrors(errors)
            locked.status = AssignmentStatus.SUBMITTED
            locked.submitted_at = timezone.now()
            locked.submitted_by = _actor(actor)
            locked.late = rules.is_late(today, locked.ret.deadline)
            locked.returned_reason = ""
        else:
            locked.status = AssignmentStatus.DRAFT
        locked.saved_at = timezone.now()
        locked.save()
        audit.record(
            actor=actor,
            action="returns.submit" if submit else "returns.save",
            target=locked,
            org=locked.organization,
            changes={"status": [before_status, locked.status], "cells": changed, "late": locked.late},
        )
    return locked


# ---------------------------------------------------------------- review


def _decided(
    *, actor: Any, scope: Scope, assignment: Assignment, expected_status: str | None
) -> tuple[Assignment, str]:
    locked = (
        Assignment.objects.select_for_update()
        .select_related("ret", "ret__designer", "organization")
        .get(pk=assignment.pk)
    )
    _require_review(scope, locked.ret)
    refuse_if_locked(locked.ret)
    expect_state(locked.status, expected_status)
    if not access.may_decide(scope, locked):
        raise RuleViolation(_("只有已提交的填报可以退回或通过"), code="not_submitted")
    return locked, locked.status


def assignment_return(
    *, actor: Any, scope: Scope, assignment: Assignment, reason: str, expected_status: str | None
) -> Assignment:
    """Send a submitted table back to its organization with a reason (it may be filled again)."""
    from dangjian.workbench.services import notify

    reason = reason.strip()
    if not reason:
        raise RuleViolation(_("请填写退回原因"), field="reason")
    within_max_length(reason, Assignment, "returned_reason")
    with transaction.atomic():
        locked, before = _decided(
            actor=actor, scope=scope, assignment=assignment, expected_status=expected_status
        )
        if locked.ret.status != ReturnStatus.OPEN:
            raise RuleViolation(_("报表已结束填报，不能退回"), code="closed")
        locked.status = AssignmentStatus.RETURNED
        locked.returned_reason = reason
        locked.save(update_fields=["status", "returned_reason"])
        audit.record(
            actor=actor,
            action="returns.return",
            target=locked,
            org=locked.organization,
            changes={"status": [before, locked.status], "reason": reason},
        )
        title = _("“%(t)s”被退回：%(r)s") % {"t": locked.ret.title, "r": reason}
        link = reverse("returns:fill", args=[locked.pk])
        org = locked.organization
        transaction.on_commit(lambda: notify(_fillers(org), "returns", title, link=link))
    return locked


def assignment_accept(
    *, actor: Any, scope: Scope, assignment: Assignment, expected_status: str | None
) -> Assignment:
    with transaction.atomic():
        locked, before = _decided(
            actor=actor, scope=scope, assignment=assignment, expected_status=expected_status
        )
        locked.status = AssignmentStatus.ACCEPTED
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["status", "accepted_at"])
        audit.record(
            actor=actor,
            action="returns.accept",
            target=locked,
            org=locked.organization,
            changes={"status": [before, locked.status]},
        )
    return locked


def assignment_remind(*, actor: Any, scope: Scope, assignment: Assignment, today: date | None = None) -> bool:
    """Remind an organization that has not submitted; at most once a day per assignment (a second
    reminder the same day does nothing and answers False)."""
    from dangjian.workbench.services import notify

    today = today or timezone.localdate()
    with transaction.atomic():
        locked = (
            Assignment.objects.select_for_update()
            .select_related("ret", "ret__designer", "organization")
            .get(pk=assignment.pk)
        )
        _require_review(scope, locked.ret)
        refuse_if_locked(locked.ret)
        if not access.may_remind(scope, locked):
            raise RuleViolation(_("只能催报填报中且未提交的组织"), code="not_remindable")
        if locked.reminded_on == today:
            return False
        before = locked.reminded_on
        locked.reminded_on = today
        locked.save(update_fields=["reminded_on"])
        audit.record(
            actor=actor,
            action="returns.remind",
            target=locked,
            org=locked.organization,
            changes={"reminded_on": [before, today]},
        )
        ret = locked.ret
        title = _("请尽快填报“%(t)s”，截止 %(d)s") % {"t": ret.title, "d": ret.deadline}
        link = reverse("returns:fill", args=[locked.pk])
        org = locked.organization
        transaction.on_commit(lambda: notify(_fillers(org), "returns", title, link=link))
    return True


def return_remind(*, actor: Any, scope: Scope, ret: Return, today: date | None = None) -> int:
    """Remind every organization of the return that has not submitted (each at most once a day)."""
    _require_review(scope, ret)
    refuse_if_locked(ret)
    sent = 0
    for assignment in Assignment.objects.filter(ret=ret, status__in=FILLABLE).order_by("pk"):
        if ret.status == ReturnStatus.OPEN and assignment_remind(
            actor=actor, scope=scope, assignment=assignment, today=today
        ):
            sent += 1
    return sent
