"""People who leave the school, and their anonymisation ``PERSON_ANONYMISE_AFTER_YEARS`` later
(PIPL 第四十七条: personal information is deleted once no longer needed for its purpose).

Only non-members are anonymised: a Party member's record (预备 or 正式, or any membership still open) is
the Party's archive and is kept. What is removed: the name (replaced by "已匿名<id>"), its pinyin, the ID
number (ciphertext, blind index, masked form), the staff/student number, phone, home address, class,
and the day and month of birth; the linked account is closed and stripped of its name and e-mail. What is
kept, for statistics: gender, ethnicity, year of birth, person type, unit, education, title, grade,
major, political status, organization, and the dates of leaving and anonymising.

The person's simple-history rows hold the old values too and are overwritten the same way. The audit
log is not: its events (actor names, before/after values) are the legal record of what was done, are
chained and append-only, and are purged after ``AUDIT_RETENTION_DAYS`` on their own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.scope import scope_changed
from dangjian.core.models import Person
from dangjian.core.services._common import _lock
from dangjian.core.services.counters import counters_refresh
from dangjian.kit.dates import not_in_future, whole_years_between
from dangjian.kit.errors import RuleViolation

ANONYMOUS_NAME = "已匿名"

# Field -> the value it takes (a callable of the person for those that depend on it).
_CLEARED: dict[str, Any] = {
    "name": lambda p: f"{ANONYMOUS_NAME}{p.pk}",
    "name_pinyin": "",
    "name_initials": "",
    "id_number_encrypted": "",
    "id_number_index": None,
    "id_number_masked": "",
    "staff_number": None,
    "phone": "",
    "home_address": "",
    "class_name": "",
    "birth_date": lambda p: p.birth_date.replace(month=1, day=1),
}


def person_leave(*, actor: Any, person: Person, on: dt.date) -> Person:
    """The person left the school on ``on``: off the roll (在册 off), the date kept for anonymisation.
    A Party member leaves through the transfer of their membership (组织关系转出) first."""
    from dangjian.core.selectors import is_party_member

    not_in_future(on, field="left_on", label=_("离校日期"))
    with transaction.atomic():
        person = _lock(person)
        if person.left_on is not None:
            raise RuleViolation(_("该人员已办理离校。"), code="already_left")
        if is_party_member(person):
            raise RuleViolation(
                _("党员离校须先办理组织关系转出，转出完成后再办理离校。"), code="member_must_transfer"
            )
        person.is_active, person.left_on = False, on
        person.save(update_fields=["is_active", "left_on", "updated_at"])
        counters_refresh([person.organization_id])
        audit.record(
            actor=actor,
            action="person.leave",
            target=person,
            org=person.organization,
            changes={"left_on": on, "is_active": {"before": True, "after": False}},
        )
    return person


def _anonymised_values(person: Person) -> dict[str, Any]:
    return {field: value(person) if callable(value) else value for field, value in _CLEARED.items()}


def person_anonymise(*, actor: Any, person: Person, today: dt.date, after_years: int) -> bool:
    """Anonymise one person who left ``after_years`` or more ago and is no Party member; False (and no
    change) when they do not qualify, or are anonymised already (idempotent)."""
    from dangjian.core.selectors import is_party_member

    with transaction.atomic():
        person = _lock(person)
        if (
            person.anonymised_on is not None
            or person.left_on is None
            or person.is_active
            or whole_years_between(person.left_on, today) < after_years
            or is_party_member(person)
        ):
            return False
        values = _anonymised_values(person)
        changed = sorted(f for f, v in values.items() if getattr(person, f) != v)
        for field, value in values.items():
            setattr(person, field, value)
        person.anonymised_on = today
        person.save()
        history: Any = Person.history
        history.filter(id=person.pk).update(**values, anonymised_on=today)
        account = getattr(person, "user", None)
        if account is not None:
            account.username = f"anonymised-{account.pk}"
            account.first_name = account.last_name = account.email = ""
            account.is_active = False
            account.set_unusable_password()
            account.save(
                update_fields=["username", "first_name", "last_name", "email", "is_active", "password"]
            )
            scope_changed(user_ids=[account.pk])
            changed.append("user")
        audit.record(
            actor=actor,
            action="person.anonymise",
            target=person,
            org=person.organization,
            changes={"fields": changed, "left_on": person.left_on},
        )
    return True


def people_anonymise_departed(*, actor: Any, today: dt.date, after_years: int) -> int:
    """The periodic job: anonymise everyone due, one transaction (and one audit event) per person."""
    from dangjian.core.selectors import people_due_for_anonymisation

    due = people_due_for_anonymisation(on=today, after_years=after_years).order_by("pk")
    return sum(
        person_anonymise(actor=actor, person=Person(pk=pk), today=today, after_years=after_years)
        for pk in list(due.values_list("pk", flat=True))
    )
