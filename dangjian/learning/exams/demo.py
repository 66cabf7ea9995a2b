"""Demo 随堂测试 for 示范大学: a bank of 40 questions of the demo member's college (党章党规, 党史, 理论学习,
时政, 业务知识; every type), two published quizzes of the college, members with graded attempts (some
passed, some failed) and the demo member's attempt in progress; then the college course's 结课测试
(``seed_course_quiz``): three members who read every lesson and passed it, one answering it now. Through
the services, as in real work."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, Person
from dangjian.learning.exams import services
from dangjian.learning.exams.models import Attempt, Quiz

SYSTEM = Scope.system()

S, M, T, F = "single", "multiple", "true_false", "fill"
# (kind, topic, difficulty, text, options, answer, explanation); choice answers are option indexes,
# a 判断题's is 0 (正确) or 1 (错误), a 填空题's the accepted texts.
QUESTIONS: list[tuple[str, str, int, str, list[str], list[Any], str]] = [
    (
        S,
        "charter",
        1,
        "党的最高领导机关是？",
        ["党的全国代表大会和它所产生的中央委员会", "中央政治局", "中央书记处", "中央纪律检查委员会"],
        [0],
        "《中国共产党章程》第十条。",
    ),
    (
        S,
        "charter",
        1,
        "预备党员的预备期为多长时间？",
        ["半年", "一年", "两年", "三年"],
        [1],
        "党章第七条：预备期为一年。",
    ),
    (
        S,
        "charter",
        2,
        "党员如果没有正当理由，连续几个月不参加党的组织生活，就被认为是自行脱党？",
        ["三个月", "六个月", "九个月", "十二个月"],
        [1],
        "党章第九条。",
    ),
    (
        S,
        "charter",
        1,
        "党的基层组织设立的依据是：企业、农村、机关、学校等基层单位，凡是有正式党员几人以上的，都应当成立党的基层组织？",
        ["二人", "三人", "五人", "七人"],
        [1],
        "党章第三十条。",
    ),
    (
        S,
        "charter",
        2,
        "党支部党员大会一般每季度召开几次？",
        ["一次", "两次", "三次", "每月一次"],
        [0],
        "《中国共产党支部工作条例（试行）》。",
    ),
    (
        S,
        "history",
        1,
        "中国共产党第一次全国代表大会召开于哪一年？",
        ["1919年", "1921年", "1927年", "1949年"],
        [1],
        "1921年7月在上海召开，最后一天转移到嘉兴南湖。",
    ),
    (
        S,
        "history",
        1,
        "确立毛泽东在党中央和红军领导地位的会议是？",
        ["八七会议", "古田会议", "遵义会议", "瓦窑堡会议"],
        [2],
        "1935年1月遵义会议。",
    ),
    (
        S,
        "history",
        2,
        "党的十一届三中全会召开于哪一年？",
        ["1976年", "1978年", "1982年", "1992年"],
        [1],
        "1978年12月，实现了新中国成立以来党的历史上具有深远意义的伟大转折。",
    ),
    (
        S,
        "history",
        2,
        "“支部建在连上”的原则是在哪次事件中确立的？",
        ["南昌起义", "三湾改编", "秋收起义", "古田会议"],
        [1],
        "1927年9月三湾改编。",
    ),
    (
        S,
        "theory",
        1,
        "中国共产党的根本宗旨是？",
        ["全心全意为人民服务", "实现共产主义", "发展生产力", "坚持党的领导"],
        [0],
        "党章总纲。",
    ),
    (
        S,
        "theory",
        2,
        "党的思想路线是一切从实际出发，理论联系实际，实事求是，在实践中检验真理和什么？",
        ["发展真理", "坚持真理", "宣传真理", "追求真理"],
        [0],
        "党章总纲。",
    ),
    (
        S,
        "current",
        1,
        "党的二十大召开于哪一年？",
        ["2017年", "2021年", "2022年", "2023年"],
        [2],
        "2022年10月。",
    ),
    (
        S,
        "business",
        1,
        "党员领取党费收据后，党费按月交纳，一般应当在什么时间交纳？",
        ["每月", "每季度", "每半年", "每年"],
        [0],
        "《关于中国共产党党费收缴、使用和管理的规定》。",
    ),
    (
        S,
        "business",
        2,
        "发展党员工作中，入党积极分子经过多长时间的培养教育和考察，才可列为发展对象？",
        ["半年以上", "一年以上", "两年以上", "三个月以上"],
        [1],
        "《中国共产党发展党员工作细则》第十四条。",
    ),
    (
        S,
        "business",
        2,
        "组织关系转接中，党员应当在多长时间内将组织关系转到新的党组织？",
        ["一个月", "三个月", "六个月", "一年"],
        [2],
        "党员外出或工作变动后应及时转接，最长不超过六个月。",
    ),
    (
        S,
        "charter",
        3,
        "党的纪律处分有几种？",
        ["三种", "四种", "五种", "六种"],
        [2],
        "警告、严重警告、撤销党内职务、留党察看、开除党籍。",
    ),
    (
        M,
        "charter",
        2,
        "党员的义务包括哪些？（多选）",
        ["认真学习马克思列宁主义", "贯彻执行党的基本路线", "坚持党和人民的利益高于一切", "领取党内津贴"],
        [0, 1, 2],
        "党章第三条。",
    ),
    (
        M,
        "charter",
        2,
        "“三会一课”中的“三会”是指？（多选）",
        ["支部党员大会", "支部委员会", "党小组会", "民主生活会"],
        [0, 1, 2],
        "“一课”是党课。",
    ),
    (
        M,
        "history",
        2,
        "下列属于中国共产党领导的三大起义的有？（多选）",
        ["南昌起义", "秋收起义", "广州起义", "辛亥革命"],
        [0, 1, 2],
        "1927年。",
    ),
    (
        M,
        "theory",
        3,
        "“四个意识”包括？（多选）",
        ["政治意识", "大局意识", "核心意识", "看齐意识"],
        [0, 1, 2, 3],
        "全部正确：多选题全对才得分。",
    ),
    (
        M,
        "theory",
        2,
        "“四个自信”包括？（多选）",
        ["道路自信", "理论自信", "制度自信", "文化自信"],
        [0, 1, 2, 3],
        "",
    ),
    (
        M,
        "business",
        2,
        "发展党员的程序包括下列哪些阶段？（多选）",
        [
            "入党申请人的确定",
            "入党积极分子的确定和培养教育",
            "发展对象的确定和考察",
            "预备党员的接收、教育考察和转正",
        ],
        [0, 1, 2, 3],
        "《中国共产党发展党员工作细则》。",
    ),
    (
        M,
        "current",
        2,
        "党的二十大报告提出，全面建设社会主义现代化国家的首要任务不包括？（多选）",
        ["高质量发展", "闭关自守", "平均主义", "放弃改革"],
        [1, 2, 3],
        "高质量发展是首要任务。",
    ),
    (
        M,
        "business",
        1,
        "党组织生活会上开展批评和自我批评的要求有？（多选）",
        ["实事求是", "与人为善", "不搞人身攻击", "只表扬不批评"],
        [0, 1, 2],
        "",
    ),
    (
        T,
        "charter",
        1,
        "年满十八岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子可以申请加入中国共产党。",
        [],
        [0],
        "党章第一条。",
    ),
    (
        T,
        "charter",
        1,
        "预备党员享有表决权、选举权和被选举权。",
        [],
        [1],
        "预备党员的权利除了没有表决权、选举权和被选举权以外，同正式党员一样。",
    ),
    (T, "charter", 2, "党员的党龄从预备期满转为正式党员之日算起。", [], [0], "党章第七条。"),
    (T, "history", 1, "中华人民共和国成立于1949年10月1日。", [], [0], ""),
    (T, "history", 2, "遵义会议是在1936年召开的。", [], [1], "遵义会议召开于1935年1月。"),
    (T, "theory", 1, "民主集中制是党的根本组织原则。", [], [0], "党章第十条。"),
    (T, "current", 1, "党的二十大于2022年10月在北京召开。", [], [0], ""),
    (T, "business", 1, "党费可以由他人代为交纳，无需本人知情。", [], [1], "党员应当主动按时足额交纳党费。"),
    (
        T,
        "business",
        2,
        "发展对象未经培训的，除个别特殊情况外，不能发展入党。",
        [],
        [0],
        "《中国共产党发展党员工作细则》第十八条。",
    ),
    (
        T,
        "business",
        2,
        "党支部换届选举可以不经上级党组织批准自行推迟。",
        [],
        [1],
        "推迟或提前换届须报上级党组织批准。",
    ),
    (
        F,
        "charter",
        1,
        "中国共产党以马克思列宁主义、毛泽东思想、邓小平理论、“三个代表”重要思想、科学发展观、______作为自己的行动指南。",
        [],
        ["习近平新时代中国特色社会主义思想"],
        "党章总纲。",
    ),
    (
        F,
        "charter",
        1,
        "中国共产党党员是中国工人阶级的有______觉悟的先锋战士。",
        [],
        ["共产主义"],
        "党章第二条。",
    ),
    (
        F,
        "history",
        1,
        "中国共产党第一次全国代表大会的最后一天会议在浙江嘉兴______的游船上举行。",
        [],
        ["南湖"],
        "",
    ),
    (F, "theory", 2, "党的最高理想和最终目标是实现______。", [], ["共产主义"], "党章总纲。"),
    (
        F,
        "business",
        2,
        "入党介绍人一般由______名正式党员担任。",
        [],
        ["两", "2", "二"],
        "填“两”“二”或“2”都算对。",
    ),
    (
        F,
        "current",
        2,
        "中国式现代化是人口规模巨大的现代化，是全体人民______的现代化。",
        [],
        ["共同富裕"],
        "党的二十大报告。",
    ),
]


def _college_of_member() -> Organization | None:
    user = User.objects.select_related("person__organization").filter(username="member").first()
    org = getattr(getattr(user, "person", None), "organization", None)
    if org is None:
        return None
    if org.depth <= 2:
        return org
    return Organization.objects.get(path=org.path[: 2 * Organization.steplen])


def _as(person: Person) -> Scope:
    return Scope.build(None, person.pk, [])


def _answer_all(rng: random.Random, attempt: Attempt, skill: float, person: Person) -> None:
    answers: dict[int, Any] = {}
    for item in attempt.items.all():
        if rng.random() < skill:
            answers[item.position] = item.answer[0] if item.kind == "fill" else list(item.answer)
        elif item.kind == "fill":
            answers[item.position] = "不知道"
        else:
            answers[item.position] = [(item.answer[0] + 1) % len(item.options)]
    services.attempt_save_answers(actor=None, scope=_as(person), attempt=attempt, answers=answers)


def seed_exams(seed: int = 2026) -> dict[str, int]:
    rng = random.Random(seed + 57)
    college = _college_of_member()
    if college is None:
        college = (
            Organization.objects.filter(depth=2).order_by("path").first()
            or Organization.objects.get_root_nodes().first()
        )
    if college is None:
        return {"exam_questions": 0, "quizzes": 0, "quiz_attempts": 0}
    for kind, topic, difficulty, text, options, answer, explanation in QUESTIONS:
        services.question_create(
            actor=None,
            scope=SYSTEM,
            organization=college,
            kind=kind,
            topic=topic,
            difficulty=difficulty,
            text=text,
            options=options,
            answer=answer,
            explanation=explanation,
        )
    now = timezone.now().replace(second=0, microsecond=0)
    quizzes: list[Quiz] = []
    for title, rules, opens, days, limit in (
        (
            "党章党规随堂测试",
            [
                {"kind": S, "topic": "charter", "count": 4, "points": "10"},
                {"kind": T, "topic": "", "count": 4, "points": "10"},
                {"kind": M, "topic": "", "count": 2, "points": "10"},
            ],
            now - timedelta(days=3),
            21,
            2,
        ),
        (
            "党史知识测试",
            [
                {"kind": S, "topic": "history", "count": 3, "points": "20"},
                {"kind": F, "topic": "", "count": 2, "points": "20"},
            ],
            now - timedelta(days=10),
            30,
            1,
        ),
    ):
        quiz = services.quiz_create(
            actor=None,
            scope=SYSTEM,
            organization=college,
            title=title,
            opens_at=opens,
            closes_at=opens + timedelta(days=days),
            time_limit=30,
            attempt_limit=limit,
            pass_mark=60,
            rules=rules,
        )
        quizzes.append(services.quiz_publish(actor=None, scope=SYSTEM, quiz=quiz))
    member = getattr(User.objects.filter(username="member").select_related("person").first(), "person", None)
    people = list(
        Person.objects.filter(organization__path__startswith=college.path, membership__isnull=False)
        .exclude(pk__in=[member.pk] if member is not None else [])
        .exclude(user__username="branch_secretary")
        .order_by("pk")[:12]
    )
    attempts = 0
    for n, person in enumerate(people):
        quiz = quizzes[n % 2]
        attempt, _created = services.attempt_start(
            actor=None, scope=_as(person), quiz=quiz, seed=rng.randrange(2**31)
        )
        _answer_all(rng, attempt, rng.choice([0.5, 0.8, 0.9, 1.0]), person)
        services.attempt_submit(actor=None, scope=_as(person), attempt=attempt)
        attempts += 1
    if member is not None:
        attempt, _created = services.attempt_start(
            actor=None, scope=_as(member), quiz=quizzes[0], seed=rng.randrange(2**31)
        )
        first = attempt.items.order_by("position").first()
        if first is not None:
            services.attempt_save_answers(
                actor=None,
                scope=_as(member),
                attempt=attempt,
                answers={first.position: [0] if first.kind != "fill" else "南湖"},
            )
        attempts += 1
    return {"exam_questions": len(QUESTIONS), "quizzes": len(quizzes), "quiz_attempts": attempts}


# The college course's 结课测试: 10 questions the demo bank holds more than enough of (3 of its 3 business
# 单选题, 3 of its 6 党章 单选题, 4 of its 10 判断题).
COURSE_QUIZ_RULES = [
    {"kind": S, "topic": "business", "count": 3, "points": "10"},
    {"kind": S, "topic": "charter", "count": 3, "points": "10"},
    {"kind": T, "topic": "", "count": 4, "points": "10"},
]


def seed_course_quiz(seed: int = 2026) -> dict[str, int]:
    """The demo member's college course ends with a quiz (``Course.quiz``): a few members read every
    lesson and passed it — the course completes and its hours reach the ledger — and one has read every
    lesson and is part way through the quiz. Runs after ``seed_exams`` (the bank) and the library (the
    course), with its own random stream."""
    from dangjian.learning.library import services as library
    from dangjian.learning.library.models import Course, CourseCompletion

    rng = random.Random(seed + 58)
    college = _college_of_member()
    course = (
        Course.objects.filter(organization=college, published=True).order_by("pk").first()
        if college is not None
        else None
    )
    if college is None or course is None:
        return {"course_quizzes": 0, "course_quiz_passed": 0}
    opens = timezone.now().replace(second=0, microsecond=0) - timedelta(days=7)
    quiz = services.quiz_create(
        actor=None,
        scope=SYSTEM,
        organization=college,
        title=f"{course.title}结课测试",
        opens_at=opens,
        closes_at=opens + timedelta(days=60),
        time_limit=20,
        attempt_limit=3,
        pass_mark=60,
        rules=COURSE_QUIZ_RULES,
    )
    quiz = services.quiz_publish(actor=None, scope=SYSTEM, quiz=quiz)
    course = library.course_update(
        actor=None,
        scope=SYSTEM,
        course=course,
        title=course.title,
        topic=course.topic,
        hours=course.hours,
        summary=course.summary or "学完全部课时后参加结课测试，及格即完成课程。",
        quiz=quiz,
    )
    lessons = list(course.lessons.order_by("position"))
    people = list(
        Person.objects.filter(organization__path__startswith=college.path, membership__isnull=False)
        .exclude(user__username__in=["member", "branch_secretary"])
        .order_by("-pk")[:4]  # from the other end of the list ``seed_exams`` took its 12 from
    )
    for n, person in enumerate(people):
        for lesson in lessons:
            library.progress_report(actor=None, person_id=person.pk, lesson=lesson, percent=100)
        attempt, _created = services.attempt_start(
            actor=None, scope=_as(person), quiz=quiz, seed=rng.randrange(2**31)
        )
        if n == len(people) - 1:  # the last is answering now
            first = attempt.items.order_by("position").first()
            if first is not None:
                services.attempt_save_answers(
                    actor=None,
                    scope=_as(person),
                    attempt=attempt,
                    answers={first.position: list(first.answer)},
                )
            continue
        _answer_all(rng, attempt, 1.0, person)
        services.attempt_submit(actor=None, scope=_as(person), attempt=attempt)
    return {
        "course_quizzes": 1,
        "course_quiz_passed": CourseCompletion.objects.filter(course=course).count(),
    }
