"""The demo 学习库: articles of generated text and an external link (no audio, video or PDF is shipped:
the demo holds no binary files), two courses of the school and one of the demo member's college, a
study plan of the school for every member this year, and people at different points — some lessons
read, a few courses finished (their hours in the ledger). Through the services, as an organizer and a
reader would."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, Person, PoliticalStatus
from dangjian.learning.library import services
from dangjian.learning.library.models import Audience, Course, Material, MaterialKind, Topic

SYSTEM = Scope.system()
OPENINGS = [
    "党的二十大报告指出，全面建设社会主义现代化国家，必须坚持中国共产党领导。",
    "学习党章是每名党员的基本功，要做到学深悟透、知行合一。",
    "党史是最生动、最有说服力的教科书，要在学史明理、学史增信中坚定理想信念。",
    "基层党组织是党的全部工作和战斗力的基础，支部工作要抓在日常、严在经常。",
]
SENTENCES = [
    "要把学习成果转化为推动学校高质量发展的实际行动。",
    "各党支部要结合教学科研和学生工作实际，组织好集中学习和专题研讨。",
    "党员要按时参加组织生活，认真开展批评和自我批评。",
    "坚持理论联系实际，在立德树人中发挥先锋模范作用。",
    "要严格执行“三会一课”制度，不断提高组织生活质量。",
    "学习中要做好笔记，撰写心得体会，交流学习收获。",
    "要把党的纪律和规矩挺在前面，做到知敬畏、存戒惧、守底线。",
    "青年学生党员要勤学笃行，在服务同学、奉献社会中锤炼党性。",
]


def _article(rng: random.Random, paragraphs: int = 4) -> str:
    parts = []
    for i in range(paragraphs):
        lead = [rng.choice(OPENINGS)] if i == 0 else []
        parts.append("".join(lead + rng.sample(SENTENCES, 3)))
    return "\n\n".join(parts)


def _member_college(fallback: Organization) -> Organization:
    """The demo member's college (its samples open there), else ``fallback``."""
    from dangjian.accounts.models import User

    path = User.objects.filter(username="member").values_list("person__organization__path", flat=True).first()
    if path:
        college = Organization.objects.filter(path=path[: 2 * Organization.steplen]).first()
        if college is not None:
            return college
    return fallback


READERS = (Audience.MEMBER, Audience.CADRE, Audience.SECRETARY)


def _material(
    org: Organization,
    title: str,
    topic: str,
    text: str,
    *,
    kind: str = MaterialKind.ARTICLE,
    audiences: tuple[str, ...] = READERS,
    summary: str = "",
    url: str = "",
) -> Material:
    material = services.material_create(
        actor=None,
        scope=SYSTEM,
        organization=org,
        title=title,
        kind=kind,
        topic=topic,
        audiences=list(audiences),
        summary=summary,
        body=text,
        url=url,
    )
    return services.material_publish(actor=None, scope=SYSTEM, material=material, published=True)


def _course(org: Organization, title: str, topic: str, hours: str, lessons: list[Material]) -> Course:
    course = services.course_create(
        actor=None, scope=SYSTEM, organization=org, title=title, topic=topic, hours=Decimal(hours)
    )
    for material in lessons:
        services.lesson_add(actor=None, scope=SYSTEM, course=course, material=material, hours=Decimal("1"))
    return services.course_publish(actor=None, scope=SYSTEM, course=course, published=True)


def seed_library(
    rng: random.Random, school: Organization, college: Organization, today: date
) -> dict[str, int]:
    college = _member_college(college)
    charter = _material(school, "学习《中国共产党章程》总纲", Topic.CHARTER, _article(rng))
    rules = _material(school, "《中国共产党支部工作条例（试行）》解读", Topic.CHARTER, _article(rng))
    history = _material(school, "百年党史中的青年力量", Topic.HISTORY, _article(rng, 5))
    theory = _material(school, "深入学习新时代党的创新理论", Topic.THEORY, _article(rng, 5))
    link = _material(
        school,
        "共产党员网：党员教育专栏",
        Topic.CURRENT,
        "",
        kind=MaterialKind.LINK,
        url="https://www.12371.cn/",
        summary="外部网站，在新窗口打开",
    )
    _material(
        school,
        "入党积极分子必读：端正入党动机",
        Topic.CHARTER,
        _article(rng, 3),
        audiences=(Audience.ACTIVIST, Audience.CANDIDATE),
    )
    practice = _material(
        college, f"{college.short_name or college.name}党支部工作规范", Topic.PRACTICE, _article(rng)
    )
    first = _course(school, "党章党规基础", Topic.CHARTER, "4", [charter, rules, link])
    second = _course(school, "党史与创新理论", Topic.HISTORY, "6", [history, theory])
    _course(college, "支部工作实务", Topic.PRACTICE, "2", [practice, rules])
    services.plan_create(
        actor=None,
        scope=SYSTEM,
        organization=school,
        title=f"{today.year}年党员网上学习计划",
        deadline=date(today.year, 12, 31),
        courses=[first, second],
        today=today,
    )
    # People at different points: some finish a course, some are part way, most have not begun.
    people = list(
        Person.objects.filter(
            organization__path__startswith=school.path,
            political_status__in=[PoliticalStatus.PROBATIONARY, PoliticalStatus.FULL],
            is_active=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:400]
    )
    from dangjian.accounts.models import User

    member = User.objects.filter(username="member").values_list("person_id", flat=True).first()
    first_lessons = list(first.lessons.order_by("position"))
    completed = 0
    for person_id in rng.sample(people, min(len(people), 60)):
        if person_id == member:
            continue
        finish = rng.random() < 0.4
        lessons = first_lessons if finish else first_lessons[: rng.randint(1, len(first_lessons) - 1)]
        for lesson in lessons:
            _p, completion = services.progress_report(
                actor=None, person_id=person_id, lesson=lesson, percent=100, today=today
            )
            completed += completion is not None
    if member is not None:  # the demo member has begun: one lesson read, one part way
        services.progress_report(
            actor=None, person_id=member, lesson=first_lessons[0], percent=100, today=today
        )
        services.progress_report(
            actor=None, person_id=member, lesson=first_lessons[1], percent=40, today=today
        )
    return {
        "library_materials": Material.objects.count(),
        "library_courses": Course.objects.count(),
        "library_completions": completed,
    }
