"""Where a request goes: the organizations in a member's or a branch's own line (the branch, the college
above it, the Party committee that issues proofs). One or two queries; no module but core is read."""

from __future__ import annotations

from dangjian.core.models import ON_ROLL_STANDINGS, Membership, Organization, OrgKind


def ancestors(org: Organization) -> list[Organization]:
    """The organizations above ``org``, nearest first (one query)."""
    paths = [org.path[:i] for i in range(org.steplen, len(org.path), org.steplen)]
    found = {o.path: o for o in Organization.objects.filter(path__in=paths)}
    return [found[p] for p in reversed(paths) if p in found]


def nearest_committee(org: Organization) -> Organization | None:
    """The nearest 党委 above ``org`` (a college's committee, or the school's)."""
    return next((o for o in ancestors(org) if o.kind == OrgKind.COMMITTEE), None)


def nearest_above(org: Organization) -> Organization | None:
    """The college a branch asks: the nearest 党委 or 党总支 above it."""
    kinds = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH)
    return next((o for o in ancestors(org) if o.kind in kinds), None)


def membership_on_roll(person_id: int) -> Membership | None:
    return (
        Membership.objects.select_related("organization", "person")
        .filter(person_id=person_id, standing__in=ON_ROLL_STANDINGS)
        .first()
    )


def in_line(org: Organization, target: Organization) -> bool:
    """``target`` is ``org`` itself or above it."""
    return org.path.startswith(target.path)
