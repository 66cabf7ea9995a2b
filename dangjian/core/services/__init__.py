"""Writes of the core module, by entity: organizations, people, memberships, positions and cadres.

Every function validates, runs in one transaction, locks what it changes and records an audit event.
Callers use ``from dangjian.core import services`` and ``services.<verb>``; the entity files hold the code.
"""

from dangjian.core.services._common import (
    ORG_FIELDS,
    PERSON_FIELDS,
    PHONE_RE,
    snapshot,
)
from dangjian.core.services.departures import person_anonymise, person_leave
from dangjian.core.services.memberships import (
    MEMBERSHIP_FIELDS,
    membership_admit_existing,
    membership_admit_problems,
    membership_change_standing,
    membership_extend_probation,
    membership_make_full,
    membership_move,
    membership_transfer_out,
)
from dangjian.core.services.organizations import (
    NewPosition,
    organization_create,
    organization_dissolve,
    organization_kind_problem,
    organization_move,
    organization_start_new_term,
    organization_update,
)
from dangjian.core.services.people import (
    people_create_bulk,
    people_update_bulk,
    person_create,
    person_org_change_problem,
    person_set_political_status,
    person_update,
)
from dangjian.core.services.positions import (
    CADRE_FIELDS,
    cadre_set,
    democratic_party_remove,
    democratic_party_set,
    position_assign,
    position_end,
    position_problems,
)

__all__ = [
    "CADRE_FIELDS",
    "MEMBERSHIP_FIELDS",
    "ORG_FIELDS",
    "PERSON_FIELDS",
    "PHONE_RE",
    "NewPosition",
    "cadre_set",
    "democratic_party_remove",
    "democratic_party_set",
    "membership_admit_existing",
    "membership_admit_problems",
    "membership_change_standing",
    "membership_extend_probation",
    "membership_make_full",
    "membership_move",
    "membership_transfer_out",
    "organization_create",
    "organization_dissolve",
    "organization_kind_problem",
    "organization_move",
    "organization_start_new_term",
    "organization_update",
    "people_create_bulk",
    "people_update_bulk",
    "person_anonymise",
    "person_create",
    "person_leave",
    "person_org_change_problem",
    "person_set_political_status",
    "person_update",
    "position_assign",
    "position_end",
    "position_problems",
    "snapshot",
]
