"""Reads of the 学习库, through the scope: what a reader may open (published to an organization above
them and, for a material, to one of their audiences — or anything where the user manages training), a
course's lessons with the reader's progress, the plans a person is assigned, and a plan's completion
rolled up by the organizations under its own. Each page is a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Substr
from django.http import Http404
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.groups import MEMBER_STATUSES, groups_of
from dangjian.core.models import Organization, Person
from dangjian.core.selectors import history_events
from dangjian.learning.library.models import (
    Course,
    CourseCompletion,
    Lesson,
    LessonProgress,
    Material,
    StudyPlan,
)

P = Permission
STEP = Organization.steplen


@dataclass(frozen=True)
class Reader:
    """The person reading: where they are held, their political status and audiences."""

    person_id: int | None = None
    org_path: str = ""
    status: str = ""
    audiences: tuple[str, ...] = field(default_factory=tuple)

    @property
    def above(self) -> list[str]:
        """The paths of the reader's organization and every one above it (whose publications reach them)."""
        return [self.org_path[:i] for i in range(STEP, len(self.org_path) + 1, STEP)]


NOBODY = Reader()


def reader_for(scope: Scope, today: date | None = None) -> Reader:
    """One query: the person's organization, status, and groups (``core.groups.groups_of``)."""
    if scope.person_id is None:
        return NOBODY
    found = groups_of(scope.person_id, today or date.today())
    return Reader(found.person_id, found.org_path, found.status, found.groups)


def _audience_q(audiences: tuple[str, ...]) -> Q:
    found = Q(pk__in=[])
    for code in audiences:
        found |= Q(audiences__icontains=f'"{code}"')
    return found


def _courses_q(scope: Scope, reader: Reader) -> Q:
    shown = Q(published=True, organization__path__in=reader.above) if reader.org_path else Q(pk__in=[])
    return shown | scope.q(P.MANAGE_TRAINING, "organization__path")


def courses_visible_to(scope: Scope, reader: Reader) -> QuerySet[Course]:
    return Course.objects.filter(_courses_q(scope, reader)).select_related("organization")


def materials_visible_to(scope: Scope, reader: Reader) -> QuerySet[Material]:
    """Published to the reader (their organization or one above, one of their audiences), a lesson of a
    course they may take, or anything where the user manages training."""
    direct = (
        Q(published=True, organization__path__in=reader.above) & _audience_q(reader.audiences)
        if reader.org_path
        else Q(pk__in=[])
    )
    in_course = Exists(
        Lesson.objects.filter(
            material=OuterRef("pk"), course__published=True, course__organization__path__in=reader.above
        )
    )
    managed = scope.q(P.MANAGE_TRAINING, "organization__path")
    if reader.org_path:
        return Material.objects.filter(direct | managed | Q(in_course)).select_related("organization")
    return Material.objects.filter(managed).select_related("organization")


def material_list(
    scope: Scope, reader: Reader, *, query: str = "", topic: str = "", kind: str = ""
) -> QuerySet[Material]:
    qs = materials_visible_to(scope, reader)
    if query:
        qs = qs.filter(title__icontains=query)
    if topic:
        qs = qs.filter(topic=topic)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-published", "-published_at", "-id")


def get_material_for(scope: Scope, reader: Reader, material_id: Any) -> Material:
    try:
        return materials_visible_to(scope, reader).get(pk=int(material_id))
    except (Material.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def get_managed_material(scope: Scope, material_id: Any) -> Material:
    try:
        return (
            Material.objects.filter(scope.q(P.MANAGE_TRAINING, "organization__path"))
            .select_related("organization")
            .get(pk=int(material_id))
        )
    except (Material.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def course_list(scope: Scope, reader: Reader, *, topic: str = "") -> QuerySet[Course]:
    """Courses the reader may take, each with its lesson count and (for a person) the lessons done and
    whether it is finished: one query per page."""
    qs = courses_visible_to(scope, reader)
    if topic:
        qs = qs.filter(topic=topic)
    person_id = reader.person_id or 0  # nobody: no progress
    lessons = Lesson.objects.filter(course=OuterRef("pk")).order_by().values("course")
    done = (
        LessonProgress.objects.filter(lesson__course=OuterRef("pk"), person_id=person_id, done=True)
        .order_by()
        .values("lesson__course")
    )
    return qs.annotate(
        lesson_count=Coalesce(Subquery(lessons.annotate(n=Count("pk")).values("n")), 0),
        done_count=Coalesce(Subquery(done.annotate(n=Count("pk")).values("n")), 0),
        completed=Exists(CourseCompletion.objects.filter(course=OuterRef("pk"), person_id=person_id)),
    ).order_by("-published", "-published_at", "-id")


def get_course_for(scope: Scope, reader: Reader, course_id: Any) -> Course:
    try:
        return courses_visible_to(scope, reader).get(pk=int(course_id))
    except (Course.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def get_managed_course(scope: Scope, course_id: Any) -> Course:
    try:
        return (
            Course.objects.filter(scope.q(P.MANAGE_TRAINING, "organization__path"))
            .select_related("organization")
            .get(pk=int(course_id))
        )
    except (Course.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def lessons_of(course: Course, person_id: int | None) -> QuerySet[Lesson]:
    """The course's lessons in order with the material and the person's percent and done (one query)."""
    mine = LessonProgress.objects.filter(lesson=OuterRef("pk"), person_id=person_id or 0)
    return (
        Lesson.objects.filter(course=course)
        .select_related("material")
        .annotate(
            percent=Coalesce(Subquery(mine.values("percent")[:1]), Value(0), output_field=IntegerField()),
            is_done=Exists(mine.filter(done=True)),
        )
        .order_by("position")
    )


def lessons_in_order(course: Course) -> QuerySet[Lesson]:
    """The course's lessons by position with their materials, for its organizers (one query)."""
    return Lesson.objects.filter(course=course).select_related("material").order_by("position")


def get_lesson_for(scope: Scope, reader: Reader, lesson_id: Any) -> Lesson:
    """A lesson of a course the reader may take; otherwise 404."""
    try:
        return (
            Lesson.objects.filter(course__in=courses_visible_to(scope, reader).values("pk"))
            .select_related("course", "material")
            .get(pk=int(lesson_id))
        )
    except (Lesson.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def get_managed_lesson(scope: Scope, lesson_id: Any) -> Lesson:
    try:
        return (
            Lesson.objects.filter(scope.q(P.MANAGE_TRAINING, "course__organization__path"))
            .select_related("course__organization", "material")
            .get(pk=int(lesson_id))
        )
    except (Lesson.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def lessons_using(material: Material, scope: Scope, reader: Reader) -> list[Lesson]:
    """The lessons the reader may take that read this material (its page reports their progress)."""
    return list(
        Lesson.objects.filter(
            material=material, course__in=courses_visible_to(scope, reader).values("pk")
        ).select_related("course")[:10]
    )


def progress_of(person_id: int | None, lessons: list[Lesson]) -> dict[int, int]:
    if person_id is None or not lessons:
        return {}
    return dict(
        LessonProgress.objects.filter(person_id=person_id, lesson__in=lessons).values_list(
            "lesson_id", "percent"
        )
    )


def course_choices(scope: Scope) -> QuerySet[Course]:
    """Courses an organizer may put in a plan: published ones they manage or published above them."""
    return Course.objects.filter(scope.q(P.MANAGE_TRAINING, "organization__path"), published=True).order_by(
        "-id"
    )


def material_choices(scope: Scope, course: Course) -> QuerySet[Material]:
    """Materials an organizer may make a lesson of: those they manage, not yet in the course."""
    return (
        Material.objects.filter(scope.q(P.MANAGE_TRAINING, "organization__path"))
        .exclude(lessons__course=course)
        .order_by("-id")
    )


def publishers_for(scope: Scope, limit: int = 500) -> list[Organization]:
    """The organizations the user may publish for (党委, 党总支 and branches where they manage training)."""
    from dangjian.core.models import OrgKind

    return list(
        Organization.objects.filter(
            scope.q(P.MANAGE_TRAINING, "path"),
            is_active=True,
            kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH],
        ).order_by("path")[:limit]
    )


# ---------------------------------------------------------------- study plans


def plan_people(plan: StudyPlan) -> QuerySet[Person]:
    """Whom the plan asks: active people of the organization's subtree of the plan's status (members by
    default)."""
    statuses = [plan.political_status] if plan.political_status else list(MEMBER_STATUSES)
    return Person.objects.filter(
        organization__path__startswith=plan.organization.path,
        political_status__in=statuses,
        is_active=True,
    )


def plans_visible_to(scope: Scope) -> QuerySet[StudyPlan]:
    return StudyPlan.objects.filter(scope.q(P.MANAGE_TRAINING, "organization__path")).select_related(
        "organization"
    )


def get_plan_for(scope: Scope, plan_id: Any) -> StudyPlan:
    try:
        return plans_visible_to(scope).get(pk=int(plan_id))
    except (StudyPlan.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def _with_done(people: QuerySet[Person], course_ids: list[int]) -> QuerySet[Person]:
    finished = (
        CourseCompletion.objects.filter(person=OuterRef("pk"), course_id__in=course_ids)
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return people.annotate(finished=Coalesce(Subquery(finished), 0))


@dataclass
class PlanLine:
    org: Organization
    people: int = 0
    complete: int = 0

    @property
    def percent(self) -> int:
        return int(self.complete * 100 / self.people) if self.people else 0


def plan_rollup(plan: StudyPlan, org: Organization) -> tuple[PlanLine, list[PlanLine]]:
    """The plan's completion in ``org`` (inside the plan's organization) and per organization right
    under it: the children, the courses and one GROUP BY over the people."""
    course_ids = list(plan.courses.values_list("pk", flat=True))
    children = list(
        Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True).order_by(
            "path"
        )
    )
    width = len(org.path) + STEP
    rows = {
        row["prefix"]: row
        for row in _with_done(plan_people(plan).filter(organization__path__startswith=org.path), course_ids)
        .annotate(prefix=Substr("organization__path", 1, width))
        .values("prefix")
        .order_by()
        .annotate(n=Count("pk"), complete=Count("pk", filter=Q(finished__gte=len(course_ids))))
    }
    lines = [
        PlanLine(child, rows[child.path]["n"], rows[child.path]["complete"])
        for child in children
        if child.path in rows
    ]
    own = rows.get(org.path[:width])
    whole = PlanLine(
        org,
        sum(line.people for line in lines) + (own["n"] if own else 0),
        sum(line.complete for line in lines) + (own["complete"] if own else 0),
    )
    return whole, lines


def plan_unfinished(plan: StudyPlan) -> QuerySet[Person]:
    """The people the plan asks who have not finished all its courses."""
    course_ids = list(plan.courses.values_list("pk", flat=True))
    return _with_done(plan_people(plan), course_ids).filter(finished__lt=len(course_ids))  # type: ignore[misc]


def plan_people_lines(plan: StudyPlan, org: Organization) -> QuerySet[Person]:
    """The people of ``org`` the plan asks, each with ``finished`` (courses of the plan completed)."""
    course_ids = list(plan.courses.values_list("pk", flat=True))
    return (
        _with_done(plan_people(plan).filter(organization__path__startswith=org.path), course_ids)
        .select_related("organization")
        .order_by("finished", "name_pinyin", "pk")
    )


@dataclass(frozen=True)
class AssignedCourse:
    course: Course
    deadline: date
    lessons: int
    done: int
    completed: bool

    @property
    def percent(self) -> int:
        if self.completed:
            return 100
        return int(self.done * 100 / self.lessons) if self.lessons else 0


def assigned_courses(reader: Reader, today: date) -> list[AssignedCourse]:
    """The courses the person's plans ask of them (plans of their organization or one above, for their
    status, whose deadline is this year or later), with their progress: one query whatever the number
    of plans and courses."""
    if reader.person_id is None or not reader.org_path:
        return []
    status_q = Q(political_status=reader.status)
    if reader.status in MEMBER_STATUSES:
        status_q |= Q(political_status="")
    plans = StudyPlan.objects.filter(
        status_q, organization__path__in=reader.above, deadline__gte=date(today.year, 1, 1)
    )
    rows = list(
        Course.objects.filter(plans__in=plans)
        .annotate(
            deadline=Subquery(
                plans.filter(courses=OuterRef("pk")).order_by("deadline").values("deadline")[:1]
            ),
            lesson_count=Coalesce(
                Subquery(
                    Lesson.objects.filter(course=OuterRef("pk"))
                    .order_by()
                    .values("course")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
            done_count=Coalesce(
                Subquery(
                    LessonProgress.objects.filter(
                        lesson__course=OuterRef("pk"), person_id=reader.person_id, done=True
                    )
                    .order_by()
                    .values("lesson__course")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
            completed=Exists(
                CourseCompletion.objects.filter(course=OuterRef("pk"), person_id=reader.person_id)
            ),
        )
        .distinct()
        .order_by("deadline", "pk")[:50]
    )
    return [
        AssignedCourse(c, c.deadline, c.lesson_count, c.done_count, c.completed)  # type: ignore[attr-defined]
        for c in rows
    ]


def quizzes_for(scope: Scope) -> QuerySet[Any]:
    """The published quizzes a course may ask for: those of organizations the user manages training at."""
    from dangjian.learning.exams.models import Quiz, QuizStatus

    return (
        Quiz.objects.filter(scope.q(P.MANAGE_TRAINING, "organization__path"), status=QuizStatus.PUBLISHED)
        .select_related("organization")
        .order_by("-id")
    )


MATERIAL_HISTORY_HIDDEN = ("updated_at", "published_at", "uid", "file_size")


def material_history(material: Material, *, limit: int = 30) -> list[dict[str, Any]]:
    """The material's 修改记录 (who, when, which fields), newest first: one query. The caller has
    already found the material through the scope (``get_material_for``)."""
    return history_events(
        [(_("学习资料"), Material.history.filter(id=material.pk))],  # type: ignore[attr-defined]
        limit=limit,
        hidden=MATERIAL_HISTORY_HIDDEN,
    )
