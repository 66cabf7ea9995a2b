"""Whom a letter may be addressed to: the organizations on the writer's own line (their branch, the
college above it, the school's committee) for a signed-in person, and the school or one of its colleges
for the public. One or two queries; only core is read."""

from __future__ import annotations

from dangjian.core.models import ON_ROLL_STANDINGS, Membership, Organization, OrgKind, Person

# A 党小组 is not a mailbox: a letter goes to its branch.
ADDRESSABLE_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)


def _with_ancestors(org: Organization) -> list[Organization]:
    """``org`` and the organizations above it, the school first (one query)."""
    paths = [org.path[:i] for i in range(org.steplen, len(org.path) + 1, org.steplen)]
    found = Organization.objects.filter(path__in=paths, kind__in=ADDRESSABLE_KINDS, is_active=True)
    return sorted(found, key=lambda o: len(o.path))


def home_org(person_id: int) -> Organization | None:
    """Where the person stands in the Party: the branch of their membership on the roll, else the
    organization they belong to for Party work (an applicant's)."""
    membership = (
        Membership.objects.select_related("organization")
        .filter(person_id=person_id, standing__in=ON_ROLL_STANDINGS)
        .first()
    )
    if membership is not None:
        return membership.organization
    person = Person.objects.select_related("organization").filter(pk=person_id).first()
    return person.organization if person is not None else None


def is_member(person_id: int) -> bool:
    return Membership.objects.filter(person_id=person_id, standing__in=ON_ROLL_STANDINGS).exists()


def root() -> Organization | None:
    """The school's Party committee (the 组织部 answers its letters)."""
    return Organization.objects.filter(depth=1, is_active=True).order_by("path").first()


def line_of(person_id: int) -> list[Organization]:
    """The organizations a signed-in person may write to, the school first: their own line, or the school
    alone for someone who belongs to no organization."""
    org = home_org(person_id)
    if org is not None:
        line = _with_ancestors(org)
        if line:
            return line
    school = root()
    return [school] if school is not None else []


def public_targets() -> list[Organization]:
    """The public writes to the school or one of its colleges (the root's children)."""
    school = root()
    if school is None:
        return []
    colleges = Organization.objects.filter(
        path__startswith=school.path, depth=2, kind__in=ADDRESSABLE_KINDS, is_active=True
    ).order_by("path")
    return [school, *colleges]


def related(org: Organization, other: Organization) -> bool:
    """``other`` is above or below ``org`` in the tree (a transfer goes along the line)."""
    return org.pk != other.pk and (org.path.startswith(other.path) or other.path.startswith(org.path))
