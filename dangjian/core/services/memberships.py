"""Writes of memberships (党员档案): admit, standing, 转正, probation, move, transfer out."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.audit.services import diff
from dangjian.core.models import (
    ON_ROLL_STANDINGS,
    Membership,
    MembershipType,
    Organization,
    OrgKind,
    Person,
    PoliticalStatus,
    Standing,
)
from dangjian.core.services._common import _lock, snapshot
from dangjian.core.services.counters import counters_refresh, serving_org_ids
from dangjian.hooks import events
from dangjian.kit.dates import not_in_future
from dangjian.kit.errors import RuleViolation
from dangjian.kit.transitions import expect_state

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
        before_status, before_org_id = person.political_status, person.organization_id
        person.political_status = (
            PoliticalStatus.FULL if membership_type == MembershipType.FULL else PoliticalStatus.PROBATIONARY
        )
        person.organization = organization
        person.save(update_fields=["political_status", "organization", "updated_at"])
        # A serving secretary's 转正 date is a rule-check fact of the org they serve.
        counters_refresh([before_org_id, organization.pk, *serving_org_ids(person.pk)])
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
        if (before["standing"] in ON_ROLL_STANDINGS) != (standing in ON_ROLL_STANDINGS):
            counters_refresh([membership.organization_id])
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
        counters_refresh([membership.organization_id, person.organization_id, *serving_org_ids(person.pk)])
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
        old_person_org_id = person.organization_id
        person.organization = to_branch
        person.save(update_fields=["organization", "updated_at"])  # simple-history keeps the old org
        counters_refresh([old_branch.pk, old_person_org_id, to_branch.pk])
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
        counters_refresh([membership.organization_id])
        audit.record(
            actor=actor,
            action="membership.transfer_out",
            target=membership,
            org=membership.organization,
            changes=diff(before, snapshot(membership, MEMBERSHIP_FIELDS)),
        )
    return membership
