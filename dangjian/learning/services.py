"""Writes of 党校 training: classes (create, edit, close), enrolments (who may take which class), attendance
and exam results, and the close that issues 结业证书 numbers, writes the study-hour ledger and records the
development target's step “开展集中培训” through the recruitment services. Every write is audited.

``scope`` is the user's scope on every page and API call (``access.may_manage`` at the organizer);
system work (the demo seed) passes ``Scope.system()``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind, Person
from dangjian.hooks import events
from dangjian.kit.errors import RuleViolation, StaleState
from dangjian.kit.fields import within_max_length
from dangjian.kit.transitions import expect_state, stale_message
from dangjian.learning import access, rules
from dangjian.learning.ledger import totals
from dangjian.learning.models import (
    CertificateSerial,
    ClassKind,
    ClassStatus,
    Enrolment,
    ExamResult,
    SourceKind,
    StepStatus,
    StudyHours,
    TrainingClass,
)


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _require_scope(scope: Scope, org: Organization) -> None:
    if not access.may_manage(scope, org):
        raise RuleViolation(_("您不能管理“%(o)s”的党校培训") % {"o": org.name}, code="out_of_scope")


def _school_path(org: Organization) -> str:
    return org.path[: Organization.steplen]


def _check_class_fields(
    *, name: str, kind: str, starts_on: date, ends_on: date, days: Decimal, hours: Decimal, place: str = ""
) -> None:
    if not name.strip():
        raise RuleViolation(_("请填写班次名称"), field="name")
    within_max_length(name, TrainingClass, "name")
    within_max_length(place, TrainingClass, "place")
    if kind not in ClassKind.values:
        raise RuleViolation(_("请选择培训类别"), field="kind")
    if ends_on < starts_on:
        raise RuleViolation(_("结束日期不能早于开班日期"), field="ends_on")
    if days <= 0:
        raise RuleViolation(_("培训天数应大于零"), field="days")
    if hours <= 0:
        raise RuleViolation(_("培训学时应大于零"), field="hours")
    if days > (ends_on - starts_on).days + 1:
        raise RuleViolation(_("培训天数不能多于开班至结束的天数"), field="days")


def training_class_replayed(*, scope: Scope, idempotency_key: str | None) -> TrainingClass | None:
    """The class a creation form with this one-time key already made, if the user may manage it."""
    if not idempotency_key:
        return None
    return TrainingClass.objects.filter(access.manage_q(scope), idempotency_key=idempotency_key).first()


def training_class_create(
    *,
    actor: Any,
    scope: Scope,
    organizer: Organization,
    name: str,
    kind: str,
    starts_on: date,
    ends_on: date,
    days: Decimal,
    hours: Decimal,
    place: str = "",
    idempotency_key: str | None = None,
) -> TrainingClass:
    """A new 班次, run by a 党委 or 党总支 in the user's scope.

    A replay of the same form (its one-time ``idempotency_key``) returns the first class before
    anything else is checked: a double-click never opens two classes."""
    done = training_class_replayed(scope=scope, idempotency_key=idempotency_key)
    if done is not None:
        return done
    _require_scope(scope, organizer)
    if organizer.kind not in (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH):
        raise RuleViolation(_("党校培训班由党委或党总支举办"), field="organizer")
    _check_class_fields(
        name=name, kind=kind, starts_on=starts_on, ends_on=ends_on, days=days, hours=hours, place=place
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                training_class = TrainingClass.objects.create(
                    name=name.strip(),
                    kind=kind,
                    organizer=organizer,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    days=days,
                    hours=hours,
                    place=place.strip(),
                    idempotency_key=idempotency_key or None,
                )
        except IntegrityError:
            # A concurrent twin of the same form committed first (the key is unique): its class.
            done = training_class_replayed(scope=scope, idempotency_key=idempotency_key)
            if done is not None:
                return done
            if idempotency_key and TrainingClass.objects.filter(idempotency_key=idempotency_key).exists():
                raise StaleState(stale_message()) from None  # someone else's form: not theirs to replay
            raise
        audit.record(
            actor=actor,
            action="learning.class_create",
            target=training_class,
            org=organizer,
            changes={"name": training_class.name, "kind": kind, "starts_on": starts_on, "ends_on": ends_on},
        )
    return training_class


EDITABLE = ("name", "kind", "starts_on", "ends_on", "days", "hours", "place")


def training_class_update(
    *,
    actor: Any,
    scope: Scope,
    training_class: TrainingClass,
    expected_status: str | None = None,
    **values: Any,
) -> TrainingClass:
    """Edit an open class; the kind cannot change once people are enrolled (they were chosen for it).
    ``expected_status`` is the class's ``version`` as the form showed it."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        locked = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
        expect_state(locked.version, expected_status)
        _require_scope(scope, training_class.organizer)
        if not locked.is_open:
            raise RuleViolation(_("班次已结班，不能修改"))
        merged = {k: values.get(k, getattr(locked, k)) for k in EDITABLE}
        if merged["kind"] != locked.kind and locked.enrolments.exists():
            raise RuleViolation(_("班次已有学员，不能修改培训类别"), field="kind")
        _check_class_fields(**merged)
        changes = {k: [getattr(locked, k), v] for k, v in merged.items() if getattr(locked, k) != v}
        for key, value in merged.items():
            setattr(locked, key, value.strip() if isinstance(value, str) else value)
        locked.save()
        audit.record(
            actor=actor,
            action="learning.class_update",
            target=locked,
            org=locked.organizer,
            changes=changes,
        )
    return locked


def enrolment_add(
    *, actor: Any, scope: Scope, training_class: TrainingClass, person: Person
) -> tuple[Enrolment, bool]:
    """Enrol a person (idempotent: an enrolled person is returned as is, with ``False``). Activists for an
    activist class, development targets for a candidate class, members for a member class; the person
    belongs to the organizer's subtree and the user's scope."""
    organizer = training_class.organizer
    _require_scope(scope, organizer)
    with transaction.atomic():
        locked = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
        existing = Enrolment.objects.filter(training_class=locked, person=person).first()
        if existing is not None:
            return existing, False
        if not locked.is_open:
            raise RuleViolation(_("班次已结班，不能再报名"))
        refusal = rules.enrol_refusal(locked.kind, person.political_status, person.name)
        if refusal:
            raise RuleViolation(refusal, code="wrong_status", field="person")
        org = person.organization
        if org is None or not org.path.startswith(organizer.path) or not access.may_manage(scope, org):
            raise RuleViolation(
                _("%(n)s 不在“%(o)s”范围内") % {"n": person.name, "o": organizer.name},
                code="out_of_scope",
                field="person",
            )
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(
                    training_class=locked, person=person, school_path=_school_path(organizer)
                )
        except IntegrityError:  # enrolled at the same moment by someone else
            return Enrolment.objects.get(training_class=locked, person=person), False
        audit.record(
            actor=actor,
            action="learning.enrol",
            target=enrolment,
            org=organizer,
            changes={"class": locked.pk, "person": person.pk},
        )
    return enrolment, True


def enrolment_remove(
    *, actor: Any, scope: Scope, enrolment: Enrolment, expected_status: str | None = None
) -> None:
    """Take a person off an open class (enrolled by mistake, or withdrawn). ``expected_status`` is the
    enrolment's ``version`` as the page showed it; an enrolment removed meanwhile is stale."""
    training_class = enrolment.training_class
    with transaction.atomic():
        locked = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
        current = Enrolment.objects.select_for_update().filter(pk=enrolment.pk, training_class=locked).first()
        if current is None:
            if expected_status is not None:
                raise StaleState(stale_message(), field="expected_status")
            return
        expect_state(current.version, expected_status)
        _require_scope(scope, training_class.organizer)
        if not locked.is_open:
            raise RuleViolation(_("班次已结班，不能取消报名"))
        removed = Enrolment.objects.filter(pk=enrolment.pk, training_class=locked).delete()[0]
        if removed:
            audit.record(
                actor=actor,
                action="learning.unenrol",
                target=locked,
                org=training_class.organizer,
                changes={"person": enrolment.person_id, "enrolment": enrolment.pk},
            )


def enrolment_record(
    *,
    actor: Any,
    scope: Scope,
    enrolment: Enrolment,
    attended_hours: Decimal | None,
    score: Decimal | None,
    result: str,
    expected_status: str | None = None,
) -> Enrolment:
    """Attendance (class hours attended) and the exam result of one participant of an open class.
    ``expected_status`` is the enrolment's ``version`` as the form showed it."""
    with transaction.atomic():
        # The class first, as enrolment_add/remove and training_class_close lock it: a result cannot
        # change once the class is closed (nor after the close has read it).
        training_class = (
            TrainingClass.objects.select_for_update(of=("self",))
            .select_related("organizer")
            .get(pk=enrolment.training_class_id)
        )
        locked = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("person")
            .get(pk=enrolment.pk, training_class=training_class)
        )
        expect_state(locked.version, expected_status)
        _require_scope(scope, training_class.organizer)
        if not training_class.is_open:
            raise RuleViolation(_("班次已结班，不能修改成绩"))
        locked.training_class = training_class
        if attended_hours is not None and not Decimal("0") <= attended_hours <= training_class.hours:
            raise RuleViolation(
                _("出勤学时应在 0 至 %(h)s 之间") % {"h": rules.plain(training_class.hours)},
                field="attended_hours",
            )
        if score is not None and not Decimal("0") <= score <= Decimal("100"):
            raise RuleViolation(_("考试成绩应在 0 至 100 之间"), field="score")
        if result not in ("", *ExamResult.values):
            raise RuleViolation(_("请选择考试结果"), field="result")
        before = {"attended_hours": locked.attended_hours, "score": locked.score, "result": locked.result}
        locked.attended_hours, locked.score, locked.result = attended_hours, score, result
        locked.save(update_fields=["attended_hours", "score", "result", "updated_at"])
        after = {"attended_hours": attended_hours, "score": score, "result": result}
        audit.record(
            actor=actor,
            action="learning.result",
            target=locked,
            org=training_class.organizer,
            changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
        )
    return locked


@dataclass
class PersonOutcome:
    name: str
    passed: bool
    certificate: str = ""
    step_status: str = StepStatus.NONE
    note: str = ""


@dataclass
class CloseReport:
    training_class: TrainingClass
    outcomes: list[PersonOutcome] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(1 for o in self.outcomes if o.passed)

    @property
    def steps_recorded(self) -> int:
        return sum(1 for o in self.outcomes if o.step_status == StepStatus.RECORDED)

    def summary(self) -> str:
        return _("已结班：%(p)s/%(n)s 人结业，%(s)s 人记录了发展党员“开展集中培训”步骤") % {
            "p": self.passed,
            "n": len(self.outcomes),
            "s": self.steps_recorded,
        }


def _issue_serials(school_path: str, year: int, count: int) -> list[int]:
    """``count`` consecutive serials of the school and year, under a row lock (unique across closes)."""
    if count == 0:
        return []
    CertificateSerial.objects.get_or_create(school_path=school_path, year=year)
    serial = CertificateSerial.objects.select_for_update().get(school_path=school_path, year=year)
    first = serial.last + 1
    serial.last += count
    serial.save(update_fields=["last"])
    return list(range(first, first + count))


def training_class_close(
    *,
    actor: Any,
    scope: Scope,
    training_class: TrainingClass,
    today: date | None = None,
    expected_status: str | None = None,
) -> CloseReport:
    """Close a class once it has ended and every participant has a result. Each passed participant gets a
    结业证书 number, a row in the study-hour ledger, and — in a development-target class, when they have an
    open 发展党员 case — the step “开展集中培训” recorded with their training days and hours. A step that
    cannot be recorded (steps before it missing, the user's side, the hours short) is noted per person
    and never stops the close. ``expected_status`` is the class's ``version`` as the close page showed
    it: a second close (a double click) is refused as stale and issues no second set of serials."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = (
            TrainingClass.objects.select_for_update(of=("self",))
            .select_related("organizer")
            .get(pk=training_class.pk)
        )
        expect_state(locked.version, expected_status)
        _require_scope(scope, training_class.organizer)
        if not locked.is_open:
            raise RuleViolation(_("班次已结班"))
        if locked.ends_on > today:
            raise RuleViolation(
                _("班次 %(d)s 结束，结束后才能结班") % {"d": locked.ends_on.isoformat()}, code="not_ended"
            )
        enrolments = list(
            Enrolment.objects.select_for_update(of=("self",))
            .filter(training_class=locked)
            .select_related("person")
            .order_by("person__name_pinyin", "id")
        )
        missing = [e.person.name for e in enrolments if not e.result]
        if missing:
            raise RuleViolation(
                _("尚有 %(n)s 名学员未录入考试结果：%(names)s")
                % {"n": len(missing), "names": "、".join(missing[:10]) + ("…" if len(missing) > 10 else "")},
                code="results_missing",
            )
        passed = [e for e in enrolments if e.result == ExamResult.PASS]
        prefix = str(getattr(settings, "LEARNING_CERTIFICATE_PREFIX", "DX"))
        serials = _issue_serials(_school_path(locked.organizer), locked.ends_on.year, len(passed))
        report = CloseReport(locked)
        ledger = []
        by_person: dict[int, PersonOutcome] = {}
        for enrolment, serial in zip(passed, serials, strict=True):
            enrolment.completed = True
            enrolment.completed_on = locked.ends_on
            enrolment.certificate_number = rules.certificate_number(prefix, locked.ends_on.year, serial)
            ledger.append(
                StudyHours(
                    person_id=enrolment.person_id,
                    on=locked.ends_on,
                    hours=rules.credited_hours(locked.hours, enrolment.attended_hours),
                    days=locked.days,
                    source_kind=SourceKind.TRAINING_CLASS,
                    source_ref=f"enrolment:{enrolment.pk}",
                    enrolment=enrolment,
                    note=locked.name[:200],
                    actor=_actor(actor),
                )
            )
        Enrolment.objects.bulk_update(passed, ["completed", "completed_on", "certificate_number"])
        StudyHours.objects.bulk_create(ledger)
        totals.refresh({(row.person_id, row.on.year) for row in ledger})
        for enrolment in enrolments:
            outcome = PersonOutcome(
                enrolment.person.name,
                enrolment.result == ExamResult.PASS,
                enrolment.certificate_number or "",
            )
            by_person[enrolment.person_id] = outcome
            report.outcomes.append(outcome)
        if locked.kind == ClassKind.CANDIDATE and passed:
            _record_training_steps(actor, scope, locked, passed, by_person, today)
        for enrolment in passed:
            outcome = by_person[enrolment.person_id]
            enrolment.step_status, enrolment.step_note = outcome.step_status, outcome.note[:300]
        Enrolment.objects.bulk_update(passed, ["step_status", "step_note"])
        locked.status, locked.closed_on = ClassStatus.CLOSED, today
        locked.save(update_fields=["status", "closed_on", "updated_at"])
        audit.record(
            actor=actor,
            action="learning.class_close",
            target=locked,
            org=locked.organizer,
            changes={"enrolled": len(enrolments), "passed": len(passed), "steps": report.steps_recorded},
        )
        audit.record_many(
            actor=actor,
            action="learning.complete",
            items=[
                (
                    e,
                    locked.organizer,
                    {
                        "certificate": e.certificate_number,
                        "hours": ledger[i].hours,
                        "step": e.step_status,
                        "note": e.step_note,
                    },
                )
                for i, e in enumerate(passed)
            ],
        )
    return report


def enrolment_record_step(
    *, actor: Any, scope: Scope, enrolment: Enrolment, expected_status: str | None = None
) -> Enrolment:
    """Record “开展集中培训” for a development target whose step could not be recorded at the close (the
    steps before it were missing, say) once their case has caught up. ``expected_status`` is the
    enrolment's ``version`` as the page showed it."""
    with transaction.atomic():
        locked = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("training_class__organizer", "person")
            .get(pk=enrolment.pk)
        )
        expect_state(locked.version, expected_status)
        _require_scope(scope, enrolment.training_class.organizer)
        training_class = locked.training_class
        if (
            training_class.kind != ClassKind.CANDIDATE
            or not locked.completed
            or locked.step_status == StepStatus.RECORDED
        ):
            raise RuleViolation(_("该学员没有待记录的发展党员步骤"))
        outcome = PersonOutcome(locked.person.name, True, locked.certificate_number or "")
        _record_training_steps(
            actor, scope, training_class, [locked], {locked.person_id: outcome}, timezone.localdate()
        )
        locked.step_status, locked.step_note = outcome.step_status, outcome.note[:300]
        locked.save(update_fields=["step_status", "step_note", "updated_at"])
        audit.record(
            actor=actor,
            action="learning.step_retry",
            target=locked,
            org=training_class.organizer,
            changes={"step": outcome.step_status, "note": outcome.note},
        )
    return locked


def _step_data(training_class: TrainingClass, enrolment: Enrolment) -> dict[str, Any]:
    from dangjian.learning.selectors import training_summary

    return {
        **training_summary(enrolment.person_id).as_step_data(),
        "training_class": training_class.pk,
        "certificate": enrolment.certificate_number,
    }


def _record_training_steps(
    actor: Any,
    scope: Scope,
    training_class: TrainingClass,
    passed: list[Enrolment],
    by_person: dict[int, PersonOutcome],
    today: date,
) -> None:
    """Tell the platform these development targets passed (``events.training_passed``): recruitment
    records step 11 “开展集中培训” on each open case, each in its own savepoint, and answers per person."""
    passes = [
        events.TrainingPass(
            person_id=enrolment.person_id,
            done_on=training_class.ends_on,
            resolution=_("%(c)s结业，证书编号 %(n)s")
            % {"c": training_class.name, "n": enrolment.certificate_number},
            data=partial(_step_data, training_class, enrolment),
        )
        for enrolment in passed
    ]
    reactions: dict[int, events.TrainingReaction] = {}
    for _receiver, answer in events.training_passed.send(
        sender=TrainingClass, actor=actor, scope=scope, passes=passes, today=today
    ):
        if isinstance(answer, dict):
            reactions.update(answer)
    for enrolment in passed:
        outcome = by_person[enrolment.person_id]
        reaction = reactions.get(enrolment.person_id)
        if reaction is None:
            outcome.step_status = StepStatus.NOT_RECORDED
            outcome.note = _("没有进行中的发展党员档案，未记录发展党员步骤")
        elif reaction.outcome == "already":
            outcome.step_status = StepStatus.ALREADY
            outcome.note = _("“开展集中培训”此前已记录")
        elif reaction.outcome == "refused":
            outcome.step_status = StepStatus.NOT_RECORDED
            outcome.note = _("未记录发展党员步骤：%(m)s") % {"m": reaction.message}
        else:
            outcome.step_status = StepStatus.RECORDED
            outcome.note = _("已记录发展党员步骤“开展集中培训”")
