"""Writes of 发展党员: open a case, record a step (its timing rule checked: a failing "block" rule refuses
the step with the rule's code and a Chinese message; a failing "warn" rule is kept with the record), and
move the person through the stages — political status, and at approval and full membership the
Membership, through the core services. Every write is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.scope import Scope
from dangjian.core import services as core_services
from dangjian.core.models import Membership, MembershipType, Organization, OrgKind, Person, PoliticalStatus
from dangjian.kit.dates import not_in_future
from dangjian.kit.errors import DomainError, NotFound, RuleViolation
from dangjian.kit.fields import within_max_length
from dangjian.kit.transitions import expect_state
from dangjian.kit.uploads import checked_upload
from dangjian.recruitment import access, rules, workdays
from dangjian.recruitment.models import Actor, Case, CaseStatus, Stage, StepDefinition, StepRecord

STAGE_STATUS: dict[str, str] = {
    Stage.ACTIVIST: PoliticalStatus.ACTIVIST,
    Stage.CANDIDATE: PoliticalStatus.CANDIDATE,
}


def case_open(
    *,
    actor: Any,
    scope: Scope,
    person: Person,
    branch: Organization,
    applied_on: date,
    data: dict[str, Any] | None = None,
    today: date | None = None,
) -> Case:
    """The written application (step 1): dated today or earlier (a later date would get round the age
    rule), and the age rule blocks an applicant under 18. A replay (the same application already open:
    a double submit, a retry) returns the case it opened, before any other check but who may open one
    (``access.may_manage`` over the branch)."""
    if not access.may_manage(scope, branch):
        raise NotFound(_("%(n)s 的发展党员档案不在您的管理范围内") % {"n": person.name})
    replay = Case.objects.filter(
        person=person, branch=branch, applied_on=applied_on, status=CaseStatus.OPEN
    ).first()
    if replay is not None:
        return replay
    not_in_future(applied_on, field="applied_on", label=_("申请入党日期"), today=today)
    if branch.kind != OrgKind.BRANCH:
        raise RuleViolation(_("入党申请应向所在党支部提出"), field="branch")
    if Membership.objects.filter(person=person).exists():
        raise RuleViolation(_("%(n)s 已是党员") % {"n": person.name})
    check = rules.application_age(person.birth_date, applied_on)
    if not check.ok:
        raise RuleViolation(check.message, code=f"rule_{check.code}", field="applied_on")
    try:
        with transaction.atomic():
            case = Case.objects.create(person=person, branch=branch, applied_on=applied_on, last_step=1)
            StepRecord.objects.create(
                case=case,
                step=StepDefinition.objects.get(code="apply"),
                done_on=applied_on,
                data=data or {},
                actor=actor if getattr(actor, "pk", None) else None,
            )
            core_services.person_set_political_status(
                actor=actor, person=person, status=PoliticalStatus.APPLICANT, reason=_("递交入党申请书")
            )
            audit.record(
                actor=actor,
                action="recruitment.case_open",
                target=case,
                org=branch,
                changes={"applied_on": applied_on},
            )
    except IntegrityError:  # opened at the same moment: the same application is a replay
        replay = Case.objects.filter(
            person=person, branch=branch, applied_on=applied_on, status=CaseStatus.OPEN
        ).first()
        if replay is not None:
            return replay
        raise RuleViolation(_("%(n)s 已有进行中的发展党员档案") % {"n": person.name}) from None
    return case


def case_state(case: Case) -> str:
    """The state of a case as a page or API client saw it (sent back as ``expected_status``): its status,
    last step, number of records, returned records and probation extension — every transition of a case
    changes one of them, so a second identical request (a double-click, a retry) is refused as stale.
    Reads the case's records through ``case.steps.all()`` (a prefetch is used where there is one)."""
    records = list(case.steps.all())
    returned = sum(1 for r in records if r.returned_at is not None)
    relation = Person.membership.related  # loaded with the person where a list selected it
    membership: Membership | None = (
        relation.get_cached_value(case.person)  # type: ignore[assignment]
        if relation.is_cached(case.person)
        else Membership.objects.filter(person_id=case.person_id).first()
    )
    extended = membership.probation_extended_months if membership is not None else 0
    return f"{case.status}.{case.last_step}.{len(records)}.{returned}.{extended}"


def case_follow_member(
    *, actor: Any, scope: Scope, person: Person, branch: Organization, on: date
) -> Case | None:
    """The open case of a member who moved to ``branch`` moves with them (the reaction to
    ``events.membership_moved``, with ``Scope.system()``); its dates and steps stay. Audited at both
    branches."""
    with transaction.atomic():
        case = (
            Case.objects.select_for_update()
            .select_related("branch")
            .filter(person=person, status=CaseStatus.OPEN)
            .first()
        )
        if case is None or case.branch_id == branch.pk:
            return case
        if not access.may_move_case(scope, case, branch):
            raise RuleViolation(
                _("%(n)s 的发展党员档案不在您的管理范围内") % {"n": person.name}, code="out_of_scope"
            )
        old_branch = case.branch
        case.branch = branch
        case.save(update_fields=["branch", "updated_at"])
        changes = {"branch": [old_branch.name, branch.name], "on": on.isoformat()}
        for org in (old_branch, branch):
            audit.record(actor=actor, action="recruitment.case_follow", target=case, org=org, changes=changes)
    return case


def _locked_case(case_id: int, expected_status: str | None) -> Case:
    """The case, row-locked, refused as stale unless it is in the state the user saw (checked before
    anything else)."""
    locked = Case.objects.select_for_update().select_related("person", "branch").get(pk=case_id)
    expect_state(case_state(locked), expected_status)
    return locked


def _refuse_while_returned(case: Case) -> None:
    returned = case.steps.filter(returned_at__isnull=False).select_related("step").first()
    if returned is not None:
        raise RuleViolation(
            _("“%(s)s”已被上级党委退回，请先修改并重新提交") % {"s": returned.step.name}, code="returned"
        )


def _done(case: Case, code: str) -> StepRecord | None:
    return case.steps.filter(step__code=code).order_by("-done_on").first()


def _supplied(step: StepDefinition, case: Case, data: dict[str, Any]) -> None:
    """Step 11 “开展集中培训” recorded without days and hours takes them from the person's 党校 ledger
    (DOMAIN §6: training counts toward §3.9); they stay in the record's data."""
    if step.rule == "training" and data.get("days") in (None, "") and data.get("hours") in (None, ""):
        from dangjian.learning.selectors import training_summary  # the 党校 ledger (DOMAIN §3)

        data.update(training_summary(case.person_id).as_step_data())


def evaluate(
    step: StepDefinition, case: Case, done_on: date, data: dict[str, Any], today: date
) -> list[rules.Check]:
    """The checks of a step (``rules.CHECKS[step.rule]``) against the case's earlier steps. Dates no check
    can work with (a 公示 ending before it starts, or months later) raise RuleViolation."""
    check = rules.CHECKS.get(step.rule)
    if check is None:
        return []
    _supplied(step, case, data)
    after = _done(case, check.after) if check.after else None
    facts = rules.StepFacts(
        applied_on=case.applied_on,
        done_on=done_on,
        today=today,
        data=data,
        after_on=after.done_on if after else None,
        holidays=workdays.stored_calendar,
    )
    return check.run(facts)


def step_record(
    *,
    actor: Any,
    case: Case,
    code: str,
    done_on: date,
    data: dict[str, Any] | None = None,
    resolution: str = "",
    today: date | None = None,
    scope: Scope,
    expected_status: str | None = None,
    upload: Any = None,
) -> StepRecord:
    """Record a step of an open case, in order (a step may be recorded once its previous steps are). The
    step must belong to the ``scope``'s side (``access.may_record``); with an ``expected_status``
    (``case_state`` as the page showed it) a case that moved on meanwhile is refused. An ``upload`` (the
    step's material, from the same form) is checked first and stored with the record
    (``document_add``), in the same transaction: a refused file records no step."""
    today = today or timezone.localdate()
    data = data or {}
    with transaction.atomic():
        case = _locked_case(case.pk, expected_status)
        resolution = within_max_length(resolution, StepRecord, "resolution")
        step = StepDefinition.objects.filter(code=code).first()
        if step is None:
            raise RuleViolation(_("未知的步骤“%(c)s”") % {"c": code}, field="code")
        not_in_future(done_on, field="done_on", label=_("日期"), today=today)
        if upload is not None:
            _checked_document(upload)
        if not access.may_record(scope, case, step):
            raise RuleViolation(
                _("“%(s)s”由%(a)s办理") % {"s": step.name, "a": step.get_actor_display()},
                code="not_your_step",
            )
        if case.status != CaseStatus.OPEN:
            raise RuleViolation(_("发展党员档案已结束"))
        _refuse_while_returned(case)
        recorded = set(case.steps.values_list("step__number", flat=True))
        if step.number in recorded and not step.repeatable:
            raise RuleViolation(_("“%(s)s”已记录") % {"s": step.name})
        missing = [n for n in range(1, step.number) if n not in recorded]
        if missing:
            first = StepDefinition.objects.get(number=missing[0])
            raise RuleViolation(
                _("请先完成第 %(n)s 步“%(s)s”") % {"n": first.number, "s": first.name}, code="rule_order"
            )
        checks = evaluate(step, case, done_on, data, today)
        failing = [c for c in checks if not c.ok]
        blocking = rules.refusing(step.rule, checks)
        if blocking:
            raise RuleViolation(blocking[0].message, code=f"rule_{blocking[0].code}", field="done_on")
        record = StepRecord.objects.create(
            case=case,
            step=step,
            done_on=done_on,
            resolution=resolution.strip(),
            data=data,
            warnings=[c.message for c in failing],
            notes=[c.note for c in checks if c.note],
            actor=actor if getattr(actor, "pk", None) else None,
        )
        if step.number > case.last_step:
            case.last_step = step.number
            Case.objects.filter(pk=case.pk).update(last_step=step.number)
        _advance(actor, case, step, done_on)
        if step.code == "archive":  # the last step closes the case
            case.status = CaseStatus.ADMITTED
            case.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            action="recruitment.step",
            target=case,
            org=case.branch,
            changes={"step": step.code, "done_on": done_on, "warnings": record.warnings, "data": data},
        )
        if upload is not None:
            document_add(actor=actor, scope=scope, record=record, upload=upload)
    return record


def _advance(actor: Any, case: Case, step: StepDefinition, done_on: date) -> None:
    """Stage changes: political status; at approval the probationary Membership (from the branch
    meeting's date, §3.14); at full approval the full membership (党龄 from the end of probation)."""
    if not step.enters_stage:
        return
    case.stage = step.enters_stage
    if step.enters_stage in STAGE_STATUS:
        core_services.person_set_political_status(
            actor=actor, person=case.person, status=STAGE_STATUS[step.enters_stage], reason=step.name
        )
    elif step.enters_stage == Stage.PROBATIONARY:
        meeting = _done(case, "branch_meeting")
        core_services.membership_admit_existing(
            actor=actor,
            person=case.person,
            organization=case.branch,
            membership_type=MembershipType.PROBATIONARY,
            joined_on=meeting.done_on if meeting else done_on,
        )
    elif step.enters_stage == Stage.FULL:
        membership = Membership.objects.get(person=case.person)
        end = rules.probation_end(membership.joined_on, membership.probation_extended_months)
        core_services.membership_make_full(actor=actor, membership=membership, full_on=end)
    case.save(update_fields=["stage", "updated_at"])


def probation_extend(
    *,
    actor: Any,
    scope: Scope,
    case: Case,
    months: int,
    reason: str,
    expected_status: str | None = None,
) -> Case:
    """Extend a probationer's probation once, by 6–12 months (the committee above approves)."""
    with transaction.atomic():
        case = _locked_case(case.pk, expected_status)
        if not reason.strip():
            raise RuleViolation(_("请填写延长预备期的原因"), field="reason")
        if not access.may_approve(scope, case):
            raise RuleViolation(_("延长预备期由上级党委批准"), code="not_your_step")
        membership = Membership.objects.filter(person=case.person).first()
        if (
            case.stage != Stage.PROBATIONARY
            or membership is None
            or membership.membership_type != MembershipType.PROBATIONARY
        ):
            raise RuleViolation(_("只有预备党员可以延长预备期"))
        check = rules.extension(months, membership.probation_extended_months > 0)
        if not check.ok:
            raise RuleViolation(check.message, code=f"rule_{check.code}", field="months")
        core_services.membership_extend_probation(
            actor=actor, membership=membership, months=months, reason=reason
        )
        audit.record(
            actor=actor,
            action="recruitment.extend_probation",
            target=case,
            org=case.branch,
            changes={"months": months, "reason": reason},
        )
    return case


# ---------------------------------------------------------------- 退回 and resubmission


def returnable_record(
    case: Case,
    *,
    records: list[StepRecord] | None = None,
    steps: list[StepDefinition] | None = None,
) -> StepRecord | None:
    """The record the committee above may send back: the case's latest record when it was the branch's
    (or the person's) and the next step is the committee's own — the moment the case lies before it.
    The case page passes the records (with their steps) and the step list it has read already."""
    if records is None:
        latest = case.steps.select_related("step").order_by("-step__number", "-id").first()
    else:
        latest = max(records, key=lambda r: (r.step.number, r.pk), default=None)
    if latest is None or latest.step.actor == Actor.UPPER or latest.returned_at is not None:
        return None
    if steps is None:
        following = StepDefinition.objects.filter(number__gt=latest.step.number).order_by("number").first()
    else:
        following = next((s for s in steps if s.number > latest.step.number), None)
    if latest.step.repeatable or following is None or following.actor != Actor.UPPER:
        return None
    return latest


def step_return(
    *, actor: Any, scope: Scope, case: Case, reason: str, expected_status: str | None = None
) -> StepRecord:
    """The committee above returns the branch's submission (e.g. the 确定发展对象 record before 备案) with
    a reason; the record keeps its data and waits for the branch to correct and resubmit it."""
    with transaction.atomic():
        case = _locked_case(case.pk, expected_status)
        if not reason.strip():
            raise RuleViolation(_("请填写退回原因"), field="reason")
        reason = within_max_length(reason, StepRecord, "return_reason", field="reason")
        if not access.may_approve(scope, case):
            raise RuleViolation(_("退回由上级党委办理"), code="not_your_step")
        if case.status != CaseStatus.OPEN:
            raise RuleViolation(_("发展党员档案已结束"))
        record = returnable_record(case)
        if record is None:
            raise RuleViolation(_("当前没有可退回的步骤"), code="not_returnable")
        record.returned_at = timezone.now()
        record.returned_by = actor if getattr(actor, "pk", None) else None
        record.return_reason = reason.strip()
        record.save(update_fields=["returned_at", "returned_by", "return_reason"])
        audit.record(
            actor=actor,
            action="recruitment.step_return",
            target=case,
            org=case.branch,
            changes={"step": record.step.code, "record": record.pk, "reason": record.return_reason},
        )
    return record


def step_resubmit(
    *,
    actor: Any,
    scope: Scope,
    record: StepRecord,
    done_on: date,
    data: dict[str, Any] | None = None,
    resolution: str = "",
    today: date | None = None,
    expected_status: str | None = None,
) -> StepRecord:
    """The branch corrects a returned record and submits it again: the earlier version (with the return
    reason) goes into ``revisions``, the rules run again on the new data, and the case is back before the
    committee above."""
    today = today or timezone.localdate()
    data = data or {}
    with transaction.atomic():
        case = _locked_case(record.case_id, expected_status)
        resolution = within_max_length(resolution, StepRecord, "resolution")
        not_in_future(done_on, field="done_on", label=_("日期"), today=today)
        record = (
            StepRecord.objects.select_for_update(of=("self",))
            .select_related("step", "returned_by")
            .get(pk=record.pk)
        )
        step = record.step
        if not access.may_record(scope, case, step):
            raise RuleViolation(
                _("“%(s)s”由%(a)s办理") % {"s": step.name, "a": step.get_actor_display()},
                code="not_your_step",
            )
        if case.status != CaseStatus.OPEN or record.returned_at is None:
            raise RuleViolation(_("该步骤没有被退回，不能重新提交"), code="not_returned")
        checks = evaluate(step, case, done_on, data, today)
        failing = [c for c in checks if not c.ok]
        blocking = rules.refusing(step.rule, checks)
        if blocking:
            raise RuleViolation(blocking[0].message, code=f"rule_{blocking[0].code}", field="done_on")
        before = {
            "done_on": record.done_on.isoformat(),
            "resolution": record.resolution,
            "data": record.data,
            "warnings": record.warnings,
            "actor": record.actor_id,
            "returned_at": record.returned_at.isoformat(),
            "returned_by": record.returned_by_id,
            "returned_by_name": record.returned_by.display_name if record.returned_by else "",
            "return_reason": record.return_reason,
        }
        record.revisions = [*record.revisions, before]
        record.done_on, record.data, record.resolution = done_on, data, resolution.strip()
        record.warnings = [c.message for c in failing]
        record.notes = [c.note for c in checks if c.note]
        record.actor = actor if getattr(actor, "pk", None) else None
        record.returned_at, record.returned_by, record.return_reason = None, None, ""
        record.save()
        audit.record(
            actor=actor,
            action="recruitment.step_resubmit",
            target=case,
            org=case.branch,
            changes={
                "step": step.code,
                "record": record.pk,
                "before": {k: before[k] for k in ("done_on", "resolution", "data")},
                "after": {"done_on": done_on, "resolution": record.resolution, "data": data},
                "warnings": record.warnings,
            },
        )
    return record


# ---------------------------------------------------------------- 取消预备党员资格


def probation_cancel(
    *,
    actor: Any,
    scope: Scope,
    case: Case,
    resolved_on: date,
    approved_on: date,
    reason: str,
    today: date | None = None,
    expected_status: str | None = None,
) -> Case:
    """取消预备党员资格 (细则; ../shared/DOMAIN.md §3.14–15): the branch meeting resolves, the committee
    above approves. The probationary membership leaves the roll, the person is 群众 again, and the case
    ends; everything audited through the core services."""
    from dangjian.core.models import Standing

    today = today or timezone.localdate()
    with transaction.atomic():
        case = _locked_case(case.pk, expected_status)
        if not reason.strip():
            raise RuleViolation(_("请填写取消预备党员资格的原因"), field="reason")
        reason = within_max_length(reason, Case, "close_reason", field="reason")
        not_in_future(resolved_on, field="resolved_on", label=_("支部大会决议日期"), today=today)
        not_in_future(approved_on, field="approved_on", label=_("上级党委批准日期"), today=today)
        if approved_on < resolved_on:
            raise RuleViolation(_("上级党委批准日期不能早于支部大会决议日期"), field="approved_on")
        if not access.may_approve(scope, case):
            raise RuleViolation(_("取消预备党员资格由上级党委批准"), code="not_your_step")
        membership = Membership.objects.filter(person=case.person).first()
        if (
            case.status != CaseStatus.OPEN
            or case.stage != Stage.PROBATIONARY
            or membership is None
            or membership.membership_type != MembershipType.PROBATIONARY
        ):
            raise RuleViolation(_("只有预备党员可以取消预备党员资格"))
        if resolved_on < membership.joined_on:
            raise RuleViolation(_("支部大会决议日期不能早于入党日期"), field="resolved_on")
        note = _("取消预备党员资格：%(r)s") % {"r": reason.strip()}
        # The membership's note is shorter than the reason; the case and the audit keep it in full.
        note = note[: Membership._meta.get_field("standing_note").max_length]
        core_services.membership_change_standing(
            actor=actor,
            membership=membership,
            standing=Standing.PROBATION_CANCELLED,
            since=approved_on,
            note=note,
        )
        core_services.person_set_political_status(
            actor=actor, person=case.person, status=PoliticalStatus.MASSES, reason=note
        )
        case.status, case.closed_on, case.close_reason = CaseStatus.STOPPED, approved_on, reason.strip()
        case.save(update_fields=["status", "closed_on", "close_reason", "updated_at"])
        audit.record(
            actor=actor,
            action="recruitment.cancel_probation",
            target=case,
            org=case.branch,
            changes={"resolved_on": resolved_on, "approved_on": approved_on, "reason": reason.strip()},
        )
    return case


# ---------------------------------------------------------------- holidays for years the package lacks


def holiday_year_state(record: Any) -> str:
    """The version of an entered year as a page showed it ("new" before its first save)."""
    return record.updated_at.isoformat() if record is not None else "new"


def holiday_year_save(
    *,
    actor: Any,
    scope: Scope,
    year: int,
    holidays: list[tuple[date, str]],
    workdays: list[tuple[date, str]],
    org: Organization | None = None,
    expected_status: str | None = None,
) -> Any:
    """A 校级管理员 enters (or corrects) a year's holidays and make-up workdays; the whole year is
    replaced, so the list on the page is the truth. ``expected_status`` is ``holiday_year_state`` as the
    page showed it: a year saved by someone else meanwhile is refused rather than overwritten."""
    from dangjian.recruitment.models import Holiday, HolidayYear

    with transaction.atomic():
        if not access.may_enter_holidays(scope):
            raise RuleViolation(_("法定节假日由校级管理员录入"), code="not_allowed")
        record, created = HolidayYear.objects.select_for_update().get_or_create(year=year)
        expect_state(holiday_year_state(None if created else record), expected_status)
        if not 2000 <= year <= 2200:
            raise RuleViolation(_("年度无效"), field="year")
        seen: set[date] = set()
        for field, rows in (("holidays", holidays), ("workdays", workdays)):
            for day, _name in rows:
                if day.year != year:
                    raise RuleViolation(
                        _("%(d)s 不在 %(y)s 年内") % {"d": day.isoformat(), "y": year}, field=field
                    )
                if day in seen:
                    raise RuleViolation(_("%(d)s 重复填写") % {"d": day.isoformat()}, field=field)
                seen.add(day)
        before = sorted(
            f"{d.isoformat()}{'+' if w else '-'}" for d, w in record.days.values_list("date", "is_workday")
        )
        record.days.all().delete()
        Holiday.objects.bulk_create(
            [Holiday(year=record, date=d, name=n[:40], is_workday=False) for d, n in holidays]
            + [Holiday(year=record, date=d, name=n[:40], is_workday=True) for d, n in workdays]
        )
        record.save()
        after = sorted(
            [f"{d.isoformat()}-" for d, _n in holidays] + [f"{d.isoformat()}+" for d, _n in workdays]
        )
        audit.record(
            actor=actor,
            action="recruitment.holiday_year",
            target=record,
            org=org,
            changes={"year": year, "created": created, "before": before, "after": after},
        )
    return record


# ---------------------------------------------------------------- import of cases with historical dates


def import_warnings(
    person: Person, applied_on: date, dates: dict[str, list[date]], steps: list[StepDefinition]
) -> dict[str, list[str]]:
    """The timing rules that need only dates, as warnings by step code (an import records history as it
    happened: a late talk in 2019 is a fact to flag, not a reason to refuse the row)."""

    def first(code: str) -> date | None:
        return min(dates[code]) if dates.get(code) else None

    found: dict[str, list[str]] = {}

    def warn(code: str, check: rules.Check) -> None:
        if not check.ok:
            found.setdefault(code, []).append(check.message)

    warn("apply", rules.application_age(person.birth_date, applied_on))
    if talked := first("talk"):
        warn("talk", rules.talk(applied_on, talked, talked))
    if (activist := first("activist")) and (candidate := first("candidate")):
        warn("candidate", rules.activist_duration(activist, candidate))
    if (prereview := first("prereview")) and (meeting := first("branch_meeting")):
        warn("branch_meeting", rules.branch_meeting(prereview, meeting))
    if (meeting := first("branch_meeting")) and (approved := first("approval")):
        warn("approval", rules.approval(meeting, approved))
    if (approved := first("approval")) and (oath := first("oath")):
        warn("oath", rules.oath(approved, oath))
    previous, previous_step = applied_on, steps[0]
    for step in steps[1:]:
        for day in sorted(dates.get(step.code, [])):
            if day < previous:
                found.setdefault(step.code, []).append(
                    _("日期早于第 %(n)s 步“%(s)s”(%(d)s)")
                    % {"n": previous_step.number, "s": previous_step.name, "d": previous.isoformat()}
                )
            previous, previous_step = max(previous, day), step
    return found


def case_import(
    *,
    actor: Any,
    scope: Scope,
    person: Person,
    branch: Organization,
    applied_on: date,
    dates: dict[str, list[date]],
    warnings: dict[str, list[str]],
) -> Case:
    """One historical case from a spreadsheet: its records as they happened (rules become warnings on the
    records), the stage and political status of its last step, and the probationary or full membership
    when the case went that far (unless the person already has one). Audited as one import event."""
    if not access.may_manage(scope, branch):
        raise NotFound(_("%(n)s 的发展党员档案不在您的管理范围内") % {"n": person.name})
    steps = list(StepDefinition.objects.order_by("number"))
    not_in_future(applied_on, field="applied_on", label=_("申请入党日期"))
    for step in steps:
        for day in dates.get(step.code) or []:
            not_in_future(day, field=step.code, label=f"{step.number}.{step.name}")
    done = [s for s in steps if s.code == "apply" or dates.get(s.code)]
    last = done[-1]
    if [s.number for s in done] != list(range(1, last.number + 1)):
        raise RuleViolation(_("步骤日期须从第 1 步起连续填写"))
    with transaction.atomic():
        if Case.objects.filter(person=person).exists():
            raise RuleViolation(_("%(n)s 已有发展党员档案") % {"n": person.name})
        stage: str = Stage.APPLICANT
        for step in done:
            stage = step.enters_stage or stage
        admitted = last.code == "archive"
        case = Case.objects.create(
            person=person,
            branch=branch,
            applied_on=applied_on,
            stage=stage,
            status=CaseStatus.ADMITTED if admitted else CaseStatus.OPEN,
            last_step=last.number,
        )
        by = actor if getattr(actor, "pk", None) else None
        StepRecord.objects.bulk_create(
            [
                StepRecord(
                    case=case,
                    step=step,
                    done_on=day,
                    warnings=warnings.get(step.code, []) if i == 0 else [],
                    data={"imported": True},
                    actor=by,
                )
                for step in done
                for i, day in enumerate(sorted(dates.get(step.code) or [applied_on]))
            ]
        )
        has_membership = Membership.objects.filter(person=person).exists()
        if stage in (Stage.PROBATIONARY, Stage.FULL) and not has_membership:
            joined_on = min(dates["branch_meeting"])
            membership = core_services.membership_admit_existing(
                actor=actor,
                person=person,
                organization=branch,
                membership_type=MembershipType.PROBATIONARY,
                joined_on=joined_on,
            )
            if stage == Stage.FULL:
                core_services.membership_make_full(
                    actor=actor, membership=membership, full_on=rules.probation_end(joined_on)
                )
        elif stage not in (Stage.PROBATIONARY, Stage.FULL):
            if has_membership:
                raise RuleViolation(_("%(n)s 已是党员") % {"n": person.name})
            core_services.person_set_political_status(
                actor=actor,
                person=person,
                status=STAGE_STATUS.get(stage, PoliticalStatus.APPLICANT),
                reason=_("导入发展党员档案"),
            )
        audit.record(
            actor=actor,
            action="recruitment.case_import",
            target=case,
            org=branch,
            changes={
                "applied_on": applied_on,
                "last_step": last.code,
                "stage": stage,
                "warnings": {k: v for k, v in warnings.items() if v},
            },
        )
    return case


# ---------------------------------------------------------------- documents on a step record

DOCUMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".docx")


def document_max_bytes() -> int:
    """[local practice] 10 MB a file unless the school sets ``RECRUITMENT_DOCUMENT_MAX_MB``."""
    from django.conf import settings

    return int(getattr(settings, "RECRUITMENT_DOCUMENT_MAX_MB", 10)) * 1024 * 1024


def _checked_document(upload: Any) -> str:
    return checked_upload(
        upload,
        extensions=DOCUMENT_TYPES,
        max_bytes=document_max_bytes(),
        kinds=_("PDF、图片(JPG/PNG)、Word(.docx)"),
    )


def documents_state(record: StepRecord) -> str:
    """How many documents a step record had when the upload page was drawn: an upload is not a
    transition, but a double submit of the same form must not store the file twice."""
    return str(record.documents.count())


def document_add(
    *, actor: Any, scope: Scope, record: StepRecord, upload: Any, expected_status: str | None = None
) -> Any:
    """A document on a step record, by the side that records the step; type checked by extension and by
    content, size limited; audited. ``expected_status`` is ``documents_state`` as the page showed it."""
    from dangjian.recruitment.models import StepDocument

    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("branch").get(pk=record.case_id)
        expect_state(documents_state(record), expected_status)
        name = _checked_document(upload)
        if not access.may_record(scope, record.case, record.step):
            raise RuleViolation(
                _("“%(s)s”由%(a)s办理") % {"s": record.step.name, "a": record.step.get_actor_display()},
                code="not_your_step",
            )
        if case.status == CaseStatus.STOPPED:
            raise RuleViolation(_("发展党员档案已结束"))
        document = StepDocument(
            record=record,
            name=name[:200],
            size=upload.size,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        document.file.save(name, upload, save=False)
        document.save()
        audit.record(
            actor=actor,
            action="recruitment.document_add",
            target=case,
            org=case.branch,
            changes={
                "step": record.step.code,
                "record": record.pk,
                "name": document.name,
                "size": document.size,
            },
        )
    return document


@dataclass(frozen=True)
class BatchOutcome:
    recorded: list[StepRecord]
    refused: list[tuple[Case, str]]  # the case and why it was not recorded, in words


def step_record_batch(
    *,
    actor: Any,
    scope: Scope,
    code: str,
    done_on: date,
    picks: list[tuple[Case, str | None]],
    resolution: str = "",
    today: date | None = None,
) -> BatchOutcome:
    """The same step on the same date for several cases: each case by ``step_record`` in its own
    transaction (its rules, its checks, its audit event), checked against the state its row showed
    (``picks``: the case and its ``expected_status``). A case refused is listed with the reason and the
    others are recorded; submitting the same batch again finds every state moved on and records none."""
    recorded: list[StepRecord] = []
    refused: list[tuple[Case, str]] = []
    for case, expected in picks:
        try:
            recorded.append(
                step_record(
                    actor=actor,
                    scope=scope,
                    case=case,
                    code=code,
                    done_on=done_on,
                    resolution=resolution,
                    today=today,
                    expected_status=expected or "",
                )
            )
        except DomainError as exc:
            refused.append((case, str(exc.message)))
    return BatchOutcome(recorded, refused)
