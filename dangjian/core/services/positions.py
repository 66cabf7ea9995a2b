"""Writes of positions (党内职务), cadres and 民主党派 memberships."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.scope import scope_changed
from dangjian.audit.services import diff
from dangjian.core.models import (
    ON_ROLL_STANDINGS,
    Cadre,
    DemocraticParty,
    DemocraticPartyMembership,
    Membership,
    Organization,
    OrgKind,
    Person,
    Position,
    PositionTitle,
)
from dangjian.core.services._common import _lock, snapshot
from dangjian.core.services.counters import counters_refresh
from dangjian.kit.dates import not_in_future
from dangjian.kit.errors import RuleViolation
from dangjian.kit.transitions import expect_state


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
    position = Position.objects.create(
        person=person, organization=organization, title=title, started_on=started_on
    )
    scope_changed(person_ids=[person.pk])  # a 书记/委员 post grants its branch role
    return position


def position_assign(
    *, actor: Any, person: Person, organization: Organization, title: str, started_on: date
) -> Position:
    with transaction.atomic():
        organization = _lock(organization)
        position = _position_create(
            person=person, organization=organization, title=title, started_on=started_on
        )
        counters_refresh([organization.pk])
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
        scope_changed(person_ids=[position.person_id])
        counters_refresh([position.organization_id])
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
