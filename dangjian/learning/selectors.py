"""Reads of 党校 training, through the scope: the classes of the committees the user manages training
for, a person's own enrolments, and the study-hour ledger other modules read (recruitment asks
``training_summary`` whether §3.9 is met)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind, Person
from dangjian.learning.models import ClassStatus, Enrolment, StudyHours, TrainingClass
from dangjian.learning.rules import KIND_STATUSES, PRE_ADMISSION_KINDS

P = Permission


def classes_visible_to(scope: Scope) -> QuerySet[TrainingClass]:
    return TrainingClass.objects.filter(scope.q(P.VIEW_TRAINING, "organizer__path")).select_related(
        "organizer"
    )


def get_class_for(scope: Scope, class_id: Any, perm: Permission = P.VIEW_TRAINING) -> TrainingClass:
    """The class if its organizer lies in the scope for ``perm``; otherwise 404."""
    try:
        return (
            TrainingClass.objects.filter(scope.q(perm, "organizer__path"))
            .select_related("organizer")
            .get(pk=int(class_id))
        )
    except (TrainingClass.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def class_list(scope: Scope, *, kind: str = "", status: str = "") -> QuerySet[TrainingClass]:
    """Classes in scope with their enrolment and pass counts (one query per page)."""
    qs = classes_visible_to(scope)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    # Counted per class as subqueries, which PostgreSQL evaluates for the page's rows only (a join and
    # GROUP BY counted every enrolment of every class first: 110 ms for the school at province size).
    enrolments = Enrolment.objects.filter(training_class=OuterRef("pk")).order_by().values("training_class")
    return qs.annotate(
        enrolled=Coalesce(Subquery(enrolments.annotate(n=Count("pk")).values("n")), 0),
        passed=Coalesce(Subquery(enrolments.filter(completed=True).annotate(n=Count("pk")).values("n")), 0),
    ).order_by("-starts_on", "-id")


def organizers_for(scope: Scope) -> QuerySet[Organization]:
    """The committees (党委, 党总支) the user may run classes for."""
    return Organization.objects.filter(
        scope.q(P.MANAGE_TRAINING), kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH], is_active=True
    ).order_by("path")


def enrolments_of(training_class: TrainingClass) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(training_class=training_class)
        .select_related("person", "person__organization")
        .order_by("person__name_pinyin", "id")
    )


def get_enrolment_for(scope: Scope, enrolment_id: Any, perm: Permission = P.MANAGE_TRAINING) -> Enrolment:
    try:
        return (
            Enrolment.objects.filter(scope.q(perm, "training_class__organizer__path"))
            .select_related("training_class__organizer", "person")
            .get(pk=int(enrolment_id))
        )
    except (Enrolment.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def people_to_enrol(scope: Scope, training_class: TrainingClass, query: str = "") -> QuerySet[Person]:
    """People the class may take: of the matching political status, in the organizer's subtree and the
    user's scope, not yet enrolled."""
    from dangjian.core.selectors import search_people

    qs = Person.objects.filter(
        scope.q(P.MANAGE_TRAINING, "organization__path"),
        organization__path__startswith=training_class.organizer.path,
        political_status__in=KIND_STATUSES[training_class.kind],
        is_active=True,
    ).exclude(training_enrolments__training_class=training_class)
    return search_people(qs, query).select_related("organization").order_by("name_pinyin", "pk")


def enrolled_among(training_class: TrainingClass, person_ids: set[int]) -> set[int]:
    """Which of these people are already enrolled in the class (a replayed enrol form counts them)."""
    return set(
        Enrolment.objects.filter(training_class=training_class, person_id__in=person_ids).values_list(
            "person_id", flat=True
        )
    )


def certificates_visible_to(scope: Scope) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(
            scope.q(P.VIEW_TRAINING, "training_class__organizer__path"), certificate_number__isnull=False
        )
        .select_related("person", "training_class")
        .order_by("-completed_on", "certificate_number")
    )


def enrolments_of_person(person_id: int | None) -> QuerySet[Enrolment]:
    if person_id is None:
        return Enrolment.objects.none()
    return (
        Enrolment.objects.filter(person_id=person_id)
        .select_related("training_class__organizer")
        .order_by("-training_class__starts_on", "-id")
    )


def study_hours(person: Person | int, *, year: int | None = None) -> Decimal:
    """The person's hours in the ledger (all of them, or those of one calendar year)."""
    qs = StudyHours.objects.filter(person=person)
    if year is not None:
        qs = qs.filter(on__year=year)
    return qs.aggregate(total=Sum("hours"))["total"] or Decimal("0")


@dataclass(frozen=True)
class TrainingSummary:
    """The centralized training before admission, as §3.9 counts it (≥ 3 days or ≥ 24 hours)."""

    days: Decimal
    hours: Decimal
    last_completed_on: date | None
    classes: int

    def as_step_data(self) -> dict[str, float]:
        """The data the recruitment step “开展集中培训” expects."""
        return {"days": float(self.days), "hours": float(self.hours)}


def training_summary(person: Person | int) -> TrainingSummary:
    """Completed activist and development-target classes of the person (one query)."""
    return training_and_total(person)[0]


def training_and_total(person: Person | int) -> tuple[TrainingSummary, Decimal]:
    """``training_summary`` and the person's hours in the whole ledger (``study_hours``), in one query."""
    pre = Q(enrolment__training_class__kind__in=PRE_ADMISSION_KINDS)
    row = StudyHours.objects.filter(person=person).aggregate(
        pre_days=Sum("days", filter=pre),
        pre_hours=Sum("hours", filter=pre),
        last=Max("on", filter=pre),
        n=Count("id", filter=pre),
        total=Sum("hours"),
    )
    summary = TrainingSummary(
        days=row["pre_days"] or Decimal("0"),
        hours=row["pre_hours"] or Decimal("0"),
        last_completed_on=row["last"],
        classes=row["n"],
    )
    return summary, row["total"] or Decimal("0")


def overdue_classes(scope: Scope, today: date) -> QuerySet[TrainingClass]:
    """Open classes past their end date (they should be closed so certificates and hours are issued)."""
    return TrainingClass.objects.filter(
        scope.q(P.MANAGE_TRAINING, "organizer__path"), status=ClassStatus.OPEN, ends_on__lt=today
    )
