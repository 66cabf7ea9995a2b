"""people_update_bulk: person_update's rules for many people at once, with history and audit in bulk and
a fixed number of queries; the people import's updates go through it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.audit.integrity import verify_chains
from dangjian.audit.models import AuditEvent
from dangjian.core import services
from dangjian.core.models import Person
from dangjian.kit.errors import RuleViolation
from tests import factories as f


def test_updates_write_fields_history_and_audit_in_a_fixed_number_of_queries(
    world, school_admin, django_assert_max_num_queries
) -> None:
    people = [f.person(f"批量{n}", organization=world.cs_branch, phone="13800000000") for n in range(30)]
    rows = [
        (p, {"phone": f"1391111{n:04d}", "name": f"改名{n}", "id_number": None}) for n, p in enumerate(people)
    ]
    with django_assert_max_num_queries(16), transaction.atomic():
        services.people_update_bulk(actor=school_admin, rows=rows)
    stored = Person.objects.get(pk=people[7].pk)
    assert (stored.phone, stored.name, stored.name_initials) == ("13911110007", "改名7", "gm")
    assert stored.history.first().history_type == "~" and stored.history.first().phone == "13911110007"
    event = AuditEvent.objects.filter(action="person.update", target_id=str(stored.pk)).get()
    assert event.changes["phone"] == {"before": "13800000000", "after": "13911110007"}
    assert event.actor == school_admin
    assert verify_chains().ok


def test_a_members_branch_is_not_changed_in_bulk_either(world, school_admin) -> None:
    with pytest.raises(RuleViolation, match="组织关系转接"), transaction.atomic():
        services.people_update_bulk(
            actor=school_admin, rows=[(world.secretary, {"organization": world.fl_branch})]
        )


def test_a_staff_number_held_by_someone_else_is_refused(world, school_admin) -> None:
    one, other = f.person("甲", organization=world.cs_branch), f.person("乙", organization=world.cs_branch)
    with pytest.raises(ValidationError), transaction.atomic():
        services.people_update_bulk(actor=school_admin, rows=[(one, {"staff_number": other.staff_number})])
    assert Person.objects.get(pk=one.pk).staff_number != other.staff_number


def test_bulk_updates_keep_the_organization_counters(world, school_admin) -> None:
    from dangjian.core.services.counters import counters_drift

    people = [f.person(f"计数{n}", organization=world.cs_branch) for n in range(3)]
    rows = [(people[0], {"organization": world.fl_branch, "id_number": None})]
    rows += [
        (p, {"gender": "female" if p.gender != "female" else "male", "id_number": None}) for p in people[1:]
    ]
    services.people_update_bulk(actor=school_admin, rows=rows)
    assert counters_drift() == []
