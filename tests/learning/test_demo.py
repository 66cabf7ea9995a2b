"""The demo 党校: two closed classes with results and certificates, one open class with enrolments; the
学习库 with courses some people finished."""

from __future__ import annotations

from dangjian.core.demo.generator import generate
from dangjian.learning.demo import seed_learning
from dangjian.learning.models import ClassStatus, Enrolment, StudyHours, TrainingClass


def test_the_demo_has_closed_and_open_classes(db) -> None:
    from dangjian.recruitment.demo import seed_recruitment

    generate(size="small", seed=1)
    seed_recruitment(seed=1)
    counts = seed_learning(seed=1)
    assert counts["training_classes"] == 3 and counts["training_certificates"] > 0
    statuses = sorted(TrainingClass.objects.values_list("kind", "status"))
    assert statuses == [
        ("activist", ClassStatus.CLOSED),
        ("activist", ClassStatus.OPEN),
        ("candidate", ClassStatus.CLOSED),
    ]
    numbers = list(
        Enrolment.objects.exclude(certificate_number=None).values_list("certificate_number", flat=True)
    )
    assert len(numbers) == len(set(numbers)) == counts["training_certificates"]
    assert StudyHours.objects.filter(source_kind="training_class").count() == counts["training_certificates"]
    # Two 专题培训 (the college's and the demo branch's), the demo secretary in neither.
    assert counts["topic_trainings"] == 2 and counts["topic_hours"] > 0
    assert StudyHours.objects.filter(source_kind="topic").count() == counts["topic_hours"]
    open_class = TrainingClass.objects.get(status=ClassStatus.OPEN)
    assert open_class.enrolments.exists()
    # 学习库: three courses, some people finished the first (its hours in the ledger, once each)
    assert counts["library_courses"] == 3 and counts["library_completions"] > 0
    completions = counts["library_completions"] + counts["course_quiz_passed"]
    assert StudyHours.objects.filter(source_kind="course").count() == completions
    # the demo candidates' cases had the training step already: their enrolments say so
    assert Enrolment.objects.filter(training_class__kind="candidate", step_status="already").exists()


def test_the_demo_has_a_course_that_ends_with_a_quiz(db) -> None:
    from dangjian.learning.exams.models import Attempt, AttemptStatus
    from dangjian.learning.library.models import Course, CourseCompletion, LessonProgress
    from dangjian.recruitment.demo import seed_recruitment

    generate(size="small", seed=1)
    seed_recruitment(seed=1)
    counts = seed_learning(seed=1)
    course = Course.objects.select_related("quiz").get(quiz__isnull=False)
    assert counts["course_quizzes"] == 1 and course.published and course.quiz.is_published
    # Its rules draw from the bank without running short: every attempt has the paper's 10 questions.
    attempts = list(Attempt.objects.filter(quiz=course.quiz).prefetch_related("items"))
    assert attempts and all(len(a.items.all()) == 10 for a in attempts)
    passed = [a.person_id for a in attempts if a.passed]
    assert len(passed) == counts["course_quiz_passed"] == 3
    assert set(CourseCompletion.objects.filter(course=course).values_list("person_id", flat=True)) == set(
        passed
    )
    open_attempts = [a for a in attempts if a.status == AttemptStatus.OPEN]
    assert len(open_attempts) == 1  # one member is answering it now
    person = open_attempts[0].person_id
    lessons = course.lessons.count()
    assert (
        LessonProgress.objects.filter(person_id=person, lesson__course=course, done=True).count() == lessons
    )
    assert not CourseCompletion.objects.filter(course=course, person_id=person).exists()
