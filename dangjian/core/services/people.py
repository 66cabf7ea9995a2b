"""Writes of people: create (one or in bulk), update, the political status."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.audit.services import diff
from dangjian.core import crypto
from dangjian.core.idnumbers import mask_id_number, parse_id_number
from dangjian.core.models import (
    Membership,
    Organization,
    Person,
)
from dangjian.core.pinyin import name_pinyin_and_initials
from dangjian.core.services._common import PERSON_FIELDS, PHONE_RE, _lock, snapshot
from dangjian.core.services.counters import counted_facts, counters_refresh
from dangjian.kit.bulk import copy_insert, update_existing
from dangjian.kit.dates import not_in_future
from dangjian.kit.errors import RuleViolation
from dangjian.kit.transitions import expect_state

history_model: Any = Person.history.model  # type: ignore[attr-defined]


def _apply_id_number(person: Person, raw: str | None, *, check_clash: bool = True) -> None:
    if not raw:
        return
    try:
        info = parse_id_number(raw)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    if person.birth_date and person.birth_date != info.birth_date:
        raise ValidationError(
            {
                "birth_date": _("出生日期与身份证号码不一致(号码中为 %(d)s)。")
                % {"d": info.birth_date.isoformat()}
            }
        )
    if person.gender and person.gender != info.gender:
        raise ValidationError({"gender": _("性别与身份证号码不一致。")})
    index = crypto.blind_index(info.number)
    clash = (
        Person.objects.filter(id_number_index=index).exclude(pk=person.pk).first() if check_clash else None
    )
    if clash is not None:
        raise ValidationError(
            {"id_number": _("该身份证号码已登记在人员“%(name)s”名下。") % {"name": clash.name}}
        )
    person.birth_date = info.birth_date
    person.gender = info.gender
    person.id_number_encrypted = crypto.encrypt(info.number)
    person.id_number_index = index
    person.id_number_masked = mask_id_number(info.number)


def _validate_person(person: Person, *, check_clash: bool = True) -> None:
    not_in_future(person.birth_date, field="birth_date", label=_("出生日期"))
    errors: dict[str, str] = {}
    if person.phone and not PHONE_RE.match(person.phone):
        errors["phone"] = _("手机号码格式不正确：应为11位手机号(1开头)或带区号的固定电话。")
    if person.staff_number and check_clash:
        clash = Person.objects.filter(staff_number=person.staff_number).exclude(pk=person.pk).first()
        if clash:
            errors["staff_number"] = _("工号/学号已被“%(name)s”使用。") % {"name": clash.name}
    if not person.name or not person.name.strip():
        errors["name"] = _("请填写姓名。")
    if errors:
        raise ValidationError(errors)


def person_create(*, actor: Any, id_number: str | None = None, **data: Any) -> Person:
    person = Person(**{k: v for k, v in data.items() if k in PERSON_FIELDS})
    person.staff_number = person.staff_number or None
    if not id_number and not person.birth_date:
        raise ValidationError({"id_number": _("请填写身份证号码或出生日期。")})
    with transaction.atomic():
        _apply_id_number(person, id_number)
        _validate_person(person)
        person.name_pinyin, person.name_initials = name_pinyin_and_initials(person.name)
        person.save()
        counters_refresh([person.organization_id])
        after = snapshot(person, PERSON_FIELDS) | {"id_number": person.id_number_masked}
        audit.record(
            actor=actor,
            action="person.create",
            target=person,
            org=person.organization,
            changes=diff({}, after),
        )
    return person


def people_create_bulk(*, actor: Any, rows: list[dict[str, Any]]) -> list[Person]:
    """Create many people in one transaction: the same checks as ``person_create``, with the uniqueness
    checks set-based (two queries for the batch), history and audit written in bulk.

    Raises ValidationError for the first bad row; the caller (the import engine) then falls back to
    ``person_create`` row by row to report each row's own message.
    """
    people = []
    for data in rows:
        person = Person(**{k: v for k, v in data.items() if k in PERSON_FIELDS})
        person.staff_number = person.staff_number or None
        if not data.get("id_number") and not person.birth_date:
            raise ValidationError({"id_number": _("请填写身份证号码或出生日期。")})
        _apply_id_number(person, data.get("id_number"), check_clash=False)
        _validate_person(person, check_clash=False)
        person.name_pinyin, person.name_initials = name_pinyin_and_initials(person.name)
        people.append(person)
    indexes = [p.id_number_index for p in people if p.id_number_index]
    staff = [p.staff_number for p in people if p.staff_number]
    if len(set(indexes)) < len(indexes) or Person.objects.filter(id_number_index__in=indexes).exists():
        raise ValidationError({"id_number": _("身份证号码已被登记。")})
    if len(set(staff)) < len(staff) or Person.objects.filter(staff_number__in=staff).exists():
        raise ValidationError({"staff_number": _("工号/学号已被使用。")})
    with transaction.atomic():
        created = copy_insert(Person, people)
        copy_insert(history_model, _history_rows(created))
        counters_refresh(p.organization_id for p in created)
        audit.record_many(
            actor=actor,
            action="person.create",
            items=[
                (p, p.organization, diff({}, snapshot(p, PERSON_FIELDS) | {"id_number": p.id_number_masked}))
                for p in created
            ],
        )
    return created


def _history_rows(people: list[Person], kind: str = "+") -> list[Any]:
    """The history record of each person just created ("+") or updated ("~"), as simple-history's bulk
    path makes it."""
    from simple_history.utils import get_change_reason_from_object

    now = timezone.now()
    fields = [f.attname for f in history_model.tracked_fields]
    return [
        history_model(
            history_date=getattr(p, "_history_date", now),
            history_user=getattr(p, "_history_user", history_model.get_default_history_user(p)),
            history_change_reason=get_change_reason_from_object(p) or "",
            history_type=kind,
            **{name: getattr(p, name) for name in fields},
        )
        for p in people
    ]


def person_org_change_problem(*, person: Person, organization: Organization | None) -> str:
    """Why ``person_update`` refuses to put the person in ``organization`` ("" when it does not): a
    member's organization changes only through a transfer. An import's dry run asks it too."""
    if organization != person.organization and Membership.objects.filter(person=person).exists():
        return _member_org_change()
    return ""


def _member_org_change() -> str:
    return _("党员的组织关系变动须办理组织关系转接，不能直接修改所在党组织。")


# What an update writes: the person's fields, the derived ID-number and pinyin columns, the timestamp.
_UPDATED_FIELDS = (
    *PERSON_FIELDS,
    "id_number_encrypted",
    "id_number_index",
    "id_number_masked",
    "name_pinyin",
    "name_initials",
    "updated_at",
)


def people_update_bulk(*, actor: Any, rows: list[tuple[Person, dict[str, Any]]]) -> list[Person]:
    """Update many people in one transaction: ``person_update``'s rules for each (a member's organization
    changes only by a transfer; ID number, phone, staff number checked, uniqueness set-based), their
    rows locked and written in one statement, history and audit written in bulk.

    Each row is ``(person, data)`` with ``data`` as ``person_update`` takes it (``id_number`` None for
    no change). Raises like ``person_update`` for the first bad row; the caller (the import engine)
    then falls back to ``person_update`` row by row to report each row's own message."""
    with transaction.atomic():
        ids = [person.pk for person, _data in rows]
        locked = Person.objects.select_for_update().in_bulk(ids)
        orgs = Organization.objects.in_bulk({p.organization_id for p in locked.values() if p.organization_id})
        members = set(Membership.objects.filter(person_id__in=ids).values_list("person_id", flat=True))
        people, items, recount = [], [], set()
        for given, data in rows:
            person = locked[given.pk]
            person.organization = orgs.get(person.organization_id) if person.organization_id else None
            counted_before, before_org_id = counted_facts(person), person.organization_id
            before = snapshot(person, PERSON_FIELDS) | {"id_number": person.id_number_masked}
            if data.get("organization", person.organization) != person.organization and person.pk in members:
                raise RuleViolation(_member_org_change(), code="member_org_change", field="organization")
            for key, value in data.items():
                if key in PERSON_FIELDS:
                    setattr(person, key, value)
            person.staff_number = person.staff_number or None
            _apply_id_number(person, data.get("id_number"), check_clash=False)
            _validate_person(person, check_clash=False)
            person.name_pinyin, person.name_initials = name_pinyin_and_initials(person.name)
            changes = diff(before, snapshot(person, PERSON_FIELDS) | {"id_number": person.id_number_masked})
            people.append(person)
            if changes:
                items.append((person, person.organization, changes))
            if counted_facts(person) != counted_before:
                recount.update({before_org_id, person.organization_id})
        indexes = [p.id_number_index for p in people if p.id_number_index]
        staff = [p.staff_number for p in people if p.staff_number]
        others = Person.objects.exclude(pk__in=ids)
        if len(set(indexes)) < len(indexes) or others.filter(id_number_index__in=indexes).exists():
            raise ValidationError({"id_number": _("身份证号码已被登记。")})
        if len(set(staff)) < len(staff) or others.filter(staff_number__in=staff).exists():
            raise ValidationError({"staff_number": _("工号/学号已被使用。")})
        update_existing(Person, people, _UPDATED_FIELDS)
        counters_refresh(org_id for org_id in recount if org_id)
        copy_insert(history_model, _history_rows(people, "~"))
        audit.record_many(actor=actor, action="person.update", items=items)
    return people


def person_update(*, actor: Any, person: Person, id_number: str | None = None, **data: Any) -> Person:
    with transaction.atomic():
        person = _lock(person)
        before = snapshot(person, PERSON_FIELDS) | {"id_number": person.id_number_masked}
        counted_before, before_org_id = counted_facts(person), person.organization_id
        problem = person_org_change_problem(
            person=person, organization=data.get("organization", person.organization)
        )
        if problem:
            raise RuleViolation(problem, code="member_org_change", field="organization")
        for key, value in data.items():
            if key in PERSON_FIELDS:
                setattr(person, key, value)
        person.staff_number = person.staff_number or None
        _apply_id_number(person, id_number)
        _validate_person(person)
        person.name_pinyin, person.name_initials = name_pinyin_and_initials(person.name)
        person.save()
        if counted_facts(person) != counted_before:
            counters_refresh([before_org_id, person.organization_id])
        changes = diff(before, snapshot(person, PERSON_FIELDS) | {"id_number": person.id_number_masked})
        if changes:
            audit.record(
                actor=actor, action="person.update", target=person, org=person.organization, changes=changes
            )
    return person


def person_set_political_status(
    *, actor: Any, person: Person, status: str, reason: str = "", expected_status: str | None = None
) -> Person:
    """The one writer of Person.political_status outside membership services (used by recruitment);
    ``expected_status`` is the political status the page showed."""
    with transaction.atomic():
        person = _lock(person)
        expect_state(person.political_status, expected_status)
        before = person.political_status
        if before != status:
            person.political_status = status
            person.save(update_fields=["political_status", "updated_at"])
            counters_refresh([person.organization_id])
            audit.record(
                actor=actor,
                action="person.political_status",
                target=person,
                org=person.organization,
                changes={"political_status": {"before": before, "after": status}, "reason": reason},
            )
    return person
