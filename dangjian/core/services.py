"""Writes of the core module: organizations, people, memberships, positions, cadres.

Every function validates, runs in one transaction, locks what it changes and records an audit event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.audit.services import diff
from dangjian.core import crypto
from dangjian.core.idnumbers import mask_id_number, parse_id_number
from dangjian.core.models import (
    COMMITTEE_TITLES,
    ON_ROLL_STANDINGS,
    Cadre,
    DemocraticParty,
    DemocraticPartyMembership,
    Membership,
    MembershipType,
    Organization,
    OrgKind,
    Person,
    PoliticalStatus,
    Position,
    PositionTitle,
    Standing,
)
from dangjian.core.pinyin import name_initials, name_pinyin
from dangjian.core.rules import kind_may_hold
from dangjian.hooks import events
from dangjian.kit.dates import not_in_future
from dangjian.kit.errors import RuleViolation
from dangjian.kit.transitions import expect_state

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")

ORG_FIELDS = (
    "name",
    "short_name",
    "code",
    "kind",
    "category",
    "unit",
    "contact_phone",
    "established_on",
    "term_started_on",
    "term_years",
)
PERSON_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "phone",
    "staff_number",
    "person_type",
    "unit",
    "education",
    "title",
    "grade",
    "major",
    "class_name",
    "home_address",
    "organization",
)


def snapshot(obj: Model, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


def _lock(obj: Model) -> Any:
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def _org_dates_not_in_future(data: dict[str, Any]) -> None:
    not_in_future(data.get("established_on"), field="established_on", label=_("成立日期"))
    not_in_future(data.get("term_started_on"), field="term_started_on", label=_("本届开始日期"))


# ---------------------------------------------------------------- organizations


def _check_code_free(code: str, exclude_pk: int | None = None) -> None:
    qs = Organization.objects.filter(code=code)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise RuleViolation(
            _("组织代码“%(code)s”已被使用。") % {"code": code}, code="org_code_taken", field="code"
        )


def organization_create(*, actor: Any, parent: Organization | None, **data: Any) -> Organization:
    kind = data["kind"]
    if parent is None and Organization.objects.get_root_nodes().exists():
        raise RuleViolation(_("已存在学校党委，新组织必须指定上级党组织。"), code="org_parent_required")
    if not kind_may_hold(parent.kind if parent else None, kind):
        raise RuleViolation(_kind_message(parent, kind), code="org_kind_not_allowed", field="kind")
    if parent is not None and not parent.is_active:
        raise RuleViolation(_("上级党组织已撤销。"), code="org_parent_inactive")
    _org_dates_not_in_future(data)
    with transaction.atomic():
        _check_code_free(data["code"])
        values = {f: data.get(f) for f in ORG_FIELDS if f in data}
        values = {
            k: ("" if v is None and k in ("short_name", "unit", "contact_phone", "category") else v)
            for k, v in values.items()
        }
        if parent is None:
            org = Organization.objects.add_root(values)
        else:
            parent = _lock(parent)
            org = Organization.objects.add_child(parent, values)
        audit.record(
            actor=actor,
            action="organization.create",
            target=org,
            org=org,
            changes=diff({}, snapshot(org, ORG_FIELDS)),
        )
    return org


def _kind_message(parent: Organization | None, kind: str) -> str:
    label = OrgKind(kind).label
    if parent is None:
        return _("只有党委可以作为最上级党组织。")
    if kind == OrgKind.GROUP:
        return _("党小组只能设在党支部之下。")
    return _("%(parent)s之下不能设立%(kind)s。") % {"parent": OrgKind(parent.kind).label, "kind": label}


def organization_kind_problem(*, org: Organization, kind: str) -> str:
    """Why ``organization_update`` refuses to make ``org`` a ``kind`` ("" when it does not): its parent
    must be able to hold that kind, and that kind its children. An import's dry run asks it too."""
    if kind == org.kind:
        return ""
    parent = Organization.objects.get_parent(org)
    if not kind_may_hold(parent.kind if parent else None, kind):
        return _kind_message(parent, kind)
    for child in Organization.objects.get_children(org):
        if not kind_may_hold(kind, child.kind):
            return _("该组织下有%(child)s，不能改为%(kind)s。") % {
                "child": child.get_kind_display(),
                "kind": OrgKind(kind).label,
            }
    return ""


def organization_update(
    *, actor: Any, org: Organization, expected_status: str | None = None, **data: Any
) -> Organization:
    """Edit an org's details; ``expected_status`` is the state the page showed ("active"): a dissolved
    org is not edited."""
    with transaction.atomic():
        org = _lock(org)
        expect_state(org.state, expected_status)
        if not org.is_active:
            raise RuleViolation(_("该组织已撤销。"), code="org_already_dissolved")
        _org_dates_not_in_future(data)
        before = snapshot(org, ORG_FIELDS)
        if "kind" in data:
            problem = organization_kind_problem(org=org, kind=data["kind"])
            if problem:
                raise RuleViolation(problem, code="org_kind_not_allowed", field="kind")
        if "code" in data:
            _check_code_free(data["code"], exclude_pk=org.pk)
        for key, value in data.items():
            if key in ORG_FIELDS:
                setattr(
                    org,
                    key,
                    ""
                    if value is None and key in ("short_name", "unit", "contact_phone", "category")
                    else value,
                )
        org.save()
        changes = diff(before, snapshot(org, ORG_FIELDS))
        if changes:
            audit.record(actor=actor, action="organization.update", target=org, org=org, changes=changes)
    return org


def organization_move(
    *, actor: Any, org: Organization, new_parent: Organization, expected_status: str | None = None
) -> Organization:
    with transaction.atomic():
        org = _lock(org)
        expect_state(org.state, expected_status)
        if not org.is_active:
            raise RuleViolation(_("该组织已撤销。"), code="org_already_dissolved")
        new_parent = _lock(new_parent)
        if new_parent.path.startswith(org.path):
            raise RuleViolation(_("不能把组织移动到它自己或它的下级组织之下。"), code="org_move_into_self")
        if not kind_may_hold(new_parent.kind, org.kind):
            raise RuleViolation(_kind_message(new_parent, org.kind), code="org_kind_not_allowed")
        if not new_parent.is_active:
            raise RuleViolation(_("目标上级党组织已撤销。"), code="org_parent_inactive")
        old_parent = Organization.objects.get_parent(org)
        Organization.objects.move(org, new_parent, "last-child")
        org.refresh_from_db()
        audit.record(
            actor=actor,
            action="organization.move",
            target=org,
            org=org,
            changes={
                "parent": {"before": str(old_parent) if old_parent else None, "after": str(new_parent)},
            },
        )
    return org


def organization_dissolve(
    *, actor: Any, org: Organization, on: date, reason: str, expected_status: str | None = None
) -> Organization:
    with transaction.atomic():
        org = _lock(org)
        expect_state(org.state, expected_status)
        if not reason.strip():
            raise RuleViolation(_("请填写撤销原因。"), code="reason_required", field="reason")
        not_in_future(on, field="on", label=_("撤销日期"))
        if not org.is_active:
            raise RuleViolation(_("该组织已撤销。"), code="org_already_dissolved")
        held = Membership.objects.filter(
            organization__path__startswith=org.path, standing__in=ON_ROLL_STANDINGS
        ).count()
        if held:
            raise RuleViolation(
                _("该组织及其下级仍有 %(n)s 名党员，请先转出党员组织关系再撤销。") % {"n": held},
                code="org_has_members",
            )
        if Organization.objects.get_children(org).filter(is_active=True).exists():
            raise RuleViolation(
                _("该组织仍有未撤销的下级组织，请先撤销或调整下级组织。"), code="org_has_children"
            )
        org.is_active = False
        org.dissolved_on = on
        org.save(update_fields=["is_active", "dissolved_on", "updated_at"])
        ended = Position.objects.filter(organization=org, ended_on__isnull=True).update(ended_on=on)
        audit.record(
            actor=actor,
            action="organization.dissolve",
            target=org,
            org=org,
            changes={
                "is_active": {"before": True, "after": False},
                "dissolved_on": {"before": None, "after": on.isoformat()},
                "reason": reason,
                "positions_ended": ended,
            },
        )
    return org


@dataclass(frozen=True)
class NewPosition:
    person: Person
    title: str


def organization_start_new_term(
    *,
    actor: Any,
    org: Organization,
    started_on: date,
    positions: list[NewPosition],
    expected_status: str | None = None,
) -> Organization:
    """换届: end the committee positions of the old term and set the new ones from ``started_on``.
    ``expected_status`` is ``Organization.term_state`` as the page showed it (active, and which term)."""
    with transaction.atomic():
        org = _lock(org)
        expect_state(org.term_state, expected_status)
        if not org.is_active:
            raise RuleViolation(_("该组织已撤销。"), code="org_already_dissolved")
        not_in_future(started_on, field="started_on", label=_("新一届开始日期"))
        if not positions:
            raise RuleViolation(_("新一届至少需要一名书记。"), code="term_needs_secretary")
        secretaries = [p for p in positions if p.title == PositionTitle.SECRETARY]
        if len(secretaries) != 1:
            raise RuleViolation(_("新一届应有且只有一名书记。"), code="term_needs_secretary")
        people = [p.person.pk for p in positions]
        if len(set(people)) != len(people):
            raise RuleViolation(_("同一人在新一届委员会中只能担任一个职务。"), code="term_duplicate_person")
        before = {"term_started_on": org.term_started_on}
        old = list(
            Position.objects.select_for_update().filter(
                organization=org, ended_on__isnull=True, title__in=COMMITTEE_TITLES
            )
        )
        for pos in old:
            pos.ended_on = started_on
            pos.save(update_fields=["ended_on"])
        created = [
            _position_create(person=p.person, organization=org, title=p.title, started_on=started_on)
            for p in positions
        ]
        org.term_started_on = started_on
        org.save(update_fields=["term_started_on", "updated_at"])
        audit.record(
            actor=actor,
            action="organization.new_term",
            target=org,
            org=org,
            changes={
                "term_started_on": {"before": before["term_started_on"], "after": started_on},
                "ended_positions": [str(p) for p in old],
                "new_positions": [str(p) for p in created],
            },
        )
    return org


# ---------------------------------------------------------------- people


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
        person.name_pinyin = name_pinyin(person.name)
        person.name_initials = name_initials(person.name)
        person.save()
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
    from simple_history.utils import bulk_create_with_history

    people = []
    for data in rows:
        person = Person(**{k: v for k, v in data.items() if k in PERSON_FIELDS})
        person.staff_number = person.staff_number or None
        if not data.get("id_number") and not person.birth_date:
            raise ValidationError({"id_number": _("请填写身份证号码或出生日期。")})
        _apply_id_number(person, data.get("id_number"), check_clash=False)
        _validate_person(person, check_clash=False)
        person.name_pinyin = name_pinyin(person.name)
        person.name_initials = name_initials(person.name)
        people.append(person)
    indexes = [p.id_number_index for p in people if p.id_number_index]
    staff = [p.staff_number for p in people if p.staff_number]
    if len(set(indexes)) < len(indexes) or Person.objects.filter(id_number_index__in=indexes).exists():
        raise ValidationError({"id_number": _("身份证号码已被登记。")})
    if len(set(staff)) < len(staff) or Person.objects.filter(staff_number__in=staff).exists():
        raise ValidationError({"staff_number": _("工号/学号已被使用。")})
    with transaction.atomic():
        created = bulk_create_with_history(people, Person, batch_size=1000)
        audit.record_many(
            actor=actor,
            action="person.create",
            items=[
                (p, p.organization, diff({}, snapshot(p, PERSON_FIELDS) | {"id_number": p.id_number_masked}))
                for p in created
            ],
        )
    return created


def person_org_change_problem(*, person: Person, organization: Organization | None) -> str:
    """Why ``person_update`` refuses to put the person in ``organization`` ("" when it does not): a
    member's organization changes only through a transfer. An import's dry run asks it too."""
    if organization != person.organization and Membership.objects.filter(person=person).exists():
        return _("党员的组织关系变动须办理组织关系转接，不能直接修改所在党组织。")
    return ""


def person_update(*, actor: Any, person: Person, id_number: str | None = None, **data: Any) -> Person:
    with transaction.atomic():
        person = _lock(person)
        before = snapshot(person, PERSON_FIELDS) | {"id_number": person.id_number_masked}
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
        person.name_pinyin = name_pinyin(person.name)
        person.name_initials = name_initials(person.name)
        person.save()
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
            audit.record(
                actor=actor,
                action="person.political_status",
                target=person,
                org=person.organization,
                changes={"political_status": {"before": before, "after": status}, "reason": reason},
            )
    return person


# ---------------------------------------------------------------- memberships

MEMBERSHIP_FIELDS = (
    "organization",
    "group",
    "membership_type",
    "joined_on",
    "full_on",
    "probation_extended_months",
    "standing",
    "standing_since",
    "standing_note",
    "flow_destination",
    "membership_number",
)


def membership_admit_problems(
    *,
    person: Person,
    organization: Organization,
    membership_type: str,
    joined_on: date,
    full_on: date | None = None,
    group: Organization | None = None,
) -> dict[str, str]:
    """What ``membership_admit_existing`` refuses in these values, by field (empty when none): the
    service raises them, an import's dry run shows them as row messages, so a file it accepts commits.
    Dates after today and an existing membership are checked apart (the import does both itself)."""
    errors: dict[str, str] = {}
    if organization.kind != OrgKind.BRANCH or not organization.is_active:
        errors["organization"] = _("党员组织关系只能落在有效的党支部。")
    if group is not None and (
        group.kind != OrgKind.GROUP or Organization.objects.get_parent(group) != organization
    ):
        errors["group"] = _("党小组必须是所选党支部下的党小组。")
    if membership_type == MembershipType.FULL:
        if full_on is None:
            errors["full_on"] = _("正式党员请填写转正日期。")
        elif full_on < joined_on:
            errors["full_on"] = _("转正日期不能早于入党日期。")
    elif full_on is not None:
        errors["full_on"] = _("预备党员没有转正日期。")
    if person.age_on(joined_on) < 18:
        errors["joined_on"] = _("入党时年龄不足18岁，请核对入党日期或出生日期。")
    return errors


def membership_admit_existing(
    *,
    actor: Any,
    person: Person,
    organization: Organization,
    membership_type: str,
    joined_on: date,
    full_on: date | None = None,
    group: Organization | None = None,
    membership_number: str | None = None,
) -> Membership:
    """Record a member who joined the Party before the platform existed (no recruitment case)."""
    errors = membership_admit_problems(
        person=person,
        organization=organization,
        membership_type=membership_type,
        joined_on=joined_on,
        full_on=full_on,
        group=group,
    )
    not_in_future(joined_on, field="joined_on", label=_("入党日期"))
    not_in_future(full_on, field="full_on", label=_("转正日期"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        person = _lock(person)
        if Membership.objects.filter(person=person).exists():
            raise RuleViolation(_("该人员已有党员档案。"), code="membership_exists")
        membership = Membership.objects.create(
            person=person,
            organization=organization,
            group=group,
            membership_type=membership_type,
            joined_on=joined_on,
            full_on=full_on,
            membership_number=membership_number or None,
            standing=Standing.NORMAL,
        )
        before_status = person.political_status
        person.political_status = (
            PoliticalStatus.FULL if membership_type == MembershipType.FULL else PoliticalStatus.PROBATIONARY
        )
        person.organization = organization
        person.save(update_fields=["political_status", "organization", "updated_at"])
        audit.record(
            actor=actor,
            action="membership.admit_existing",
            target=membership,
            org=organization,
            changes=diff({}, snapshot(membership, MEMBERSHIP_FIELDS))
            | {"political_status": {"before": before_status, "after": person.political_status}},
        )
    return membership


def membership_change_standing(
    *,
    actor: Any,
    membership: Membership,
    standing: str,
    since: date,
    note: str = "",
    flow_destination: str = "",
    expected_status: str | None = None,
) -> Membership:
    """Change the standing (正常, 流动, 失联...); ``expected_status`` is the standing the page showed."""
    with transaction.atomic():
        membership = _lock(membership)
        expect_state(membership.standing, expected_status)
        if standing not in Standing.values or standing == Standing.TRANSFERRED_OUT:
            raise ValidationError({"standing": _("党籍状态无效。")})
        if standing != Standing.NORMAL and not note.strip():
            raise ValidationError({"standing_note": _("请说明状态变更的原因。")})
        if standing == Standing.FLOWING and not flow_destination.strip():
            raise ValidationError({"flow_destination": _("流动党员请填写流向。")})
        not_in_future(since, field="since", label=_("变更日期"))
        before = snapshot(membership, MEMBERSHIP_FIELDS)
        membership.standing = standing
        membership.standing_since = since
        membership.standing_note = note
        membership.flow_destination = flow_destination if standing == Standing.FLOWING else ""
        membership.save()
        audit.record(
            actor=actor,
            action="membership.change_standing",
            target=membership,
            org=membership.organization,
            changes=diff(before, snapshot(membership, MEMBERSHIP_FIELDS)),
        )
    return membership


def membership_make_full(
    *, actor: Any, membership: Membership, full_on: date, expected_status: str | None = None
) -> Membership:
    """转正: the probationary member becomes a full member from ``full_on`` (党龄 counts from it).
    ``expected_status`` is the membership type the page showed ("probationary")."""
    with transaction.atomic():
        membership = _lock(membership)
        expect_state(membership.membership_type, expected_status)
        if membership.membership_type != MembershipType.PROBATIONARY:
            raise RuleViolation(_("只有预备党员可以转正。"))
        not_in_future(full_on, field="full_on", label=_("转正日期"))
        before = snapshot(membership, MEMBERSHIP_FIELDS)
        membership.membership_type, membership.full_on = MembershipType.FULL, full_on
        membership.save()
        person = Person.objects.select_for_update().get(pk=membership.person_id)
        person.political_status = PoliticalStatus.FULL
        person.save(update_fields=["political_status", "updated_at"])
        audit.record(
            actor=actor,
            action="membership.make_full",
            target=membership,
            org=membership.organization,
            changes=diff(before, snapshot(membership, MEMBERSHIP_FIELDS)),
        )
    return membership


def membership_extend_probation(
    *, actor: Any, membership: Membership, months: int, reason: str, expected_status: str | None = None
) -> Membership:
    """延长预备期 (decided by the branch meeting, approved above): recorded on the membership.
    ``expected_status`` is the membership type the page showed ("probationary")."""
    with transaction.atomic():
        membership = _lock(membership)
        expect_state(membership.membership_type, expected_status)
        if membership.membership_type != MembershipType.PROBATIONARY:
            raise RuleViolation(_("只有预备党员可以延长预备期。"), code="not_probationary")
        before = snapshot(membership, MEMBERSHIP_FIELDS)
        membership.probation_extended_months = months
        membership.save()
        audit.record(
            actor=actor,
            action="membership.extend_probation",
            target=membership,
            org=membership.organization,
            changes=diff(before, snapshot(membership, MEMBERSHIP_FIELDS)) | {"reason": reason},
        )
    return membership


def membership_move(
    *,
    actor: Any,
    membership: Membership,
    to_branch: Organization,
    on: date,
    reason: str,
    expected_status: str | None = None,
) -> Membership:
    """Move a member to another branch (the writer for in-school transfers): the membership, the person's
    responsible org and the party group change together; history and audit keep both branches.
    ``expected_status`` is the standing the page showed."""
    with transaction.atomic():
        membership = _lock(membership)
        expect_state(membership.standing, expected_status)
        if to_branch.kind != OrgKind.BRANCH or not to_branch.is_active:
            raise RuleViolation(_("只能转入有效的党支部。"), field="to_branch")
        not_in_future(on, field="on", label=_("转入日期"))
        if membership.organization_id == to_branch.pk:
            raise RuleViolation(_("转入支部与原支部相同。"), field="to_branch")
        before = snapshot(membership, MEMBERSHIP_FIELDS)
        old_branch = membership.organization
        membership.organization, membership.group = to_branch, None
        membership.save()
        person = Person.objects.select_for_update().get(pk=membership.person_id)
        person.organization = to_branch
        person.save(update_fields=["organization", "updated_at"])  # simple-history keeps the old org
        changes = diff(before, snapshot(membership, MEMBERSHIP_FIELDS)) | {
            "on": on.isoformat(),
            "reason": reason,
        }
        for org in (old_branch, to_branch):
            audit.record(actor=actor, action="membership.move", target=membership, org=org, changes=changes)
        events.membership_moved.send(
            sender=Membership,
            actor=actor,
            person=person,
            from_branch=old_branch,
            to_branch=to_branch,
            on=on,
            reason=reason,
        )
    return membership


def membership_transfer_out(*, actor: Any, membership: Membership, on: date, destination: str) -> Membership:
    """The relationship left the school (a completed outgoing transfer): off the roll, kept on file."""
    not_in_future(on, field="on", label=_("转出日期"))
    with transaction.atomic():
        membership = _lock(membership)
        before = snapshot(membership, MEMBERSHIP_FIELDS)
        membership.standing, membership.standing_since = Standing.TRANSFERRED_OUT, on
        membership.standing_note = _("组织关系转出至%(d)s") % {"d": destination}
        membership.save()
        audit.record(
            actor=actor,
            action="membership.transfer_out",
            target=membership,
            org=membership.organization,
            changes=diff(before, snapshot(membership, MEMBERSHIP_FIELDS)),
        )
    return membership


# ---------------------------------------------------------------- positions and cadres


def position_problems(*, person: Person, organization: Organization, title: str) -> list[RuleViolation]:
    """What ``position_assign`` refuses for a new post, in the order it checks (empty when none): the
    service raises the first, an import's dry run shows it as a row message. The start date is
    checked apart (not after today)."""
    problems: list[RuleViolation] = []
    if title == PositionTitle.GROUP_LEADER and organization.kind != OrgKind.GROUP:
        problems.append(RuleViolation(_("党小组长只能在党小组任职。"), code="position_kind"))
    if title != PositionTitle.GROUP_LEADER and organization.kind == OrgKind.GROUP:
        problems.append(RuleViolation(_("党小组只设党小组长。"), code="position_kind"))
    membership = (
        Membership.objects.filter(person=person, standing__in=ON_ROLL_STANDINGS)
        .select_related("organization")
        .first()
    )
    if membership is None:
        problems.append(
            RuleViolation(
                _("“%(name)s”不是在册党员，不能担任党内职务。") % {"name": person.name},
                code="position_needs_member",
            )
        )
    elif organization.kind in (OrgKind.BRANCH, OrgKind.GROUP) and not (
        organization.path.startswith(membership.organization.path)
        or membership.organization.path.startswith(organization.path)
    ):
        problems.append(
            RuleViolation(
                _("“%(name)s”的组织关系不在本支部，不能担任本支部职务。") % {"name": person.name},
                code="position_outside_branch",
            )
        )
    if (
        title in (PositionTitle.SECRETARY, PositionTitle.GROUP_LEADER)
        and Position.objects.filter(organization=organization, title=title, ended_on__isnull=True).exists()
    ):
        problems.append(
            RuleViolation(
                _("该组织已有在任的%(title)s，请先免去原职务。") % {"title": PositionTitle(title).label},
                code="position_taken",
            )
        )
    if Position.objects.filter(person=person, organization=organization, ended_on__isnull=True).exists():
        problems.append(
            RuleViolation(_("“%(name)s”已在该组织任职。") % {"name": person.name}, code="position_duplicate")
        )
    return problems


def _position_create(*, person: Person, organization: Organization, title: str, started_on: date) -> Position:
    not_in_future(started_on, field="started_on", label=_("任职日期"))
    problems = position_problems(person=person, organization=organization, title=title)
    if problems:
        raise problems[0]
    return Position.objects.create(
        person=person, organization=organization, title=title, started_on=started_on
    )


def position_assign(
    *, actor: Any, person: Person, organization: Organization, title: str, started_on: date
) -> Position:
    with transaction.atomic():
        organization = _lock(organization)
        position = _position_create(
            person=person, organization=organization, title=title, started_on=started_on
        )
        audit.record(
            actor=actor,
            action="position.assign",
            target=position,
            org=organization,
            changes={"person": person.name, "title": title, "started_on": started_on},
        )
    return position


def position_end(
    *, actor: Any, position: Position, ended_on: date, reason: str = "", expected_status: str | None = None
) -> Position:
    """免职; ``expected_status`` is the state the page showed ("current")."""
    with transaction.atomic():
        position = _lock(position)
        expect_state(position.state, expected_status)
        if position.ended_on is not None:
            raise RuleViolation(_("该职务已免去。"), code="position_already_ended")
        if ended_on < position.started_on:
            raise ValidationError({"ended_on": _("免职日期不能早于任职日期。")})
        not_in_future(ended_on, field="ended_on", label=_("免职日期"))
        position.ended_on = ended_on
        position.save(update_fields=["ended_on"])
        audit.record(
            actor=actor,
            action="position.end",
            target=position,
            org=position.organization,
            changes={"ended_on": {"before": None, "after": ended_on}, "reason": reason},
        )
    return position


CADRE_FIELDS = ("post", "rank", "unit", "is_leading", "dual_life_branch", "started_on")


def cadre_set(*, actor: Any, person: Person, **data: Any) -> Cadre:
    branch = data.get("dual_life_branch")
    if branch is not None and branch.kind != OrgKind.BRANCH:
        raise ValidationError({"dual_life_branch": _("双重组织生活应落在党支部。")})
    not_in_future(data.get("started_on"), field="started_on", label=_("任职日期"))
    with transaction.atomic():
        cadre = Cadre.objects.select_for_update().filter(person=person).first()
        before = snapshot(cadre, CADRE_FIELDS) if cadre else {}
        if cadre is None:
            cadre = Cadre(person=person)
        for key in CADRE_FIELDS:
            if key in data:
                setattr(cadre, key, data[key])
        cadre.save()
        audit.record(
            actor=actor,
            action="cadre.set",
            target=cadre,
            org=person.organization,
            changes=diff(before, snapshot(cadre, CADRE_FIELDS)),
        )
    return cadre


def democratic_party_set(
    *, actor: Any, person: Person, party: str, joined_on: date | None = None, post: str = ""
) -> DemocraticPartyMembership:
    """Record (or update) a person's membership of a democratic party (民主党派)."""
    if party not in DemocraticParty.values:
        raise ValidationError({"party": _("请选择民主党派。")})
    not_in_future(joined_on, field="joined_on", label=_("加入日期"))
    with transaction.atomic():
        record, created = DemocraticPartyMembership.objects.select_for_update().get_or_create(
            person=person, party=party, defaults={"joined_on": joined_on, "post": post}
        )
        before = {} if created else {"joined_on": record.joined_on, "post": record.post}
        record.joined_on = joined_on
        record.post = post
        record.save()
        audit.record(
            actor=actor,
            action="democratic_party.set",
            target=record,
            org=person.organization,
            changes=diff(before, {"party": party, "joined_on": joined_on, "post": post}),
        )
    return record


def democratic_party_remove(*, actor: Any, record: DemocraticPartyMembership, reason: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": _("请填写原因。")})
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="democratic_party.remove",
            target=record,
            org=record.person.organization,
            changes={"party": record.party, "reason": reason},
        )
        record.delete()
