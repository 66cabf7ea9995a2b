"""Writes of 组织生活: plans (draft → submitted → approved / returned → resubmitted), meetings (planned →
notified → held → minutes → closed, or cancelled), attendees, leave, check-in, minutes and corrections.

Pages fetch objects through the scoped selectors (out of scope → 404); these functions check that the
actor is on the right side (``orglife.access``: the branch runs its meetings, the committee above
reviews plans), run in one transaction and record an audit entry. Every one that acts for a side takes
the actor's ``scope``; the platform itself passes ``Scope.system()``.

Every one that changes a held meeting or its attendees ends its transaction with ``tally_refresh`` of the
meeting's (organization, month) — old and new when the date moves — so the attendance tally
(``compliance.tally``, ADR 0009) stays what the live aggregate says; the services on open meetings call
``refresh_if_held``, which costs nothing for a meeting not held. Last, because it locks the tally
row until the commit: nothing is locked after it, so it joins no lock cycle."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.recipients import secretary_users, upper_organizers
from dangjian.accounts.scope import Scope
from dangjian.core.models import (
    COMMITTEE_TITLES,
    Cadre,
    Membership,
    Organization,
    OrgKind,
    Person,
    Position,
    Standing,
)
from dangjian.kit.errors import RuleViolation, StaleState
from dangjian.kit.transitions import expect_state, stale_message
from dangjian.kit.uploads import checked_upload
from dangjian.orglife import access
from dangjian.orglife.compliance.tally import meeting_key, refresh_if_held, tally_refresh
from dangjian.orglife.meetings import checkin
from dangjian.orglife.meetings.study import tell_study
from dangjian.orglife.models import (
    Attendance,
    Attendee,
    AttendeeRole,
    CalendarFeed,
    CheckinMethod,
    LeaveRequest,
    LeaveStatus,
    Meeting,
    MeetingAttachment,
    MeetingKind,
    MeetingStatus,
    Minutes,
    MinutesCorrection,
    PeriodKind,
    Plan,
    PlanStatus,
    period_end,
)
from dangjian.workbench.services import notify

EDITABLE_PLAN = (PlanStatus.DRAFT, PlanStatus.RETURNED)
OPEN_MEETING = (MeetingStatus.PLANNED, MeetingStatus.NOTIFIED)
ATTACHMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def _branch_side(scope: Scope, org: Organization) -> None:
    if not access.may_manage(scope, org):
        raise RuleViolation(_("只有本支部（或上级组织员）可以办理本支部的组织生活"), code="not_your_side")


def _link(meeting: Meeting) -> str:
    return reverse("orglife:meeting", args=[meeting.pk])


def period_start_of(kind: str, day: date) -> date:
    if kind == PeriodKind.MONTH:
        return day.replace(day=1)
    if kind == PeriodKind.QUARTER:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, 1, 1)


# ---- plans --------------------------------------------------------------------------------------


class PlanExists(RuleViolation):
    """The branch already has a plan for that period: ``plan`` is it (the page links to it)."""

    def __init__(self, plan: Plan | None) -> None:
        super().__init__(_("该支部本周期的计划已存在，请直接修改"), code="plan_exists", field="period")
        self.plan = plan


def plan_create(
    *, actor: Any, scope: Scope, org: Organization, period_kind: str, day: date, note: str = ""
) -> Plan:
    if org.kind != OrgKind.BRANCH:
        raise RuleViolation(_("组织生活计划由党支部制定"), field="org")
    _branch_side(scope, org)
    start = period_start_of(period_kind, day)
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                organization=org, period_kind=period_kind, period_start=start, note=note
            )
            audit.record(
                actor=actor,
                action="orglife.plan_create",
                target=plan,
                org=org,
                changes={"period_kind": period_kind, "period_start": start.isoformat()},
            )
    except IntegrityError:
        existing = Plan.objects.filter(organization=org, period_kind=period_kind, period_start=start).first()
        raise PlanExists(existing) from None
    return plan


def _months_between(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def plan_copy_forward(
    *, actor: Any, scope: Scope, org: Organization, today: date | None = None
) -> tuple[Plan, bool]:
    """Next month's plan of ``org`` as a draft, its meetings those of the branch's latest earlier month
    plan moved to the same day of the new month (clamped to its end), each with its attendees as the
    branch stands now. Returns (the plan, whether it was made now): when next month already has a plan
    — a second click, a twin request — that plan is returned and nothing is copied."""
    if org.kind != OrgKind.BRANCH:
        raise RuleViolation(_("组织生活计划由党支部制定"), field="org")
    _branch_side(scope, org)
    from dangjian.kit.dates import add_months

    target = add_months((today or timezone.localdate()).replace(day=1), 1)
    plans = Plan.objects.filter(organization=org, period_kind=PeriodKind.MONTH)
    existing = plans.filter(period_start=target).first()
    if existing is not None:
        return existing, False
    source = plans.filter(period_start__lt=target).order_by("-period_start").first()
    if source is None:
        raise RuleViolation(_("本支部还没有更早的月度计划可以复制，请直接制定计划"), code="no_source")
    shift = _months_between(source.period_start, target)
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                organization=org, period_kind=PeriodKind.MONTH, period_start=target, note=source.note
            )
            copied = []
            for m in source.meetings.exclude(status=MeetingStatus.CANCELLED).select_related("group"):
                if m.group is not None and not m.group.is_active:
                    continue  # the 党小组 is gone: nothing to hold its meeting
                meeting = Meeting.objects.create(
                    organization=org,
                    group=m.group,
                    plan=plan,
                    kind=m.kind,
                    topic=m.topic,
                    date=add_months(m.date, shift),
                    start_time=m.start_time,
                    duration_minutes=m.duration_minutes,
                    place=m.place,
                    speaker=m.speaker,
                    created_by=actor if getattr(actor, "pk", None) else None,
                )
                Attendee.objects.bulk_create(
                    [
                        Attendee(meeting=meeting, person_id=pk, role=role)
                        for pk, role in expected_people(org, m.kind, m.group)
                    ]
                )
                copied.append(meeting.pk)
            audit.record(
                actor=actor,
                action="orglife.plan_copy",
                target=plan,
                org=org,
                changes={
                    "period_start": target.isoformat(),
                    "copied_from": source.pk,
                    "meetings": copied,
                },
            )
    except IntegrityError:
        # A twin request made it first: its plan is the answer.
        return plans.get(period_start=target), False
    return plan, True


def _editable_plan(scope: Scope, plan: Plan, expected_status: Any = None) -> Plan:
    plan = Plan.objects.select_for_update().select_related("organization").get(pk=plan.pk)
    expect_state(plan.status, expected_status)
    _branch_side(scope, plan.organization)
    if plan.status not in EDITABLE_PLAN:
        raise RuleViolation(_("计划已提交审核或已通过，不能修改"))
    return plan


def _shortfall(plan: Plan, reason: str) -> tuple[list[str], str]:
    """(the forms the plan is missing, the reason kept): a plan that does not meet the frequencies goes
    on only with a reason; one that meets them keeps none."""
    from dangjian.orglife.meetings.selectors import plan_verdict

    verdict = plan_verdict(plan)
    if verdict.ok:
        return [], ""
    reason = reason.strip()
    if not reason:
        raise RuleViolation(
            _("%(verdict)s。如仍要继续，请填写原因") % {"verdict": verdict.text},
            code="shortfall_reason_required",
            field="shortfall_reason",
        )
    return list(verdict.missing), reason[:300]


def plan_submit(
    *,
    actor: Any,
    scope: Scope,
    plan: Plan,
    expected_status: str | None = None,
    shortfall_reason: str = "",
) -> Plan:
    """Submit (or, once returned, resubmit) a plan for review; one that does not meet the required
    frequencies only with the branch's reason (``shortfall_reason``), kept on the plan for the reviewer."""
    with transaction.atomic():
        plan = _editable_plan(scope, plan, expected_status)
        if not plan.meetings.exclude(status=MeetingStatus.CANCELLED).exists():
            raise RuleViolation(_("计划中还没有安排会议"))
        missing, reason = _shortfall(plan, shortfall_reason)
        before = plan.status
        plan.status = PlanStatus.SUBMITTED
        plan.submitted_at = timezone.now()
        plan.submit_reason = reason
        if before == PlanStatus.RETURNED:
            plan.revision += 1
        plan.save()
        audit.record(
            actor=actor,
            action="orglife.plan_submit",
            target=plan,
            org=plan.organization,
            changes={
                "status": [before, plan.status],
                "revision": plan.revision,
                "missing": missing,
                "reason": reason,
            },
        )
        notify(
            upper_organizers(plan.organization),
            "orglife",
            _("%(org)s 提交了组织生活计划，请审核") % {"org": plan.organization.display_name},
            link=reverse("orglife:plan", args=[plan.pk]),
        )
    return plan


def _review(
    actor: Any,
    scope: Scope,
    plan: Plan,
    status: str,
    note: str,
    expected_status: str | None,
    shortfall_reason: str = "",
) -> Plan:
    with transaction.atomic():
        plan = Plan.objects.select_for_update().select_related("organization").get(pk=plan.pk)
        expect_state(plan.status, expected_status)
        if not access.may_review(scope, plan.organization):
            raise RuleViolation(_("组织生活计划由上级党组织审核"), code="not_your_side")
        if plan.status != PlanStatus.SUBMITTED:
            raise RuleViolation(_("只有待审核的计划可以审核"))
        if status == PlanStatus.RETURNED and not note:
            raise RuleViolation(_("请填写退回原因"), field="reason")
        missing: list[str] = []
        if status == PlanStatus.APPROVED:
            missing, plan.approve_reason = _shortfall(plan, shortfall_reason)
        plan.status = status
        plan.review_note = note
        plan.reviewed_at = timezone.now()
        plan.reviewed_by = actor if getattr(actor, "pk", None) else None
        plan.save()
        audit.record(
            actor=actor,
            action=f"orglife.plan_{'approve' if status == PlanStatus.APPROVED else 'return'}",
            target=plan,
            org=plan.organization,
            changes={
                "status": [PlanStatus.SUBMITTED, status],
                "note": note,
                **({"missing": missing, "reason": plan.approve_reason} if missing else {}),
            },
        )
        title = (
            _("组织生活计划已通过审核")
            if status == PlanStatus.APPROVED
            else _("组织生活计划被退回：%(r)s") % {"r": note}
        )
        notify(
            secretary_users(plan.organization), "orglife", title, link=reverse("orglife:plan", args=[plan.pk])
        )
    return plan


def plan_approve(
    *,
    actor: Any,
    scope: Scope,
    plan: Plan,
    note: str = "",
    expected_status: str | None = None,
    shortfall_reason: str = "",
) -> Plan:
    """Approve a submitted plan; one that does not meet the required frequencies only with the
    reviewer's reason (``shortfall_reason``), kept on the plan for the branch."""
    return _review(actor, scope, plan, PlanStatus.APPROVED, note, expected_status, shortfall_reason)


def plan_return(
    *, actor: Any, scope: Scope, plan: Plan, reason: str, expected_status: str | None = None
) -> Plan:
    return _review(actor, scope, plan, PlanStatus.RETURNED, reason.strip(), expected_status)


@dataclass
class BatchApproval:
    """What one batch approval did, plan by plan: approved; left alone because it does not meet the
    required frequencies (to be opened and approved one by one, with a reason); or refused (changed
    meanwhile, or any other refusal), with the message."""

    approved: list[Plan] = field(default_factory=list)
    short: list[Plan] = field(default_factory=list)
    refused: list[tuple[Plan, str]] = field(default_factory=list)


def plan_approve_batch(
    *, actor: Any, scope: Scope, seen: list[tuple[Plan, str]], note: str = ""
) -> BatchApproval:
    """Approve several submitted plans, each as ``plan_approve`` (its own transaction, its own state
    token and audit record): a plan that changed since the list was shown is refused, one that does not
    meet the verdict is not approved in a batch."""
    result = BatchApproval()
    for plan, expected in seen:
        try:
            result.approved.append(
                plan_approve(actor=actor, scope=scope, plan=plan, note=note, expected_status=expected)
            )
        except RuleViolation as exc:
            if exc.code == "shortfall_reason_required":
                result.short.append(plan)
            else:
                result.refused.append((plan, exc.message))
        except StaleState as exc:
            result.refused.append((plan, exc.message))
    return result


# ---- meetings -----------------------------------------------------------------------------------


def expected_people(org: Organization, kind: str, group: Organization | None) -> list[tuple[int, str]]:
    """(person id, role) of those who should attend: the branch's members in normal standing (the 党小组's
    for 党小组会, the committee for 支委会), plus leading cadres assigned here for 双重组织生活."""
    if kind == MeetingKind.COMMITTEE:
        ids = Position.objects.filter(
            organization=org, ended_on__isnull=True, title__in=COMMITTEE_TITLES
        ).values_list("person_id", flat=True)
        return [(pk, AttendeeRole.MEMBER) for pk in sorted(set(ids))]
    members = Membership.objects.filter(organization=org, standing=Standing.NORMAL)
    if kind == MeetingKind.GROUP and group is not None:
        members = members.filter(group=group)
    people: list[tuple[int, str]] = [
        (pk, AttendeeRole.MEMBER) for pk in members.order_by("person_id").values_list("person_id", flat=True)
    ]
    if kind != MeetingKind.GROUP:
        seen = {pk for pk, _role in people}
        cadres = Cadre.objects.filter(dual_life_branch=org, is_leading=True).values_list(
            "person_id", flat=True
        )
        people += [(pk, AttendeeRole.DUAL_LIFE) for pk in sorted(set(cadres)) if pk not in seen]
    return people


def check_speaker(kind: str, speaker: Person | None, speaker_name: str, speaker_title: str) -> None:
    """A 党课 names its speaker: a member picked from the branch or an invited speaker as free text —
    exactly one of the two (another meeting may name one, or none)."""
    if speaker is not None and speaker_name.strip():
        raise RuleViolation(
            _("主讲人请在“本支部主讲人”和“特邀主讲人”中二选一，不能同时填写"), field="speaker_name"
        )
    if speaker_title.strip() and not speaker_name.strip():
        raise RuleViolation(_("填写了特邀主讲人的职务/单位，请同时填写其姓名"), field="speaker_name")
    if kind == MeetingKind.LECTURE and speaker is None and not speaker_name.strip():
        raise RuleViolation(_("党课请选择本支部主讲人或填写特邀主讲人"), field="speaker")


def _check_meeting_fields(
    org: Organization,
    kind: str,
    day: date,
    group: Organization | None,
    plan: Plan | None,
    speaker: Person | None,
    speaker_name: str = "",
    speaker_title: str = "",
) -> None:
    if org.kind != OrgKind.BRANCH:
        raise RuleViolation(_("组织生活会议由党支部召开"), field="org")
    if kind not in MeetingKind.values:
        raise RuleViolation(_("会议类型不正确"), field="kind")
    if kind == MeetingKind.GROUP:
        if group is None:
            raise RuleViolation(_("党小组会请选择党小组"), field="group")
        if group.kind != OrgKind.GROUP or not group.path.startswith(org.path):
            raise RuleViolation(_("所选党小组不属于本支部"), field="group")
    elif group is not None:
        raise RuleViolation(_("只有党小组会需要选择党小组"), field="group")
    check_speaker(kind, speaker, speaker_name, speaker_title)
    if plan is not None and not (plan.period_start <= day <= period_end(plan.period_kind, plan.period_start)):
        raise RuleViolation(_("会议日期不在计划周期内"), field="date")


def meeting_replayed(*, actor: Any, idempotency_key: str | None) -> Meeting | None:
    """The meeting a creation form with this one-time key already made (by the same user), if any."""
    if not idempotency_key:
        return None
    qs = Meeting.objects.filter(idempotency_key=idempotency_key)
    if getattr(actor, "pk", None):
        qs = qs.filter(created_by=actor)
    return qs.first()


def meeting_create(
    *,
    actor: Any,
    scope: Scope,
    org: Organization,
    kind: str,
    topic: str,
    day: date,
    start_time: time,
    duration_minutes: int = 90,
    place: str = "",
    speaker: Person | None = None,
    group: Organization | None = None,
    plan: Plan | None = None,
    idempotency_key: str | None = None,
    speaker_name: str = "",
    speaker_title: str = "",
) -> Meeting:
    """A meeting in a plan (the plan must still be editable) or, without a plan, an ad-hoc one.

    A replay of the same form (its one-time ``idempotency_key``) returns the first meeting before
    anything else is checked: a double-click never makes two meetings, both counted and both notified,
    nor fails on what has changed since (the plan submitted, the day passed)."""
    done = meeting_replayed(actor=actor, idempotency_key=idempotency_key)
    if done is not None:
        return done
    _branch_side(scope, org)
    if not topic.strip():
        raise RuleViolation(_("请填写会议主题"), field="topic")
    with transaction.atomic():
        if plan is not None:
            plan = _editable_plan(scope, plan)
            if plan.organization_id != org.pk:
                raise RuleViolation(_("计划不属于该支部"))
        _check_meeting_fields(org, kind, day, group, plan, speaker, speaker_name, speaker_title)
        try:
            with transaction.atomic():
                meeting = Meeting.objects.create(
                    organization=org,
                    group=group,
                    plan=plan,
                    ad_hoc=plan is None,
                    kind=kind,
                    topic=topic.strip(),
                    date=day,
                    start_time=start_time,
                    duration_minutes=duration_minutes,
                    place=place,
                    speaker=speaker,
                    speaker_name=speaker_name.strip(),
                    speaker_title=speaker_title.strip(),
                    created_by=actor if getattr(actor, "pk", None) else None,
                    idempotency_key=idempotency_key or None,
                )
        except IntegrityError:
            # A concurrent twin of the same form committed first (the key is unique): its meeting.
            done = meeting_replayed(actor=actor, idempotency_key=idempotency_key)
            if done is not None:
                return done
            if idempotency_key and Meeting.objects.filter(idempotency_key=idempotency_key).exists():
                raise StaleState(stale_message()) from None  # someone else's form: not theirs to replay
            raise
        Attendee.objects.bulk_create(
            [
                Attendee(meeting=meeting, person_id=pk, role=role)
                for pk, role in expected_people(org, kind, group)
            ]
        )
        audit.record(
            actor=actor,
            action="orglife.meeting_create",
            target=meeting,
            org=org,
            changes={
                "kind": kind,
                "topic": meeting.topic,
                "date": day.isoformat(),
                "plan": plan.pk if plan else None,
                "ad_hoc": meeting.ad_hoc,
            },
        )
        refresh_if_held(meeting)  # a new meeting is planned: nothing, unless that changes
    return meeting


def _locked_meeting(scope: Scope, meeting: Meeting, expected_status: Any = None) -> Meeting:
    """The meeting row, locked; refused when its status is not the one the user saw."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("organization", "plan")
        .get(pk=meeting.pk)
    )
    expect_state(meeting.status, expected_status)
    _branch_side(scope, meeting.organization)
    return meeting


UPDATABLE = (
    "topic",
    "date",
    "start_time",
    "duration_minutes",
    "place",
    "speaker",
    "speaker_name",
    "speaker_title",
)


def meeting_update(
    *, actor: Any, scope: Scope, meeting: Meeting, expected_status: str | None = None, **fields: Any
) -> Meeting:
    with transaction.atomic():
        meeting = _locked_meeting(scope, meeting, expected_status)
        if meeting.status not in OPEN_MEETING:
            raise RuleViolation(_("会议已召开或已取消，不能修改；请在纪要中更正"))
        if meeting.plan and meeting.plan.status not in EDITABLE_PLAN and "date" in fields:
            end = period_end(meeting.plan.period_kind, meeting.plan.period_start)
            if not (meeting.plan.period_start <= fields["date"] <= end):
                raise RuleViolation(_("会议日期不在计划周期内"), field="date")
        before = {k: str(getattr(meeting, k)) for k in UPDATABLE if k in fields}
        old_key = meeting_key(meeting)
        for key, value in fields.items():
            if key not in UPDATABLE:
                raise RuleViolation(_("不能修改该项"))
            setattr(meeting, key, value)
        meeting.speaker_name = meeting.speaker_name.strip()
        meeting.speaker_title = meeting.speaker_title.strip()
        check_speaker(meeting.kind, meeting.speaker, meeting.speaker_name, meeting.speaker_title)
        meeting.save()
        after = {k: str(getattr(meeting, k)) for k in before}
        audit.record(
            actor=actor,
            action="orglife.meeting_update",
            target=meeting,
            org=meeting.organization,
            changes={"before": before, "after": after},
        )
        if meeting.status == MeetingStatus.NOTIFIED and before != after:
            _notify_attendees(meeting, _("会议信息有变更：%(t)s") % {"t": meeting.topic})
        refresh_if_held(meeting, old_key=old_key)  # the date may have moved to another month
    return meeting


def _attendee_users(meeting: Meeting, only: Q | None = None) -> list[Any]:
    from dangjian.accounts.models import User

    people = Attendee.objects.filter(meeting=meeting)
    if only is not None:
        people = people.filter(only)
    return list(User.objects.filter(is_active=True, person__in=people.values("person_id")))


def _notify_attendees(meeting: Meeting, title: str) -> int:
    body = _("%(d)s %(t)s，%(p)s") % {
        "d": meeting.date.isoformat(),
        "t": meeting.start_time.strftime("%H:%M"),
        "p": meeting.place or _("地点待定"),
    }
    return notify(_attendee_users(meeting), "orglife", title, body=body, link=_link(meeting))


def meeting_notify(
    *, actor: Any, scope: Scope, meeting: Meeting, expected_status: str | None = None
) -> Meeting:
    """Send the notice: refresh the list of those expected (members who joined since), notify them."""
    with transaction.atomic():
        meeting = _locked_meeting(scope, meeting, expected_status)
        if meeting.status not in OPEN_MEETING:
            raise RuleViolation(_("会议已召开或已取消"))
        have = set(meeting.attendees.values_list("person_id", flat=True))
        new = [
            Attendee(meeting=meeting, person_id=pk, role=role)
            for pk, role in expected_people(meeting.organization, meeting.kind, meeting.group)
            if pk not in have
        ]
        Attendee.objects.bulk_create(new)
        before = meeting.status
        meeting.status = MeetingStatus.NOTIFIED
        meeting.notified_at = timezone.now()
        meeting.save(update_fields=["status", "notified_at", "updated_at"])
        sent = _notify_attendees(
            meeting, _("会议通知：%(k)s · %(t)s") % {"k": meeting.get_kind_display(), "t": meeting.topic}
        )
        audit.record(
            actor=actor,
            action="orglife.meeting_notify",
            target=meeting,
            org=meeting.organization,
            changes={"status": [before, meeting.status], "added": len(new), "notified": sent},
        )
        refresh_if_held(meeting, was=before)
    return meeting


def meeting_cancel(
    *, actor: Any, scope: Scope, meeting: Meeting, reason: str, expected_status: str | None = None
) -> Meeting:
    with transaction.atomic():
        meeting = _locked_meeting(scope, meeting, expected_status)
        if not reason.strip():
            raise RuleViolation(_("请填写取消原因"), field="reason")
        if meeting.status not in OPEN_MEETING:
            raise RuleViolation(_("会议已召开，不能取消"))
        before = meeting.status
        meeting.status = MeetingStatus.CANCELLED
        meeting.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            action="orglife.meeting_cancel",
            target=meeting,
            org=meeting.organization,
            changes={"status": [before, meeting.status], "reason": reason},
        )
        if before == MeetingStatus.NOTIFIED:
            _notify_attendees(meeting, _("会议已取消：%(t)s（%(r)s）") % {"t": meeting.topic, "r": reason})
        refresh_if_held(meeting, was=before)
    return meeting


def meeting_invite(
    *,
    actor: Any,
    scope: Scope,
    meeting: Meeting,
    people: list[Person],
    role: str = AttendeeRole.INVITED,
    expected_status: str | None = None,
) -> int:
    """列席: activists, development targets, cadres… added to the attendees (already there: unchanged)."""
    with transaction.atomic():
        meeting = _locked_meeting(scope, meeting, expected_status)
        if meeting.status in (MeetingStatus.CLOSED, MeetingStatus.CANCELLED):
            raise RuleViolation(_("会议已归档或已取消"))
        have = set(meeting.attendees.values_list("person_id", flat=True))
        rows = [Attendee(meeting=meeting, person=p, role=role) for p in people if p.pk not in have]
        Attendee.objects.bulk_create(rows)
        audit.record(
            actor=actor,
            action="orglife.meeting_invite",
            target=meeting,
            org=meeting.organization,
            changes={"people": [r.person_id for r in rows], "role": role},
        )
        refresh_if_held(meeting)
    return len(rows)


# ---- leave --------------------------------------------------------------------------------------


def leave_request(
    *,
    actor: Any,
    person: Person,
    meeting: Meeting,
    reason: str,
    expected_status: str | None = None,
) -> LeaveRequest:
    """A member asks for leave before the meeting starts (once per meeting). ``expected_status`` is the
    meeting's status the member saw (a meeting cancelled or changed meanwhile is refused as stale)."""
    try:
        with transaction.atomic():
            # The meeting row is read under a share lock: a cancel or close waits for this request.
            meeting = (
                Meeting.objects.select_for_update(of=("self",))
                .select_related("organization")
                .get(pk=meeting.pk)
            )
            # The notice going out meanwhile (planned → notified) does not change what the member asks.
            expect_state(meeting.status, OPEN_MEETING if expected_status in OPEN_MEETING else expected_status)
            if not reason.strip():
                raise RuleViolation(_("请填写请假事由"), field="reason")
            if meeting.status not in OPEN_MEETING or timezone.now() >= meeting.starts_at:
                raise RuleViolation(_("会议已开始或已结束，不能再请假；请联系支部说明情况"))
            if not Attendee.objects.filter(meeting=meeting, person=person).exists():
                raise RuleViolation(_("您不在本次会议的参会名单中"))
            leave = LeaveRequest.objects.create(meeting=meeting, person=person, reason=reason.strip())
            audit.record(
                actor=actor,
                action="orglife.leave_request",
                target=leave,
                org=meeting.organization,
                changes={"reason": leave.reason},
            )
            notify(
                secretary_users(meeting.organization),
                "orglife",
                _("%(p)s 申请请假：%(t)s") % {"p": person.name, "t": meeting.topic},
                link=_link(meeting),
            )
    except IntegrityError:
        raise RuleViolation(_("您已提交过本次会议的请假申请")) from None
    return leave


def leave_decide(
    *,
    actor: Any,
    scope: Scope,
    leave: LeaveRequest,
    approve: bool,
    note: str = "",
    expected_status: str | None = None,
) -> LeaveRequest:
    with transaction.atomic():
        leave = (
            LeaveRequest.objects.select_for_update(of=("self",))
            .select_related("meeting__organization", "person")
            .get(pk=leave.pk)
        )
        expect_state(leave.status, expected_status)
        _branch_side(scope, leave.meeting.organization)
        if leave.status != LeaveStatus.PENDING:
            raise RuleViolation(_("该请假申请已审批"))
        leave.status = LeaveStatus.APPROVED if approve else LeaveStatus.REFUSED
        leave.decided_by = actor if getattr(actor, "pk", None) else None
        leave.decided_at = timezone.now()
        leave.decision_note = note
        leave.save()
        if approve:
            Attendee.objects.filter(
                meeting=leave.meeting, person=leave.person, attendance=Attendance.EXPECTED
            ).update(attendance=Attendance.LEAVE)
        audit.record(
            actor=actor,
            action="orglife.leave_decide",
            target=leave,
            org=leave.meeting.organization,
            changes={"status": [LeaveStatus.PENDING, leave.status], "note": note},
        )
        from dangjian.accounts.models import User

        title = _("请假已批准：%(t)s") if approve else _("请假未批准：%(t)s")
        notify(
            User.objects.filter(person=leave.person, is_active=True),
            "orglife",
            title % {"t": leave.meeting.topic},
            body=note,
            link=_link(leave.meeting),
        )
        refresh_if_held(leave.meeting)
    return leave


# ---- check-in -----------------------------------------------------------------------------------


def checkin_scan(
    *,
    actor: Any,
    person: Person | None,
    token: str,
    now: datetime | None = None,
    meeting_id: int | None = None,
) -> tuple[Attendee, bool]:
    """A member checks in with the code on the host's screen. Returns (attendee, newly checked in);
    a second scan changes nothing. Refused: a forged or expired code, outside the check-in window, a
    cancelled meeting, a person who is not an attendee."""
    now = now or timezone.now()
    token_meeting = checkin.read_token(token, now)
    if meeting_id is not None and token_meeting != meeting_id:
        raise RuleViolation(_("该签到码不是本次会议的，请扫描本会场的二维码。"), code="checkin_wrong_meeting")
    meeting = Meeting.objects.select_related("organization").filter(pk=token_meeting).first()
    if meeting is None or meeting.status == MeetingStatus.CANCELLED:
        raise RuleViolation(_("会议不存在或已取消"), code="checkin_invalid")
    if meeting.status == MeetingStatus.CLOSED:
        raise RuleViolation(_("会议已归档，不能再签到"), code="checkin_closed")
    if not checkin.window(meeting).contains(now):
        raise RuleViolation(
            _("不在签到时间内（会前 %(b)s 分钟至会后 %(a)s 分钟）") % _window_minutes(), code="checkin_closed"
        )
    if person is None:
        raise RuleViolation(_("您的账号没有关联人员信息，请联系管理员"), code="checkin_not_attendee")
    return _check_in(actor, meeting, person, CheckinMethod.QR, now, refresh=True)


def _window_minutes() -> dict[str, int]:
    from dangjian.policy import get_policy

    p = get_policy()
    return {"b": p.orglife_checkin_before_minutes, "a": p.orglife_checkin_after_minutes}


def _check_in(
    actor: Any, meeting: Meeting, person: Person, method: str, now: datetime, *, refresh: bool = False
) -> tuple[Attendee, bool]:
    """One person present. ``refresh``: end with the meeting's tally refresh (a scan); a caller that
    checks in several people refreshes once after the last — refreshing after each would lock the tally
    row and then the next attendee's row, the reverse of a concurrent scan's order."""
    with transaction.atomic():
        attendee = Attendee.objects.select_for_update().filter(meeting=meeting, person=person).first()
        if attendee is None:
            raise RuleViolation(
                _("您不在本次会议的参会名单中，如需列席请联系支部"), code="checkin_not_attendee"
            )
        if attendee.attendance == Attendance.PRESENT:
            return attendee, False
        # Read again under the lock: an archive that committed since the caller looked has fixed the
        # attendance (changes now go through 更正纪要, with a reason), and a cancelled meeting takes none.
        status = Meeting.objects.filter(pk=meeting.pk).values_list("status", flat=True).first()
        if status == MeetingStatus.CLOSED:
            raise RuleViolation(_("会议已归档，不能再签到"), code="checkin_closed")
        if status == MeetingStatus.CANCELLED:
            raise RuleViolation(_("会议不存在或已取消"), code="checkin_invalid")
        before = attendee.attendance
        attendee.attendance = Attendance.PRESENT
        attendee.checked_in_at = now
        attendee.checkin_method = method
        attendee.absence_reason = ""
        attendee.save(update_fields=["attendance", "checked_in_at", "checkin_method", "absence_reason"])
        # The first check-in shows the meeting is being held (one conditional UPDATE, no lock wait).
        Meeting.objects.filter(pk=meeting.pk, status__in=OPEN_MEETING).update(
            status=MeetingStatus.HELD, held_at=now
        )
        audit.record(
            actor=actor,
            action="orglife.check_in",
            target=attendee,
            org=meeting.organization,
            changes={
                "meeting": meeting.pk,
                "person": person.pk,
                "attendance": [before, Attendance.PRESENT],
                "method": method,
            },
        )
        if refresh:
            tally_refresh([meeting_key(meeting)])
    return attendee, True


def checkin_manual(
    *,
    actor: Any,
    scope: Scope,
    meeting: Meeting,
    people: list[Person],
    expected_status: str | None = None,
) -> int:
    """The host checks in those without a phone; returns how many were newly checked in.

    ``expected_status`` is the meeting status the host's page showed. The first check-in (a member's
    scan or this) turns a planned or notified meeting into a held one, so a page that showed any of
    those three is still current; a cancelled, minuted or closed meeting is not."""
    with transaction.atomic():
        meeting = _locked_for_attendance(scope, meeting, expected_status)
        now = timezone.now()
        if now < checkin.window(meeting).opens:
            raise RuleViolation(_("会议尚未开始，不能签到"))
        done = sum(1 for p in people if _check_in(actor, meeting, p, CheckinMethod.MANUAL, now)[1])
        tally_refresh([meeting_key(meeting)])
    return done


def _locked_for_attendance(scope: Scope, meeting: Meeting, expected_status: str | None) -> Meeting:
    """The meeting locked for changing who attended. A check-in turns a planned or notified meeting
    into a held one, so a page that showed any of those three is still current; a cancelled or
    archived meeting takes no attendance (an archived one is corrected through the minutes)."""
    seen: Any = expected_status
    if expected_status in (*OPEN_MEETING, MeetingStatus.HELD):
        seen = (*OPEN_MEETING, MeetingStatus.HELD)
    meeting = _locked_meeting(scope, meeting, seen)
    if meeting.status == MeetingStatus.CANCELLED:
        raise RuleViolation(_("会议已取消"))
    if meeting.status == MeetingStatus.CLOSED:
        raise RuleViolation(_("会议已归档；出勤如有错误请通过纪要更正"))
    return meeting


MARKABLE = (Attendance.PRESENT, Attendance.LEAVE, Attendance.ABSENT)


def attendance_mark(
    *,
    actor: Any,
    scope: Scope,
    meeting: Meeting,
    person_ids: list[int],
    attendance: str,
    expected_status: str | None = None,
) -> int:
    """The host marks several attendees at once 出席, 请假 or 缺席; returns how many changed.

    Each row is checked: every person must be on this meeting's list (else nothing changes). A row
    already in that state is left alone (a double submit changes nothing and audits nothing); every
    changed row has its own audit entry. 出席 goes through the check-in (from the opening of the
    check-in window, method 主持人代签); 缺席 only once the meeting has begun; 请假 at any time until
    the meeting is archived (after that, a correction with its reason). ``expected_status`` as for
    ``checkin_manual``: a check-in in the meantime does not make the page stale."""
    if attendance not in MARKABLE:
        raise RuleViolation(_("出勤状态不正确"), field="attendance")
    ids = sorted({int(pk) for pk in person_ids})
    if not ids:
        raise RuleViolation(_("请先勾选参会人员"), field="person")
    with transaction.atomic():
        meeting = _locked_for_attendance(scope, meeting, expected_status)
        rows = {
            a.person_id: a
            for a in Attendee.objects.select_for_update()
            .filter(meeting=meeting, person_id__in=ids)
            .select_related("person")
        }
        if len(rows) != len(ids):
            raise RuleViolation(_("所选人员中有人不在本次会议的参会名单中，请刷新页面后重试"), field="person")
        now = timezone.now()
        if attendance == Attendance.PRESENT:
            if now < checkin.window(meeting).opens:
                raise RuleViolation(_("会议尚未开始，不能签到"))
            done = sum(
                1 for pk in ids if _check_in(actor, meeting, rows[pk].person, CheckinMethod.MANUAL, now)[1]
            )
            tally_refresh([meeting_key(meeting)])
            return done
        if attendance == Attendance.ABSENT and now < meeting.starts_at:
            raise RuleViolation(
                _("会议尚未开始（%(t)s 开始），开始后才能记为缺席") % {"t": _time(meeting.starts_at)},
                code="meeting_not_started",
            )
        changed = 0
        for pk in ids:
            row = rows[pk]
            if row.attendance == attendance:
                continue
            before = row.attendance
            row.attendance = attendance
            row.checked_in_at = None
            row.checkin_method = ""
            row.save(update_fields=["attendance", "checked_in_at", "checkin_method"])
            audit.record(
                actor=actor,
                action="orglife.attendance_mark",
                target=row,
                org=meeting.organization,
                changes={"meeting": meeting.pk, "person": pk, "attendance": [before, attendance]},
            )
            changed += 1
        tally_refresh([meeting_key(meeting)])
    return changed


# ---- minutes ------------------------------------------------------------------------------------


def _mark_present(meeting: Meeting, person_ids: list[int | None]) -> list[int]:
    """The host and the recorder were at the meeting: present, unless on leave. Returns who changed."""
    rows = Attendee.objects.filter(meeting=meeting, person_id__in=[pk for pk in person_ids if pk]).exclude(
        attendance__in=(Attendance.PRESENT, Attendance.LEAVE)
    )
    changed = list(rows.values_list("person_id", flat=True))
    rows.update(attendance=Attendance.PRESENT, checkin_method=CheckinMethod.MANUAL, absence_reason="")
    return changed


def _time(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def minutes_record(
    *,
    actor: Any,
    scope: Scope,
    meeting: Meeting,
    host: Person | None,
    recorder: Person | None,
    content: str,
    resolutions: str = "",
    absence_reasons: dict[int, str] | None = None,
    expected_status: str | None = None,
) -> Minutes:
    """Write (or rewrite, until the meeting is closed) the minutes, once the meeting has begun — during
    it or after. The host and the recorder count as present (unless on leave). Once the meeting's end
    time has passed, those still "expected" are absent, with the reason given for each; during the
    meeting they may still check in, and archiving records who is left absent (after a confirmation).

    ``expected_status`` is the status the page showed; a check-in in the meantime (planned or notified
    → held) does not make the page stale, another person's minutes or the archiving does."""
    seen: Any = expected_status
    if expected_status in (*OPEN_MEETING, MeetingStatus.HELD):
        seen = (*OPEN_MEETING, MeetingStatus.HELD)
    with transaction.atomic():
        meeting = _locked_meeting(scope, meeting, seen)
        if not content.strip():
            raise RuleViolation(_("请填写会议内容"), field="content")
        if meeting.status == MeetingStatus.CANCELLED:
            raise RuleViolation(_("会议已取消"))
        if meeting.status == MeetingStatus.CLOSED:
            raise RuleViolation(_("会议已归档，修改纪要须填写更正原因"), code="minutes_closed")
        now = timezone.now()
        if now < meeting.starts_at:
            raise RuleViolation(
                _("会议尚未开始（%(t)s 开始），会议开始后才能记录纪要") % {"t": _time(meeting.starts_at)},
                code="meeting_not_started",
            )
        minutes, created = Minutes.objects.update_or_create(
            meeting=meeting,
            defaults={
                "host": host,
                "recorder": recorder,
                "content": content.strip(),
                "resolutions": resolutions.strip(),
            },
        )
        present = _mark_present(meeting, [getattr(host, "pk", None), getattr(recorder, "pk", None)])
        if now >= meeting.ends_at:
            Attendee.objects.filter(meeting=meeting, attendance=Attendance.EXPECTED).update(
                attendance=Attendance.ABSENT
            )
        for person_id, reason in (absence_reasons or {}).items():
            Attendee.objects.filter(
                meeting=meeting,
                person_id=person_id,
                attendance__in=(Attendance.EXPECTED, Attendance.ABSENT),
            ).update(absence_reason=reason[:200])
        before = meeting.status
        meeting.status = MeetingStatus.MINUTED
        meeting.held_at = meeting.held_at or now
        meeting.save(update_fields=["status", "held_at", "updated_at"])
        audit.record(
            actor=actor,
            action="orglife.minutes_record",
            target=meeting,
            org=meeting.organization,
            changes={
                "status": [before, meeting.status],
                "created": created,
                "host": host.pk if host else None,
                "recorder": recorder.pk if recorder else None,
                "present": present,
            },
        )
        tally_refresh([meeting_key(meeting)])
    return minutes


def meeting_close(
    *, actor: Any, scope: Scope, meeting: Meeting, expected_status: str | None = None
) -> Meeting:
    """Archive the minutes once the meeting's end time has passed. Whoever is neither present nor on
    leave is recorded absent — the confirmation page lists them first (``selectors.absent_on_close``);
    the host and the recorder named in the minutes count as present. After this, only a correction
    with its reason changes the minutes or the attendance."""
    with transaction.atomic():
        meeting = _locked_meeting(scope, meeting, expected_status)
        if meeting.status != MeetingStatus.MINUTED:
            raise RuleViolation(_("请先记录会议纪要再归档"))
        now = timezone.now()
        if now < meeting.ends_at:
            raise RuleViolation(
                _("会议结束（%(t)s）后才能归档") % {"t": _time(meeting.ends_at)}, code="meeting_not_ended"
            )
        minutes = Minutes.objects.filter(meeting=meeting).first()
        present = _mark_present(meeting, [minutes.host_id, minutes.recorder_id] if minutes else [])
        expected = Attendee.objects.filter(meeting=meeting, attendance=Attendance.EXPECTED)
        absent = list(expected.values_list("person_id", flat=True))
        expected.update(attendance=Attendance.ABSENT)
        meeting.status = MeetingStatus.CLOSED
        meeting.closed_at = now
        meeting.save(update_fields=["status", "closed_at", "updated_at"])
        audit.record(
            actor=actor,
            action="orglife.meeting_close",
            target=meeting,
            org=meeting.organization,
            changes={
                "status": [MeetingStatus.MINUTED, MeetingStatus.CLOSED],
                "absent": absent,
                "present": present,
            },
        )
        tell_study(actor, [meeting])
        tally_refresh([meeting_key(meeting)])
    return meeting


CORRECTABLE = ("content", "resolutions", "host_id", "recorder_id")


def minutes_correct(
    *,
    actor: Any,
    scope: Scope,
    meeting: Meeting,
    reason: str,
    changes: dict[str, Any],
    attendance: dict[int, str] | None = None,
    expected_status: str | None = None,
) -> MinutesCorrection:
    """A change to closed minutes (or to the attendance of a closed meeting) with its reason; the before
    and after are kept in the correction and the audit log."""
    with transaction.atomic():
        meeting = _locked_meeting(scope, meeting, expected_status)
        if not reason.strip():
            raise RuleViolation(_("请填写更正原因"), field="reason")
        if meeting.status != MeetingStatus.CLOSED:
            raise RuleViolation(_("会议未归档，可直接修改纪要"))
        minutes = Minutes.objects.select_for_update().get(meeting=meeting)
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for key, value in changes.items():
            if key not in CORRECTABLE:
                raise RuleViolation(_("不能更正该项"))
            if getattr(minutes, key) != value:
                before[key], after[key] = getattr(minutes, key), value
                setattr(minutes, key, value)
        for person_id, status in (attendance or {}).items():
            if status not in (Attendance.PRESENT, Attendance.ABSENT, Attendance.LEAVE):
                raise RuleViolation(_("出勤状态不正确"))
            row = Attendee.objects.filter(meeting=meeting, person_id=person_id).first()
            if row and row.attendance != status:
                before[f"attendance:{person_id}"], after[f"attendance:{person_id}"] = row.attendance, status
                row.attendance = status
                row.checkin_method = row.checkin_method or (
                    CheckinMethod.MANUAL if status == Attendance.PRESENT else ""
                )
                row.save(update_fields=["attendance", "checkin_method"])
        if not after:
            raise RuleViolation(_("没有需要更正的内容"))
        minutes.save()
        correction = MinutesCorrection.objects.create(
            minutes=minutes,
            reason=reason.strip(),
            before=before,
            after=after,
            actor=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            actor=actor,
            action="orglife.minutes_correct",
            target=meeting,
            org=meeting.organization,
            changes={"reason": reason, "before": before, "after": after},
        )
        if any(key.startswith("attendance:") for key in after):
            tell_study(actor, [meeting])
        tally_refresh([meeting_key(meeting)])
    return correction


def attachment_add(*, actor: Any, scope: Scope, meeting: Meeting, upload: UploadedFile) -> MeetingAttachment:
    name = checked_upload(
        upload,
        extensions=ATTACHMENT_TYPES,
        max_bytes=ATTACHMENT_MAX_BYTES,
        kinds=_("PDF、图片(JPG/PNG)、Word(.docx)、Excel(.xlsx)"),
    )
    with transaction.atomic():
        meeting = _locked_meeting(scope, meeting)
        if meeting.status == MeetingStatus.CANCELLED:
            raise RuleViolation(_("会议已取消"))
        attachment = MeetingAttachment(
            meeting=meeting,
            name=name[:200],
            size=upload.size or 0,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        audit.record(
            actor=actor,
            action="orglife.attachment_add",
            target=attachment,
            org=meeting.organization,
            changes={"name": attachment.name, "size": attachment.size, "meeting": meeting.pk},
        )
    return attachment


# ---- calendar subscription ----------------------------------------------------------------------


def calendar_feed_state(feed: CalendarFeed | None) -> str:
    """What the calendar page shows of the subscription, sent back as its expected state: a second
    submit of the same page (a double click) is refused instead of resetting the URL twice."""
    return f"{feed.pk}-{int(feed.created_at.timestamp() * 1_000_000)}" if feed else "none"


def calendar_feed_reset(*, actor: Any, expected_status: str | None = None) -> CalendarFeed:
    """Create the user's .ics subscription, or replace its secret (the old URL stops working)."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=actor).first()
        expect_state(calendar_feed_state(feed), expected_status)
        created = feed is None
        if feed is not None:
            feed.delete()
        feed = CalendarFeed.objects.create(user=actor, token=secrets.token_urlsafe(32))
        audit.record(
            actor=actor,
            action="orglife.calendar_feed_create" if created else "orglife.calendar_feed_reset",
            target=feed,
            changes={"user": actor.pk},
        )
    return feed


def calendar_feed_revoke(*, actor: Any, expected_status: str | None = None) -> None:
    """Stop the user's subscription: its URL answers 404 from now on."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=actor).first()
        expect_state(calendar_feed_state(feed), expected_status)
        if feed is None:
            raise RuleViolation(_("您还没有订阅会议日历"))
        audit.record(
            actor=actor, action="orglife.calendar_feed_revoke", target=feed, changes={"user": actor.pk}
        )
        feed.delete()
