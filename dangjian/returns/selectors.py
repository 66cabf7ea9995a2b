"""Reads of 数据报送 through the scope: the returns a user designs (reviews), the assignments a user fills,
one return's status per organization (one query whatever the number of organizations), and the
organizations a return may be sent to. ``get_*_for`` answer 404 outside the scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import ON_ROLL_STANDINGS, Membership, Organization, OrgKind
from dangjian.returns import access
from dangjian.returns.models import (
    FILLABLE,
    Assignment,
    AssignmentStatus,
    Return,
    ReturnField,
    ReturnStatus,
    Row,
    RowFile,
)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def returns_reviewed_by(scope: Scope) -> QuerySet[Return]:
    """Returns designed at organizations the user reviews, with their assignment counts (one query)."""
    return (
        Return.objects.filter(access.review_q(scope))
        .select_related("designer")
        .annotate(
            assigned=Count("assignments"),
            submitted=Count(
                "assignments",
                filter=Q(assignments__status__in=[AssignmentStatus.SUBMITTED, AssignmentStatus.ACCEPTED]),
            ),
        )
        .order_by("-created_at", "-id")
    )


def assignments_to_fill(scope: Scope) -> QuerySet[Assignment]:
    """The assignments of open or finished returns the user fills for their organizations (not those they
    review: an organizer sees the branches' tables on the return's status page)."""
    return (
        Assignment.objects.filter(access.to_fill_q(scope))
        .exclude(ret__status=ReturnStatus.DRAFT)
        .select_related("ret", "ret__designer", "organization")
        .order_by("-ret__created_at", "organization__path")
    )


def returns_visible_to(scope: Scope) -> QuerySet[Return]:
    """Returns the user designs (reviews) or must fill (the API's list)."""
    filled = Assignment.objects.filter(access.fill_q(scope)).exclude(ret__status=ReturnStatus.DRAFT)
    return (
        Return.objects.filter(access.review_q(scope) | Q(pk__in=filled.values("ret_id")))
        .select_related("designer")
        .order_by("-created_at", "-id")
    )


def get_return_for(scope: Scope, return_id: Any) -> Return:
    """The return if the user reviews at its designer; otherwise 404."""
    try:
        return (
            Return.objects.filter(access.review_q(scope)).select_related("designer").get(pk=_int(return_id))
        )
    except Return.DoesNotExist:
        raise Http404 from None


def get_visible_return_for(scope: Scope, return_id: Any) -> Return:
    """The return if the user reviews it or fills one of its assignments; otherwise 404."""
    try:
        return returns_visible_to(scope).get(pk=_int(return_id))
    except Return.DoesNotExist:
        raise Http404 from None


def get_assignment_for(scope: Scope, assignment_id: Any, *, review: bool = False) -> Assignment:
    """The assignment if the user fills at its organization (or reviews its return); otherwise 404.
    With ``review``, only a reviewer of the return."""
    q = access.review_q(scope, "ret__designer__path")
    if not review:
        q |= access.fill_q(scope)
    try:
        return (
            Assignment.objects.filter(q)
            .exclude(ret__status=ReturnStatus.DRAFT)
            .select_related("ret", "ret__designer", "organization")
            .get(pk=_int(assignment_id))
        )
    except Assignment.DoesNotExist:
        raise Http404 from None


def get_field_for(scope: Scope, field_id: Any) -> ReturnField:
    try:
        return (
            ReturnField.objects.filter(access.review_q(scope, "ret__designer__path"))
            .select_related("ret", "ret__designer")
            .get(pk=_int(field_id))
        )
    except ReturnField.DoesNotExist:
        raise Http404 from None


def get_file_for(scope: Scope, file_id: Any) -> RowFile:
    q = access.review_q(scope, "row__assignment__ret__designer__path") | access.fill_q(
        scope, "row__assignment__organization__path"
    )
    try:
        return RowFile.objects.filter(q).select_related("row__assignment").get(pk=_int(file_id))
    except RowFile.DoesNotExist:
        raise Http404 from None


def fields_of(ret: Return) -> list[ReturnField]:
    return list(ReturnField.objects.filter(ret=ret).order_by("position", "id"))


def rows_of(assignment: Assignment) -> list[Row]:
    return list(
        Row.objects.filter(assignment=assignment)
        .select_related("person")
        .prefetch_related("files")
        .order_by("position", "id")
    )


def status_page(ret: Return) -> QuerySet[Assignment]:
    """The return's assignments in tree order for a paginated list, without their figures."""
    return (
        Assignment.objects.filter(ret=ret)
        .select_related("organization")
        .defer("computed", "adjustments")
        .order_by("organization__path")
    )


def status_counts(ret: Return) -> dict[str, int]:
    """How many organizations are in each status (one query)."""
    return dict(
        Assignment.objects.filter(ret=ret).order_by().values_list("status").annotate(n=Count("pk"))  # type: ignore[arg-type]
    )


def overdue_count(ret: Return, today: date) -> int:
    if ret.status != ReturnStatus.OPEN or ret.deadline is None or ret.deadline >= today:
        return 0
    return Assignment.objects.filter(ret=ret, status__in=FILLABLE).count()


def figures_of_all(ret: Return) -> list[Assignment]:
    """Every assignment with only what the annual total reads (its figures)."""
    return list(Assignment.objects.filter(ret=ret).only("id", "computed", "adjustments"))


def status_of(ret: Return) -> list[Assignment]:
    """The return's assignments with their organizations, in tree order: one query."""
    return list(
        Assignment.objects.filter(ret=ret).select_related("organization").order_by("organization__path")
    )


def consolidated_rows(ret: Return) -> QuerySet[Row]:
    """Every row of every assignment (for the Excel), with the organization and the member: one query
    (two with the files)."""
    return (
        Row.objects.filter(assignment__ret=ret)
        .select_related("assignment__organization", "person")
        .prefetch_related(Prefetch("files", queryset=RowFile.objects.order_by("key")))
        .order_by("assignment__organization__path", "position", "id")
    )


@dataclass(frozen=True)
class Targets:
    branches: list[Organization]
    children: list[Organization]
    all: list[Organization]


def designers_for(scope: Scope) -> QuerySet[Organization]:
    """Organizations the user may design a return at (committees and general branches they review)."""
    return Organization.objects.filter(
        scope.q(Permission.REVIEW_RETURNS),
        kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH],
        is_active=True,
    ).order_by("path")


def targets_of(designer: Organization) -> Targets:
    """The organizations below ``designer`` a return may go to (not 党小组): all of them, its branches, its
    direct children (for the school: the colleges)."""
    below = list(
        Organization.objects.filter(path__startswith=designer.path, depth__gt=designer.depth, is_active=True)
        .exclude(kind=OrgKind.GROUP)
        .order_by("path")
    )
    return Targets(
        branches=[o for o in below if o.kind == OrgKind.BRANCH],
        children=[o for o in below if o.depth == designer.depth + 1],
        all=below,
    )


def members_on_roll(org: Organization) -> QuerySet[Membership]:
    """The members on the organization's roll (its subtree), through core's selector."""
    from dangjian.core.selectors import org_members

    return org_members(org).filter(standing__in=ON_ROLL_STANDINGS)


def status_label(assignment: Assignment) -> str:
    """未填报 / 已暂存 / 已提交 / 逾期提交 / 已退回 / 已通过."""
    if assignment.status == AssignmentStatus.SUBMITTED and assignment.late:
        return _("逾期提交")
    return str(assignment.get_status_display())


def is_overdue(assignment: Assignment, today: date) -> bool:
    """Not submitted and past the deadline of a return still collecting."""
    ret = assignment.ret
    return (
        ret.status == ReturnStatus.OPEN
        and ret.deadline is not None
        and ret.deadline < today
        and assignment.status in FILLABLE
    )


def overdue_q(today: date) -> Q:
    return Q(ret__status=ReturnStatus.OPEN, ret__deadline__lt=today, status__in=FILLABLE)
