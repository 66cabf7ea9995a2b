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
    assert StudyHours.objects.filter(source_kind="course").count() == counts["library_completions"]
    # the demo candidates' cases had the training step already: their enrolments say so
    assert Enrolment.objects.filter(training_class__kind="candidate", step_status="already").exists()
