"""Writes of organizations: create, update, move, dissolve, a new term (换届)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.scope import scope_changed
from dangjian.audit.services import diff
from dangjian.core.models import (
    COMMITTEE_TITLES,
    ON_ROLL_STANDINGS,
    Membership,
    Organization,
    OrgKind,
    Person,
    Position,
    PositionTitle,
)
from dangjian.core.rules import kind_may_hold
from dangjian.core.services._common import ORG_FIELDS, _lock, _org_dates_not_in_future, snapshot
from dangjian.core.services.counters import counters_refresh
from dangjian.core.services.positions import _position_create
from dangjian.kit.dates import not_in_future
from dangjian.kit.errors import RuleViolation
from dangjian.kit.transitions import expect_state


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
        counters_refresh([org.pk])  # a new org has rule checks (no secretary yet) from the start
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
        counters_refresh([org.pk])  # kind and term are rule-check facts
        changes = diff(before, snapshot(org, ORG_FIELDS))
        if changes:
            # A grant carries the org's name, and a branch's kind decides what its posts grant.
            scope_changed(org_paths=[org.path])
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
        scope_changed(org_paths=[org.path])  # the subtree's grants carry the old paths
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
        scope_changed(org_paths=[org.path])  # before the posts end: their holders are found by them
        ended = Position.objects.filter(organization=org, ended_on__isnull=True).update(ended_on=on)
        counters_refresh([org.pk])
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
        scope_changed(person_ids=[pos.person_id for pos in old])
        created = [
            _position_create(person=p.person, organization=org, title=p.title, started_on=started_on)
            for p in positions
        ]
        org.term_started_on = started_on
        org.save(update_fields=["term_started_on", "updated_at"])
        counters_refresh([org.pk])
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
