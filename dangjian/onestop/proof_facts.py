"""The facts a proof states, taken from the member's record at the moment it is issued (a snapshot kept
on the proof): name, gender, the kind of member, the dates, the branch and its Party committee, and for a
党龄证明 the whole years of Party standing, counted from the end of probation (DOMAIN §3.14)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from dangjian.core.models import Membership, MembershipType, Organization
from dangjian.kit.dates import whole_years_between
from dangjian.kit.errors import RuleViolation
from dangjian.onestop.rules import RequestKind


def facts_for(kind: str, membership: Membership, issuer: Organization, on: date) -> dict[str, Any]:
    person = membership.person
    facts: dict[str, Any] = {
        "name": person.name,
        "gender": str(person.get_gender_display()),
        "member_kind": str(membership.get_membership_type_display()),
        "joined_on": membership.joined_on.isoformat(),
        "branch": membership.organization.name,
        "issuer": issuer.name,
        "issued_on": on.isoformat(),
    }
    if kind == RequestKind.PROOF_PARTY_AGE:
        if membership.membership_type != MembershipType.FULL or membership.full_on is None:
            raise RuleViolation(_("预备党员尚未转正，党龄从转正之日起计算，不能出具党龄证明。"))
        facts["full_on"] = membership.full_on.isoformat()
        facts["party_age"] = whole_years_between(membership.full_on, on)
    elif membership.full_on:
        facts["full_on"] = membership.full_on.isoformat()
    return facts
