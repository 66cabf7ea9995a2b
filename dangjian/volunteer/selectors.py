"""Reads of 志愿服务: the activities a member may join and their own sign-ups, the organizer's list, an
activity's sign-ups, who the organizer may 补录 for an activity, the hours per person and year.
Out-of-scope objects answer 404 (``get_*``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import ON_ROLL_STANDINGS, Membership, Person
from dangjian.core.selectors import search_people
from dangjian.volunteer import access
from dangjian.volunteer.models import Activity, SignUp
from dangjian.volunteer.rules import ActivityStatus, Audience

ACTIVE = Q(signups__cancelled_at__isnull=True)


def home_path_of(person_id: int | None) -> str:
    """The path of the branch where the person's membership on the roll is held ("" for none)."""
    if not person_id:
        return ""
    path = (
        Membership.objects.filter(person_id=person_id, standing__in=ON_ROLL_STANDINGS)
        .values_list("organization__path", flat=True)
        .first()
    )
    return path or ""


def home_path(scope: Scope) -> str:
    """``home_path_of`` the scope's person, once per request (``scope.memo``)."""
    key = ("volunteer.home_path", scope.person_id)
    if key not in scope.memo:
        scope.memo[key] = home_path_of(scope.person_id)
    return str(scope.memo[key])


def _with_counts(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    return qs.annotate(
        taken=Count("signups", filter=ACTIVE),
        present=Count("signups", filter=ACTIVE & Q(signups__hours_granted__gt=0)),
    )


def taken(activity: Activity) -> int:
    return SignUp.objects.filter(activity=activity, cancelled_at__isnull=True).count()


def _get(qs: QuerySet[Activity], activity_id: Any) -> Activity:
    try:
        return qs.select_related("organization").get(pk=int(activity_id))
    except (Activity.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def own_signup(scope: Scope, activity: Activity) -> SignUp | None:
    """The member's sign-up of the activity: the active one, else the latest cancelled one."""
    if not scope.person_id:
        return None
    return (
        SignUp.objects.filter(activity=activity, person_id=scope.person_id)
        .order_by("cancelled_at", "-signed_at")
        .first()
    )


def get_activity_for(scope: Scope, activity_id: Any) -> Activity:
    """An activity the scope manages, may join, or signed up for; otherwise 404."""
    activity = _get(_with_counts(Activity.objects.all()), activity_id)
    if access.may_manage(scope, activity) or access.may_see(scope, activity, home_path(scope)):
        return activity
    if own_signup(scope, activity) is not None:
        return activity
    raise Http404


def get_managed(scope: Scope, activity_id: Any) -> Activity:
    """An activity the scope organizes; otherwise 404."""
    activity = _get(_with_counts(Activity.objects.all()), activity_id)
    if not access.may_manage(scope, activity):
        raise Http404
    return activity


def get_signup_managed(scope: Scope, signup_id: Any) -> SignUp:
    try:
        signup = SignUp.objects.select_related("activity__organization", "person").get(pk=int(signup_id))
    except (SignUp.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if not access.may_manage(scope, signup.activity):
        raise Http404
    return signup


def open_for(scope: Scope, now: datetime | None = None) -> QuerySet[Activity]:
    """The published activities the member may still join (not started yet), soonest first."""
    now = now or timezone.now()
    return (
        _with_counts(
            Activity.objects.filter(
                access.audience_q(home_path(scope)), status=ActivityStatus.PUBLISHED, starts_at__gt=now
            )
        )
        .select_related("organization")
        .order_by("starts_at", "pk")
    )


def own_signups(scope: Scope) -> QuerySet[SignUp]:
    """The member's sign-ups (cancelled ones too), the latest activity first."""
    if not scope.person_id:
        return SignUp.objects.none()
    return (
        SignUp.objects.filter(person_id=scope.person_id)
        .select_related("activity__organization")
        .order_by("-activity__starts_at", "-pk")
    )


def managed(scope: Scope, status: str = "") -> QuerySet[Activity]:
    """The activities of the organizations the scope organizes, the latest first."""
    qs = Activity.objects.filter(access.manage_q(scope))
    if status in ActivityStatus.values:
        qs = qs.filter(status=status)
    return _with_counts(qs).select_related("organization").order_by("-starts_at", "-pk")


def signups_of(activity: Activity) -> QuerySet[SignUp]:
    """The sign-ups of an activity: the active ones first (by sign-up time), the cancelled after."""
    return (
        SignUp.objects.filter(activity=activity)
        .select_related("person", "person__membership__organization")
        .order_by("cancelled_at", "signed_at", "pk")
    )


def addable_people(scope: Scope, activity: Activity) -> QuerySet[Person]:
    """Who the organizer may 补录 for ``activity``: members on the roll among its audience (its
    organization's subtree, or the whole school) and within the organizer's own scope (开展组织生活 over
    their branch). Anyone else is not found."""
    qs = Person.objects.filter(membership__standing__in=ON_ROLL_STANDINGS).filter(
        scope.q(Permission.MANAGE_ORGLIFE, "membership__organization__path")
    )
    if activity.audience != Audience.SCHOOL:
        qs = qs.filter(membership__organization__path__startswith=activity.organization.path)
    return qs


@dataclass(frozen=True)
class Candidate:
    person: Person
    signed_up: bool


def search_addable(scope: Scope, activity: Activity, query: str, limit: int = 20) -> list[Candidate]:
    """The people ``addable_people`` finds by their 登录名 or 学号/工号 (exactly), else by name or pinyin;
    each marked if already signed up (their hours are corrected on the sign-up list). At most three
    queries."""
    query = (query or "").strip()
    if not query:
        return []
    base = addable_people(scope, activity).select_related("membership__organization")
    exact = base.filter(Q(staff_number=query) | Q(user__username=query))
    found = list(exact.order_by("name_pinyin", "pk")[:limit]) or list(
        search_people(base, query).order_by("name_pinyin", "pk")[:limit]
    )
    signed = set(
        SignUp.objects.filter(
            activity=activity, cancelled_at__isnull=True, person_id__in=[p.pk for p in found]
        ).values_list("person_id", flat=True)
    )
    return [Candidate(p, p.pk in signed) for p in found]


def get_addable(scope: Scope, activity: Activity, person_id: Any) -> Person:
    """One person the organizer may 补录 for the activity; otherwise 404."""
    try:
        return (
            addable_people(scope, activity).select_related("membership__organization").get(pk=int(person_id))
        )
    except (Person.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


@dataclass(frozen=True)
class YearHours:
    year: int
    hours: Decimal
    activities: int


def yearly_hours(person_id: int | None) -> list[YearHours]:
    """我的志愿时长: per year (of the activity's start), the hours granted and the activities counted."""
    if not person_id:
        return []
    rows = (
        SignUp.objects.filter(person_id=person_id, cancelled_at__isnull=True, hours_granted__gt=0)
        .annotate(year=ExtractYear("activity__starts_at"))
        .values_list("year")
        .annotate(hours=Sum("hours_granted"), n=Count("id"))
        .order_by("-year")
    )
    return [YearHours(year, hours or Decimal("0"), n) for year, hours, n in rows]


def counted_in_year(person_id: int, year: int) -> QuerySet[SignUp]:
    """The sign-ups that count towards the person's hours of ``year``."""
    return (
        SignUp.objects.filter(
            person_id=person_id,
            cancelled_at__isnull=True,
            hours_granted__gt=0,
            activity__starts_at__year=year,
        )
        .select_related("activity__organization")
        .order_by("-activity__starts_at")
    )


def hours_in_year(person_ids: list[int], year: int) -> dict[int, Decimal]:
    """person id → the hours of ``year`` (one grouped query; people with none are absent)."""
    rows = (
        SignUp.objects.filter(
            person_id__in=person_ids,
            cancelled_at__isnull=True,
            hours_granted__gt=0,
            activity__starts_at__year=year,
        )
        .values_list("person_id")
        .annotate(total=Sum("hours_granted"))
        .order_by()
    )
    return {person_id: total for person_id, total in rows}
