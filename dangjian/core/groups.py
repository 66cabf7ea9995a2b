"""The named groups of people that a publication may address (学习库's 适用对象, 宣传's 指定人群):
入党积极分子, 发展对象, 党员 (预备 and 正式), 干部 and 书记 — and who is in them.

A person's groups follow from their political status, a ``Cadre`` record and a current 书记 post:
``groups_of`` resolves one person in one query (with their organization's path, which every audience
check needs too); ``in_groups_q`` is the same rule as a filter over people (or over anything that leads
to a person, through ``prefix``), for counting an audience or choosing whom to tell. Both live here, in
the foundation, so the modules that address groups share one definition instead of importing each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Cadre, Person, PoliticalStatus, Position, PositionTitle


class PersonGroup(models.TextChoices):
    ACTIVIST = "activist", _("入党积极分子")
    CANDIDATE = "candidate", _("发展对象")
    MEMBER = "member", _("党员")
    CADRE = "cadre", _("干部")
    SECRETARY = "secretary", _("书记")


MEMBER_STATUSES = (PoliticalStatus.PROBATIONARY, PoliticalStatus.FULL)
# The group a political status puts a person in (群众 and 入党申请人: none).
STATUS_GROUP: dict[str, str] = {
    PoliticalStatus.ACTIVIST: PersonGroup.ACTIVIST,
    PoliticalStatus.CANDIDATE: PersonGroup.CANDIDATE,
    PoliticalStatus.PROBATIONARY: PersonGroup.MEMBER,
    PoliticalStatus.FULL: PersonGroup.MEMBER,
}


@dataclass(frozen=True)
class PersonGroups:
    """One person as an audience sees them: where they are held, their status and their groups."""

    person_id: int | None = None
    org_path: str = ""
    status: str = ""
    groups: tuple[str, ...] = field(default_factory=tuple)


def _secretary_posts(today: date) -> Q:
    """A 书记 post held on ``today``."""
    return Q(title=PositionTitle.SECRETARY, started_on__lte=today) & (
        Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    )


def groups_of(person_id: int | None, today: date) -> PersonGroups:
    """One query: the person's organization path, political status and groups (in ``PersonGroup``
    order). An unknown or inactive person is in no group and no organization."""
    if person_id is None:
        return PersonGroups()
    row = (
        Person.objects.filter(pk=person_id, is_active=True)
        .annotate(
            is_cadre=Exists(Cadre.objects.filter(person_id=OuterRef("pk"))),
            is_secretary=Exists(Position.objects.filter(_secretary_posts(today), person_id=OuterRef("pk"))),
        )
        .values_list("organization__path", "political_status", "is_cadre", "is_secretary")
        .first()
    )
    if row is None:
        return PersonGroups(person_id=person_id)
    path, status, cadre, secretary = row
    groups = [STATUS_GROUP[status]] if status in STATUS_GROUP else []
    if cadre:
        groups.append(PersonGroup.CADRE)
    if secretary:
        groups.append(PersonGroup.SECRETARY)
    return PersonGroups(person_id, path or "", status, tuple(str(g) for g in groups))


def in_groups_q(groups: Iterable[str], today: date, prefix: str = "") -> Q:
    """People in any of ``groups`` (unknown codes ignored), as a filter on ``Person`` — or, with
    ``prefix`` such as ``"user__person__"``, on a model that leads to one. No group: nobody."""
    chosen = {str(g) for g in groups}
    statuses = [s for s, g in STATUS_GROUP.items() if g in chosen]
    parts: list[Q] = []
    if statuses:
        parts.append(Q(**{f"{prefix}political_status__in": statuses}))
    if PersonGroup.CADRE in chosen:
        parts.append(Q(**{f"{prefix}pk__in": Cadre.objects.values("person_id")}))
    if PersonGroup.SECRETARY in chosen:
        posts = Position.objects.filter(_secretary_posts(today)).values("person_id")
        parts.append(Q(**{f"{prefix}pk__in": posts}))
    if not parts:
        return Q(pk__in=[])
    found = parts[0]
    for part in parts[1:]:
        found |= part
    return found


def group_labels(groups: Iterable[str]) -> list[str]:
    """The groups' names in ``PersonGroup`` order (unknown codes left out)."""
    chosen = set(groups)
    return [str(label) for code, label in PersonGroup.choices if code in chosen]
