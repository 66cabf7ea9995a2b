"""党员学习 API for a phone client: the caller's own year of study (hours against the target and the
pace, the rows) and their 党校 classes. Courses and study plans join this when the library exists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from dangjian.accounts.requests import scope_of
from dangjian.kit.access_rules import access_rule, person
from dangjian.learning import selectors
from dangjian.learning.ledger.selectors import rows_of
from dangjian.learning.tiles import year_hours

router = Router(tags=["learning"])


class HoursRowOut(Schema):
    on: date
    hours: Decimal
    source: str
    source_label: str
    note: str

    @staticmethod
    def resolve_source(obj: Any) -> str:
        return str(obj.source_kind)

    @staticmethod
    def resolve_source_label(obj: Any) -> str:
        return str(obj.get_source_kind_display())


class YearOut(Schema):
    year: int
    hours: Decimal
    target: int
    cadre: bool
    expected_by_today: Decimal
    behind_pace: bool
    met: bool
    percent: int


class ClassOut(Schema):
    name: str
    kind: str
    starts_on: date
    ends_on: date
    completed: bool
    certificate_number: str | None


class MeOut(Schema):
    year: YearOut
    rows: list[HoursRowOut]
    classes: list[ClassOut]


@access_rule(person())
@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> Any:
    """This year's hours against the target (32, or 56 for a secretary or committee member), the pace,
    the year's ledger rows (newest 100) and the caller's 党校 classes."""
    person_id = scope_of(request).person_id
    if person_id is None:
        raise Http404
    today = timezone.localdate()
    y = year_hours(person_id, today=today)
    classes = [
        ClassOut(
            name=e.training_class.name,
            kind=e.training_class.kind,
            starts_on=e.training_class.starts_on,
            ends_on=e.training_class.ends_on,
            completed=e.completed,
            certificate_number=e.certificate_number,
        )
        for e in selectors.enrolments_of_person(person_id)[:50]
    ]
    return {
        "year": YearOut(
            year=y.year,
            hours=y.hours,
            target=y.required,
            cadre=y.cadre,
            expected_by_today=y.expected,
            behind_pace=y.behind,
            met=y.met,
            percent=y.percent,
        ),
        "rows": list(rows_of(person_id, y.year)[:100]),
        "classes": classes,
    }
