"""组织生活 pages: my meetings, the meeting list of a branch or college, a meeting (notice, leave,
attendees, minutes, corrections, attachments) and its actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.requests import ScopedRequest
from dangjian.accounts.roles import Permission
from dangjian.core.models import Person
from dangjian.core.selectors import get_org_for, org_from_query
from dangjian.kit import pdf
from dangjian.kit.access_rules import ALLOWED, access_rule, anywhere, person, signed_in, within
from dangjian.kit.form_pages import service_form_page
from dangjian.kit.paginator import CappedPaginator
from dangjian.orglife import access
from dangjian.orglife.meetings import checkin, selectors, services
from dangjian.orglife.meetings.forms import (
    AttachmentForm,
    CorrectionForm,
    InviteForm,
    LeaveForm,
    MeetingEditForm,
    MeetingForm,
    MinutesForm,
    ReasonForm,
)
from dangjian.orglife.models import (
    Attendance,
    Attendee,
    LeaveRequest,
    Meeting,
    MeetingAttachment,
    MeetingKind,
    MeetingStatus,
    Minutes,
    PlanStatus,
)
from dangjian.orglife.pages import post_action, state_form_page

P = Permission


def _person(request: ScopedRequest) -> Person | None:
    return getattr(request.user, "person", None)


def _service_call(request: ScopedRequest, meeting: Meeting, call: Any, success: str) -> HttpResponse:
    """Run ``call(expected_status)`` with the state the page posted; the message, back to the meeting."""
    return post_action(request, call, success, reverse("orglife:meeting", args=[meeting.pk]))


@access_rule(signed_in())
@login_required
def home(request: ScopedRequest) -> HttpResponse:
    """我的组织生活: the meetings I attend (upcoming first, with leave and check-in), and for those who
    run or review organizational life, where to go next."""
    scope = request.scope
    person = _person(request)
    today = timezone.localdate()
    mine = (
        Attendee.objects.filter(person=person, meeting__date__gte=today)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting__organization")
        .order_by("meeting__date", "meeting__start_time")[:10]
        if person
        else []
    )
    past = (
        Attendee.objects.filter(person=person, meeting__date__lt=today)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting__organization")
        .order_by("-meeting__date", "-meeting__start_time")[:10]
        if person
        else []
    )
    to_review = (
        selectors.plans_visible_to(scope, P.REVIEW_ORGLIFE).filter(status=PlanStatus.SUBMITTED).count()
        if scope.has(P.REVIEW_ORGLIFE)
        else 0
    )
    from dangjian.orglife.models import Supervisor

    links = []
    if access.may_view_lists(scope):
        links.append((_("合规与统计"), reverse("orglife:stats_matrix")))
    if scope.has(P.REVIEW_ORGLIFE) or (person and Supervisor.objects.filter(person=person).exists()):
        links.append((_("督查"), reverse("orglife:sup_home")))
    return render(
        request,
        "orglife/home.html",
        {
            "title": _("组织生活"),
            "extra_links": links,
            "upcoming": mine,
            "past": past,
            "can_manage": scope.has(P.MANAGE_ORGLIFE),
            "can_review": scope.has(P.REVIEW_ORGLIFE),
            "to_review": to_review,
        },
    )


def _month(value: str) -> date | None:
    """``YYYY-MM`` of a year the platform can hold meetings in (1921–2100), else no filter."""
    try:
        year, month = value.split("-")
        day = date(int(year), int(month), 1)
    except (AttributeError, ValueError):
        return None
    return day if 1921 <= day.year <= 2100 else None


@access_rule(anywhere(Permission.VIEW_ORGLIFE))
@login_required
def meetings(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    if not scope.has(P.VIEW_ORGLIFE):
        raise Http404
    org = org_from_query(scope, request.GET.get("org"), P.VIEW_ORGLIFE)
    qs = selectors.meetings_visible_to(scope, P.VIEW_ORGLIFE).filter(organization__path__startswith=org.path)
    month = _month(request.GET.get("month", ""))
    kind = request.GET.get("kind", "") if request.GET.get("kind") in MeetingKind.values else ""
    status = request.GET.get("status", "") if request.GET.get("status") in MeetingStatus.values else ""
    if month:
        from dangjian.kit.dates import add_months

        qs = qs.filter(date__gte=month, date__lt=add_months(month, 1))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    page = CappedPaginator(qs.order_by("-date", "-start_time", "-pk"), 30).get_page(request.GET.get("page"))
    query = f"org={org.pk}&month={request.GET.get('month', '')}&kind={kind}&status={status}"
    return render(
        request,
        "orglife/meetings.html",
        {
            "title": _("会议列表"),
            "org": org,
            "page": page,
            "query_string": query,
            "kinds": MeetingKind.choices,
            "statuses": MeetingStatus.choices,
            "kind": kind,
            "status": status,
            "month": request.GET.get("month", ""),
            "can_create": access.may_create_in(scope, org),
        },
    )


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
def meeting_new(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    org = get_org_for(scope, request.GET.get("org"), P.MANAGE_ORGLIFE)
    plan = (
        selectors.get_plan_for(scope, request.GET["plan"], P.MANAGE_ORGLIFE)
        if request.GET.get("plan")
        else None
    )
    if plan is not None and plan.organization_id != org.pk:
        raise Http404

    def next_url(meeting: Meeting) -> str:
        return (
            reverse("orglife:plan", args=[plan.pk]) if plan else reverse("orglife:meeting", args=[meeting.pk])
        )

    if request.method == "POST":
        # A replay of the same form (its one-time key) answers as the first submission did, before the
        # form is validated: the plan may have been submitted since, or the day have passed.
        done = services.meeting_replayed(
            actor=request.user, idempotency_key=request.POST.get("idempotency_key", "")[:64]
        )
        if done is not None and done.organization_id == org.pk:
            messages.success(request, _("会议已创建"))
            return redirect(next_url(done))
    form = MeetingForm(request.POST or None, org=org, initial={"date": plan.period_start if plan else None})
    return service_form_page(
        request,
        form,
        action=lambda d: services.meeting_create(
            actor=request.user,
            scope=scope,
            org=org,
            kind=d["kind"],
            topic=d["topic"],
            day=d["date"],
            start_time=d["start_time"],
            duration_minutes=d["duration_minutes"],
            place=d["place"],
            speaker=d["speaker"],
            speaker_name=d["speaker_name"],
            speaker_title=d["speaker_title"],
            group=d["group"],
            plan=plan,
            idempotency_key=d["idempotency_key"],
        ),
        success=_("会议已创建"),
        next_url=next_url,
        context={"org": org, "title": _("安排会议") + (f"（{plan}）" if plan else _("（计划外）"))},
    )


@access_rule(within(Permission.VIEW_ORGLIFE, member=ALLOWED))
@login_required
def meeting_detail(request: ScopedRequest, meeting_id: int) -> HttpResponse:
    scope = request.scope
    meeting = _visible_meeting(request, meeting_id)
    can_manage = access.may_manage(scope, meeting.organization)
    person = _person(request)
    attendees = list(
        Attendee.objects.filter(meeting=meeting)
        .select_related("person")
        .order_by("person__name_pinyin", "pk")
    )
    mine = next((a for a in attendees if person and a.person_id == person.pk), None)
    leaves = list(
        LeaveRequest.objects.filter(meeting=meeting).select_related("person").order_by("created_at")
    )
    my_leave = next((lr for lr in leaves if person and lr.person_id == person.pk), None)
    minutes = getattr(meeting, "minutes", None) if hasattr(meeting, "minutes") else None
    now = timezone.now()
    window = checkin.window(meeting)
    return render(
        request,
        "orglife/meeting.html",
        {
            "title": meeting.topic,
            "meeting": meeting,
            "org": meeting.organization,
            "can_manage": can_manage,
            "attendees": attendees if can_manage else [],
            "counts": selectors.attendance_counts(meeting, attendees),
            "mine": mine,
            "leaves": leaves if can_manage else [],
            "my_leave": my_leave,
            "can_ask_leave": bool(
                mine
                and my_leave is None
                and mine.attendance == Attendance.EXPECTED
                and meeting.status in services.OPEN_MEETING
                and now < meeting.starts_at
            ),
            "minutes": minutes,
            "corrections": list(minutes.corrections.select_related("actor")) if minutes else [],
            "attachments": list(meeting.attachments.all()),
            "window": window,
            "window_open": window.contains(now)
            and meeting.status not in (MeetingStatus.CANCELLED, MeetingStatus.CLOSED),
            "is_open": meeting.status in services.OPEN_MEETING,
            "is_active": meeting.status not in (MeetingStatus.CANCELLED, MeetingStatus.CLOSED),
            "started": now >= window.opens,
            "can_minute": now >= meeting.starts_at,
            "can_close": now >= meeting.ends_at,
            "attachment_form": AttachmentForm(),
            "present": [a for a in attendees if a.attendance == Attendance.PRESENT],
            "not_in": [a for a in attendees if a.attendance in (Attendance.EXPECTED, Attendance.ABSENT)],
            "on_leave": [a for a in attendees if a.attendance == Attendance.LEAVE],
            "my_supervision": _my_assignment(meeting, person),
        },
    )


def _my_assignment(meeting: Meeting, person: Person | None) -> Any:
    """The user's open 督查 assignment for this meeting, if they were drawn to supervise it."""
    from dangjian.orglife.models import Assignment, AssignmentStatus

    if person is None:
        return None
    return Assignment.objects.filter(
        meeting=meeting, supervisor__person=person, status=AssignmentStatus.ASSIGNED
    ).first()


def _visible_meeting(request: ScopedRequest, meeting_id: int) -> Meeting:
    """A meeting the user may see: in scope, attending it, or supervising it (``access``)."""
    return access.viewable_meeting(request, meeting_id)


def _managed(request: ScopedRequest, meeting_id: int) -> Meeting:
    return selectors.get_meeting_for(request.scope, meeting_id, P.MANAGE_ORGLIFE)


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
def meeting_edit(request: ScopedRequest, meeting_id: int) -> HttpResponse:
    scope = request.scope
    meeting = _managed(request, meeting_id)
    initial = {
        "topic": meeting.topic,
        "date": meeting.date,
        "start_time": meeting.start_time,
        "duration_minutes": meeting.duration_minutes,
        "place": meeting.place,
        "speaker": meeting.speaker_id,
        "speaker_name": meeting.speaker_name,
        "speaker_title": meeting.speaker_title,
    }
    form = MeetingEditForm(request.POST or None, org=meeting.organization, initial=initial)
    return state_form_page(
        request,
        form,
        state=meeting.status,
        back=reverse("orglife:meeting", args=[meeting.pk]),
        action=lambda d, seen: services.meeting_update(
            actor=request.user,
            scope=scope,
            meeting=meeting,
            expected_status=seen,
            **{k: v for k, v in d.items() if k in services.UPDATABLE},
        ),
        success=_("会议信息已保存"),
        next_url=reverse("orglife:meeting", args=[meeting.pk]),
        context={"org": meeting.organization, "title": _("修改会议")},
    )


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
@require_POST
def meeting_notify(request: ScopedRequest, meeting_id: int) -> HttpResponse:
    meeting = _managed(request, meeting_id)
    return _service_call(
        request,
        meeting,
        lambda seen: services.meeting_notify(
            actor=request.user, scope=request.scope, meeting=meeting, expected_status=seen
        ),
        _("会议通知已发送"),
    )


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
def meeting_cancel(request: ScopedRequest, meeting_id: int) -> HttpResponse:
    meeting = _managed(request, meeting_id)
    return state_form_page(
        request,
        ReasonForm(request.POST or None),
        state=meeting.status,
        back=reverse("orglife:meeting", args=[meeting.pk]),
        action=lambda d, seen: services.meeting_cancel(
            actor=request.user,
            scope=request.scope,
            meeting=meeting,
            reason=d["reason"],
            expected_status=seen,
        ),
        success=_("会议已取消"),
        next_url=reverse("orglife:meeting", args=[meeting.pk]),
        context={"org": meeting.organization, "title": _("取消会议"), "danger": True},
    )


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
def meeting_invite(request: ScopedRequest, meeting_id: int) -> HttpResponse:
    meeting = _managed(request, meeting_id)
    form = InviteForm(
        request.POST or None,
        org=meeting.organization,
        exclude=Attendee.objects.filter(meeting=meeting).values("person_id"),
    )
    return state_form_page(
        request,
        form,
        state=meeting.status,
        back=reverse("orglife:meeting", args=[meeting.pk]),
        action=lambda d, seen: services.meeting_invite(
            actor=request.user,
            scope=request.scope,
            meeting=meeting,
            people=list(d["people"]),
            expected_status=seen,
        ),
        success=_("列席人员已添加"),
        next_url=reverse("orglife:meeting", args=[meeting.pk]),
        context={"org": meeting.organization, "title": _("添加列席人员")},
    )


@access_rule(person(branch_secretary=ALLOWED))
@login_required
def leave_new(request: ScopedRequest, meeting_id: int) -> HttpResponse:
    meeting = _visible_meeting(request, meeting_id)
    person = _person(request)
    if person is None:
        raise Http404
    return state_form_page(
        request,
        LeaveForm(request.POST or None),
        state=meeting.status,
        back=reverse("orglife:meeting", args=[meeting.pk]),
        action=lambda d, seen: services.leave_request(
            actor=request.user, person=person, meeting=meeting, reason=d["reason"], expected_status=seen
        ),
        success=_("请假申请已提交，等待支部审批"),
        next_url=reverse("orglife:meeting", args=[meeting.pk]),
        context={"title": _("请假：%(t)s") % {"t": meeting.topic}},
    )


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
@require_POST
def leave_decide(request: ScopedRequest, meeting_id: int, leave_id: int) -> HttpResponse:
    meeting = _managed(request, meeting_id)
    leave = get_object_or_404(LeaveRequest, pk=leave_id, meeting=meeting)
    approve = request.POST.get("decision") == "approve"
    return _service_call(
        request,
        meeting,
        lambda seen: services.leave_decide(
            actor=request.user,
            scope=request.scope,
            leave=leave,
            approve=approve,
            note=request.POST.get("note", "")[:200],
            expected_status=seen,
        ),
        _("已批准请假") if approve else _("已不批准请假"),
    )


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
@require_POST
def checkin_manual(request: ScopedRequest, meeting_id: int) -> HttpResponse:
    meeting = _managed(request, meeting_id)
    ids = [int(v) for v in request.POST.getlist("person") if v.isdigit()]
    people = list(
        Person.objects.filter(
            pk__in=Attendee.objects.filter(meeting=meeting, person_id__in=ids).values("person_id")
        )
    )

    def call(seen: str) -> None:
        n = services.checkin_manual(
            actor=request.user, scope=request.scope, meeting=meeting, people=people, expected_status=seen
        )
        messages.info(request, _("代签 %(n)s 人") % {"n": n})

    return _service_call(request, meeting, call, _("已保存签到"))


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
@require_POST
def attendance_batch(request: ScopedRequest, meeting_id: int) -> HttpResponse:
    """The ticked attendees marked 出席 / 请假 / 缺席 at once (``services.attendance_mark``)."""
    meeting = _managed(request, meeting_id)
    ids = [int(v) for v in request.POST.getlist("person") if v.isdigit()]
    attendance = request.POST.get("attendance", "")

    def call(seen: str) -> None:
        n = services.attendance_mark(
            actor=request.user,
            scope=request.scope,
            meeting=meeting,
            person_ids=ids,
            attendance=attendance,
            expected_status=seen,
        )
        label = Attendance(attendance).label
        messages.info(request, _("%(n)s 人已记为%(a)s") % {"n": n, "a": label})

    return _service_call(request, meeting, call, _("出勤已保存"))


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
def minutes_edit(request: ScopedRequest, meeting_id: int) -> HttpResponse:
    meeting = _managed(request, meeting_id)
    minutes = getattr(meeting, "minutes", None) if hasattr(meeting, "minutes") else None
    initial = (
        {
            "host": minutes.host_id,
            "recorder": minutes.recorder_id,
            "content": minutes.content,
            "resolutions": minutes.resolutions,
        }
        if minutes
        else {}
    )
    form = MinutesForm(request.POST or None, meeting=meeting, initial=initial)
    return state_form_page(
        request,
        form,
        state=meeting.status,
        back=reverse("orglife:meeting", args=[meeting.pk]),
        action=lambda d, seen: services.minutes_record(
            expected_status=seen,
            actor=request.user,
            scope=request.scope,
            meeting=meeting,
            host=d["host"],
            recorder=d["recorder"],
            content=d["content"],
            resolutions=d["resolutions"],
            absence_reasons=form.absence_reasons(),
        ),
        success=_("会议纪要已保存"),
        next_url=reverse("orglife:meeting", args=[meeting.pk]),
        context={
            "org": meeting.organization,
            "title": _("会议纪要：%(t)s") % {"t": meeting.topic},
            "help": _("主持人和记录人计为出席。会议结束后，未签到且未请假的人员将记为缺席，请填写缺席原因。"),
        },
    )


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
def meeting_close(request: ScopedRequest, meeting_id: int) -> HttpResponse:
    """归档: a confirmation page listing who will be recorded absent; its form archives."""
    meeting = _managed(request, meeting_id)
    if request.method == "POST":
        return _service_call(
            request,
            meeting,
            lambda seen: services.meeting_close(
                actor=request.user, scope=request.scope, meeting=meeting, expected_status=seen
            ),
            _("会议已归档"),
        )
    minutes = getattr(meeting, "minutes", None) if hasattr(meeting, "minutes") else None
    return render(
        request,
        "orglife/meeting_close.html",
        {
            "title": _("归档会议：%(t)s") % {"t": meeting.topic},
            "meeting": meeting,
            "org": meeting.organization,
            "minutes": minutes,
            "absent": selectors.absent_on_close(meeting),
            "ended": timezone.now() >= meeting.ends_at,
        },
    )


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
def minutes_correct(request: ScopedRequest, meeting_id: int) -> HttpResponse:
    meeting = _managed(request, meeting_id)
    minutes = getattr(meeting, "minutes", None) if hasattr(meeting, "minutes") else None
    if minutes is None:
        raise Http404
    form = CorrectionForm(
        request.POST or None, initial={"content": minutes.content, "resolutions": minutes.resolutions}
    )
    return state_form_page(
        request,
        form,
        state=meeting.status,
        back=reverse("orglife:meeting", args=[meeting.pk]),
        action=lambda d, seen: services.minutes_correct(
            actor=request.user,
            scope=request.scope,
            meeting=meeting,
            reason=d["reason"],
            changes={"content": d["content"].strip(), "resolutions": d["resolutions"].strip()},
            expected_status=seen,
        ),
        success=_("纪要已更正，更正记录已保存"),
        next_url=reverse("orglife:meeting", args=[meeting.pk]),
        context={"org": meeting.organization, "title": _("更正会议纪要")},
    )


@access_rule(within(Permission.MANAGE_ORGLIFE))
@login_required
@require_POST
def attachment_add(request: ScopedRequest, meeting_id: int) -> HttpResponse:
    meeting = _managed(request, meeting_id)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件"))
        return redirect("orglife:meeting", meeting.pk)
    return _service_call(
        request,
        meeting,
        lambda _seen: services.attachment_add(
            actor=request.user, scope=request.scope, meeting=meeting, upload=form.cleaned_data["file"]
        ),
        _("附件已上传"),
    )


@access_rule(within(Permission.VIEW_ORGLIFE))
@login_required
def minutes_pdf(request: ScopedRequest, meeting_id: int) -> HttpResponse:
    """会议记录 with its 签到表 (A4 PDF): the header, the minutes, every attendee with their attendance
    and a column to sign. Before the meeting it is the blank sign-in sheet. For those who see the
    branch's 组织生活 (an attendee alone does not see the others' attendance)."""
    meeting = _visible_meeting(request, meeting_id)
    if not request.scope.covers(P.VIEW_ORGLIFE, meeting.organization.path):
        raise Http404
    minutes = Minutes.objects.filter(meeting=meeting).select_related("host", "recorder").first()
    attendees = (
        Attendee.objects.filter(meeting=meeting)
        .select_related("person")
        .order_by("person__name_pinyin", "pk")
    )
    content = pdf.render_pdf(
        "orglife/minutes_pdf.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "attendees": attendees,
            "counts": selectors.attendance_counts(meeting),
            "printed": timezone.localtime(),
        },
    )
    return pdf.pdf_response(content, f"会议记录-{meeting.date:%Y%m%d}-{meeting.pk}.pdf")


@access_rule(within(Permission.VIEW_ORGLIFE, member=ALLOWED))
@login_required
def attachment_download(request: ScopedRequest, meeting_id: int, attachment_id: int) -> FileResponse:
    meeting = _visible_meeting(request, meeting_id)
    attachment = get_object_or_404(MeetingAttachment, pk=attachment_id, meeting=meeting)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
