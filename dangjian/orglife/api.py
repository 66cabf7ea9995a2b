"""组织生活 API: the meetings a user sees (their own and those of the branches in their scope), a meeting,
and QR check-in (``POST /meetings/{id}/check-in`` with the token the host's screen shows)."""

from datetime import date, time
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import resolve_scope
from dangjian.core.models import Organization
from dangjian.kit.access_rules import ALLOWED, access_rule, signed_in, within
from dangjian.kit.pagination import Pages
from dangjian.kit.ratelimit import enforce_rate_limit
from dangjian.orglife import access
from dangjian.orglife.meetings import selectors, services
from dangjian.orglife.models import Attendee, MeetingKind, MeetingStatus

router = Router(tags=["orglife"])


class MeetingOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    kind: str
    kind_name: str
    topic: str
    date: date
    start_time: time
    place: str
    status: str
    ad_hoc: bool

    @staticmethod
    def resolve_organization_name(obj: Any) -> str:
        return str(obj.organization.display_name)

    @staticmethod
    def resolve_kind_name(obj: Any) -> str:
        return str(obj.get_kind_display())


class MeetingDetailOut(MeetingOut):
    duration_minutes: int
    speaker_name: str | None
    counts: dict[str, int]
    my_attendance: str | None

    @staticmethod
    def resolve_speaker_name(obj: Any) -> str | None:
        return obj.speaker_label or None


class CheckinIn(Schema):
    token: str = Field(..., min_length=1, max_length=500)


class CheckinOut(Schema):
    meeting_id: int
    attendance: str
    checked_in_at: Any
    already: bool
    message: str


@access_rule(signed_in())
@router.get("/meetings", response=list[MeetingOut])
@paginate(Pages, page_size=50)
def list_meetings(
    request: HttpRequest, org: int | None = None, kind: str = "", status: str = "", since: date | None = None
) -> Any:
    """Newest first; ``org`` narrows to an organization's subtree, ``since`` to meetings on or after a day."""
    qs = selectors.meetings_visible_to(resolve_scope(request.user))
    if org is not None:
        path = Organization.objects.filter(pk=org).values_list("path", flat=True).first() or "~"
        qs = qs.filter(organization__path__startswith=path)
    if kind in MeetingKind.values:
        qs = qs.filter(kind=kind)
    if status in MeetingStatus.values:
        qs = qs.filter(status=status)
    if since is not None:
        qs = qs.filter(date__gte=since)
    return qs.order_by("-date", "-start_time", "-pk")


@access_rule(within(Permission.VIEW_ORGLIFE, member=ALLOWED))
@router.get("/meetings/{meeting_id}", response=MeetingDetailOut)
def get_meeting(request: HttpRequest, meeting_id: int) -> Any:
    scope = resolve_scope(request.user)
    # the web page's own rule (attendees and drawn supervisors too); two computed attributes below
    meeting: Any = access.viewable_meeting(scope, meeting_id)
    meeting.counts = selectors.attendance_counts(meeting)
    meeting.my_attendance = (
        Attendee.objects.filter(meeting=meeting, person_id=scope.person_id)
        .values_list("attendance", flat=True)
        .first()
        if scope.person_id
        else None
    )
    return meeting


@access_rule(within(Permission.MANAGE_ORGLIFE, member=ALLOWED))
@router.post("/meetings/{meeting_id}/check-in", response=CheckinOut)
def check_in(request: HttpRequest, meeting_id: int, payload: CheckinIn) -> Any:
    """Check in with the code of the host's screen. 200 also for a repeated scan (``already`` true, nothing
    changes); 422 with the code ``checkin_invalid`` / ``checkin_expired`` / ``checkin_wrong_meeting`` /
    ``checkin_closed`` / ``checkin_not_attendee``; 404 for a meeting the user cannot see."""
    enforce_rate_limit(request, "checkin", user=request.user.pk)
    # An attendee sees their meeting; anyone else only within their scope (else 404, before the token).
    person_id = getattr(request.user, "person_id", None)
    if (
        not (person_id and Attendee.objects.filter(meeting_id=meeting_id, person_id=person_id).exists())
        and not selectors.meetings_visible_to(resolve_scope(request.user)).filter(pk=meeting_id).exists()
    ):
        raise Http404
    attendee, created = services.checkin_scan(
        actor=request.user,
        person=getattr(request.user, "person", None),
        token=payload.token,
        meeting_id=meeting_id,
    )
    return {
        "meeting_id": meeting_id,
        "attendance": attendee.attendance,
        "checked_in_at": attendee.checked_in_at,
        "already": not created,
        "message": _("签到成功") if created else _("已签到"),
    }
