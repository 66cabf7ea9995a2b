"""党校 services: who may enrol, idempotency, results, the close (unique certificate serials, the ledger,
the development target's step recorded or skipped with a note per person), audit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import RuleViolation
from dangjian.learning import selectors, services
from dangjian.learning.models import (
    CertificateSerial,
    ClassKind,
    ClassStatus,
    Enrolment,
    ExamResult,
    StepStatus,
    StudyHours,
)
from dangjian.recruitment.models import StepRecord
from tests.learning.conftest import TODAY, make_class

D = date
SYSTEM = Scope.system()  # the platform itself: no scope check stands in the way


def enrol(training_class, person, scope=SYSTEM):
    return services.enrolment_add(actor=None, scope=scope, training_class=training_class, person=person)


def grade(enrolment, result=ExamResult.PASS, hours="24", score="90"):
    return services.enrolment_record(
        actor=None,
        scope=Scope.system(),
        enrolment=enrolment,
        attended_hours=Decimal(hours) if hours else None,
        score=Decimal(score) if score else None,
        result=result,
    )


def close(training_class, scope=SYSTEM, actor=None):
    return services.training_class_close(actor=actor, scope=scope, training_class=training_class, today=TODAY)


def test_a_candidate_class_takes_development_targets_only(school, candidate_class) -> None:
    enrolment, created = enrol(candidate_class, school.candidate)
    assert created and enrolment.school_path == school.world.school.path
    with pytest.raises(RuleViolation, match="吴积极 现为入党积极分子，发展对象培训班只招收发展对象"):
        enrol(candidate_class, school.activist)
    with pytest.raises(RuleViolation, match="现为正式党员"):
        enrol(candidate_class, school.world.member)


def test_an_activist_class_takes_activists_only(school, activist_class) -> None:
    assert enrol(activist_class, school.activist)[1]
    with pytest.raises(RuleViolation, match="入党积极分子培训班只招收入党积极分子"):
        enrol(activist_class, school.candidate)


def test_enrolling_twice_returns_the_same_enrolment(school, candidate_class) -> None:
    first, created = enrol(candidate_class, school.candidate)
    again, created_again = enrol(candidate_class, school.candidate)
    assert (created, created_again, first.pk) == (True, False, again.pk)
    assert Enrolment.objects.count() == 1
    assert AuditEvent.objects.filter(action="learning.enrol").count() == 1


def test_people_outside_the_organizer_are_refused(school, candidate_class) -> None:
    with pytest.raises(RuleViolation, match="不在“中共示范大学计算机学院委员会”范围内"):
        enrol(candidate_class, school.fl_candidate)


def test_an_organizer_of_another_college_cannot_enrol(school, candidate_class, outsider_organizer) -> None:
    with pytest.raises(RuleViolation) as exc:
        enrol(candidate_class, school.candidate, scope=resolve_scope(outsider_organizer))
    assert exc.value.code == "out_of_scope"


def test_class_dates_and_numbers_are_checked(school) -> None:
    with pytest.raises(RuleViolation, match="结束日期不能早于开班日期"):
        make_class(school.world, ends_on=D(2026, 10, 1))
    with pytest.raises(RuleViolation, match="培训学时应大于零"):
        make_class(school.world, hours=Decimal("0"))
    with pytest.raises(RuleViolation, match="党委或党总支"):
        make_class(school.world, organizer=school.world.cs_branch)


def test_results_are_checked_against_the_class_hours(school, candidate_class) -> None:
    enrolment, _ = enrol(candidate_class, school.candidate)
    with pytest.raises(RuleViolation, match="出勤学时应在 0 至 24"):
        grade(enrolment, hours="25")
    with pytest.raises(RuleViolation, match="考试成绩应在 0 至 100"):
        grade(enrolment, score="101")
    grade(enrolment)
    assert AuditEvent.objects.filter(action="learning.result").count() == 1


def test_a_class_cannot_close_before_it_ends_or_with_results_missing(school) -> None:
    later = make_class(school.world, starts_on=D(2026, 11, 19), ends_on=D(2026, 11, 21))
    with pytest.raises(RuleViolation, match="结束后才能结班"):
        close(later)
    training_class = make_class(school.world, name="另一个班")
    enrol(training_class, school.candidate)
    with pytest.raises(RuleViolation, match="尚有 1 名学员未录入考试结果：陈发展"):
        close(training_class)


def test_closing_records_the_step_for_the_open_case_and_skips_the_others(
    school, candidate_class, college_organizer
) -> None:
    people = (school.candidate, school.candidate_no_case, school.candidate_early)
    for person in people:
        grade(enrol(candidate_class, person)[0])
    report = close(candidate_class, scope=resolve_scope(college_organizer), actor=college_organizer)
    assert report.passed == 3 and report.steps_recorded == 1
    rows = {e.person_id: e for e in Enrolment.objects.all()}
    assert rows[school.candidate.pk].step_status == StepStatus.RECORDED
    step = StepRecord.objects.get(case=school.case, step__code="training")
    assert (step.done_on, step.data["days"], step.data["hours"]) == (D(2026, 10, 12), 3.0, 24.0)
    assert step.data["certificate"] == rows[school.candidate.pk].certificate_number
    assert rows[school.candidate_no_case.pk].step_status == StepStatus.NOT_RECORDED
    assert "没有进行中的发展党员档案" in rows[school.candidate_no_case.pk].step_note
    assert "请先完成第 3 步" not in rows[school.candidate_early.pk].step_note
    assert "请先完成第 4 步" in rows[school.candidate_early.pk].step_note
    # everyone passed still completed, got a certificate and hours
    assert all(e.completed and e.certificate_number for e in rows.values())
    assert StudyHours.objects.count() == 3
    candidate_class.refresh_from_db()
    assert (candidate_class.status, candidate_class.closed_on) == (ClassStatus.CLOSED, TODAY)
    assert AuditEvent.objects.filter(action="learning.class_close").count() == 1
    assert AuditEvent.objects.filter(action="learning.complete").count() == 3
    with pytest.raises(RuleViolation, match="班次已结班"):
        close(candidate_class)


def test_a_failed_participant_gets_no_certificate_and_no_hours(school, candidate_class) -> None:
    grade(enrol(candidate_class, school.candidate)[0], result=ExamResult.FAIL, score="40")
    report = close(candidate_class)
    enrolment = Enrolment.objects.get()
    assert (report.passed, enrolment.completed, enrolment.certificate_number) == (0, False, None)
    assert not StudyHours.objects.exists()
    assert not StepRecord.objects.filter(step__code="training").exists()


def test_certificate_serials_are_unique_per_school_and_year_across_classes(school, candidate_class) -> None:
    activist_class = make_class(school.world, ClassKind.ACTIVIST)
    grade(enrol(activist_class, school.activist)[0])
    for person in (school.candidate, school.candidate_no_case):
        grade(enrol(candidate_class, person)[0])
    close(activist_class)
    close(candidate_class)
    numbers = sorted(str(n) for n in Enrolment.objects.values_list("certificate_number", flat=True))
    assert numbers == ["DX2026-00001", "DX2026-00002", "DX2026-00003"]
    serial = CertificateSerial.objects.get()
    assert (serial.school_path, serial.year, serial.last) == (school.world.school.path, 2026, 3)


def test_the_step_already_recorded_is_not_recorded_twice(school, candidate_class) -> None:
    from tests.learning.conftest import record

    record(school.case, "training", D(2026, 9, 1), days=3, hours=24)
    grade(enrol(candidate_class, school.candidate)[0])
    close(candidate_class)
    assert Enrolment.objects.get().step_status == StepStatus.ALREADY
    assert StepRecord.objects.filter(step__code="training").count() == 1


def test_short_training_is_kept_but_not_recorded_as_the_step(school) -> None:
    short = make_class(school.world, ends_on=D(2026, 10, 11), days=Decimal("2"), hours=Decimal("16"))
    grade(enrol(short, school.candidate)[0], hours="16")
    close(short)
    enrolment = Enrolment.objects.get()
    assert enrolment.step_status == StepStatus.NOT_RECORDED and "集中培训不少于 3 天或 24 学时" in (
        enrolment.step_note
    )
    assert selectors.training_summary(school.candidate).hours == Decimal("16")


def test_activist_hours_count_in_the_training_summary(school, activist_class) -> None:
    grade(enrol(activist_class, school.activist)[0], hours="20")
    close(activist_class)
    summary = selectors.training_summary(school.activist)
    assert (summary.days, summary.hours, summary.last_completed_on, summary.classes) == (
        Decimal("3"),
        Decimal("20"),
        D(2026, 10, 12),
        1,
    )
    assert selectors.study_hours(school.activist) == Decimal("20")
    assert selectors.study_hours(school.activist, year=2025) == Decimal("0")
    assert Enrolment.objects.get().step_status == StepStatus.NONE


def test_an_enrolled_kind_cannot_change(school, candidate_class) -> None:
    enrol(candidate_class, school.candidate)
    with pytest.raises(RuleViolation, match="不能修改培训类别"):
        services.training_class_update(
            actor=None, scope=Scope.system(), training_class=candidate_class, kind=ClassKind.ACTIVIST
        )
    updated = services.training_class_update(
        actor=None, scope=Scope.system(), training_class=candidate_class, place="党校报告厅"
    )
    assert updated.place == "党校报告厅"
    assert AuditEvent.objects.filter(action="learning.class_update").count() == 1


@time_machine.travel("2026-11-20 10:00 +0800", tick=False)
def test_a_class_past_its_end_and_not_closed_is_a_to_do(school, candidate_class, college_organizer) -> None:
    from dangjian.workbench.todos import todos_for

    items = [
        i for i in todos_for(college_organizer, resolve_scope(college_organizer)) if i.source == "learning"
    ]
    assert [(i.title, i.count) for i in items] == [("1 个党校培训班已结束尚未结班", 1)]
    close(candidate_class)
    assert not [
        i for i in todos_for(college_organizer, resolve_scope(college_organizer)) if i.source == "learning"
    ]


def test_an_enrolment_can_be_removed_while_the_class_is_open(school, candidate_class) -> None:
    enrolment, _ = enrol(candidate_class, school.candidate)
    services.enrolment_remove(actor=None, scope=Scope.system(), enrolment=enrolment)
    assert not Enrolment.objects.exists()
    assert AuditEvent.objects.filter(action="learning.unenrol").count() == 1
    grade(enrol(candidate_class, school.candidate)[0])
    close(candidate_class)
    with pytest.raises(RuleViolation, match="班次已结班，不能取消报名"):
        services.enrolment_remove(actor=None, scope=Scope.system(), enrolment=Enrolment.objects.get())


@time_machine.travel("2026-11-20 10:00 +0800", tick=False)
def test_the_step_is_recorded_later_once_the_case_has_caught_up(school, candidate_class) -> None:
    from tests.learning.conftest import record

    grade(enrol(candidate_class, school.candidate_early)[0])
    close(candidate_class)
    enrolment = Enrolment.objects.get()
    assert enrolment.step_status == StepStatus.NOT_RECORDED
    case = school.candidate_early.recruitment_cases.get()
    for code, on in (("activist_filed", D(2024, 9, 10)), ("contacts", D(2024, 9, 10))):
        record(case, code, on, contacts=[1])
    record(case, "evaluation", D(2025, 3, 1))
    record(case, "candidate", D(2025, 9, 2))
    record(case, "candidate_filed", D(2025, 9, 20), publicity_start="2025-09-08", publicity_end="2025-09-12")
    record(case, "introducers", D(2025, 9, 21), introducers=[1, 2])
    record(case, "political_review", D(2026, 11, 1))
    updated = services.enrolment_record_step(actor=None, scope=Scope.system(), enrolment=enrolment)
    assert updated.step_status == StepStatus.RECORDED
    assert StepRecord.objects.filter(case=case, step__code="training").exists()
    assert AuditEvent.objects.filter(action="learning.step_retry").count() == 1
    with pytest.raises(RuleViolation, match="没有待记录的发展党员步骤"):
        services.enrolment_record_step(actor=None, scope=Scope.system(), enrolment=updated)


def test_a_training_step_recorded_without_figures_reads_the_ledger(school) -> None:
    from dangjian.recruitment import services as recruitment

    short = make_class(school.world, ends_on=D(2026, 10, 11), days=Decimal("2"), hours=Decimal("16"))
    grade(enrol(short, school.candidate)[0], hours="16")
    close(short)  # 16 hours: the step is not recorded by the close
    with pytest.raises(RuleViolation, match="集中培训不少于 3 天或 24 学时"):
        recruitment.step_record(
            actor=None,
            scope=Scope.system(),
            case=school.case,
            code="training",
            done_on=D(2026, 10, 12),
            data={},
            today=TODAY,
        )
    more = make_class(
        school.world, name="补训班", ends_on=D(2026, 10, 18), days=Decimal("1"), hours=Decimal("8")
    )
    grade(enrol(more, school.candidate)[0], hours="8")
    close(more)
    StepRecord.objects.filter(case=school.case, step__code="training").delete()  # the close recorded it
    record = recruitment.step_record(
        actor=None,
        scope=Scope.system(),
        case=school.case,
        code="training",
        done_on=D(2026, 10, 19),
        data={},
        today=TODAY,
    )
    assert (record.data["days"], record.data["hours"]) == (3.0, 24.0)


def test_a_class_name_or_place_longer_than_its_field_is_refused(school) -> None:
    with pytest.raises(RuleViolation, match="班次名称不能超过 120 个字") as refused:
        make_class(school.world, name="长" * 121)
    assert refused.value.field == "name"
    training_class = make_class(school.world, place="礼堂")
    with pytest.raises(RuleViolation, match="培训地点不能超过 120 个字") as refused:
        services.training_class_update(
            actor=None, scope=Scope.system(), training_class=training_class, place="长" * 121
        )
    assert refused.value.field == "place"


def test_a_result_locks_the_class_first_and_is_refused_once_it_is_closed(
    school, candidate_class, monkeypatch
) -> None:
    """The class row is locked before the enrolment (the order of enrolment_add/remove and of the close),
    and a stale enrolment of a class closed meanwhile is refused."""
    from django.db.models import QuerySet

    enrolment, _created = enrol(candidate_class, school.candidate)
    locked: list[str] = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model.__name__)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    grade(enrolment)
    assert locked == ["TrainingClass", "Enrolment", "AuditChainHead"]  # the audit chain's head: last
    monkeypatch.undo()
    with time_machine.travel(D(2026, 11, 20), tick=False):
        services.training_class_close(
            actor=None, scope=Scope.system(), training_class=candidate_class, today=TODAY
        )
    with pytest.raises(RuleViolation, match="班次已结班，不能修改成绩"):
        grade(enrolment, result=ExamResult.FAIL, score="10")
    enrolment.refresh_from_db()
    assert (enrolment.result, enrolment.score) == (ExamResult.PASS, Decimal("90"))


def test_learning_reads_recruitment_only_through_its_selectors_and_services() -> None:
    """ARCHITECTURE: cross-module reads go through the other app's selectors, never its models."""
    from pathlib import Path

    import dangjian.learning

    root = Path(dangjian.learning.__file__).parent
    offenders = [p.name for p in root.glob("*.py") if "recruitment.models" in p.read_text(encoding="utf-8")]
    assert offenders == []
