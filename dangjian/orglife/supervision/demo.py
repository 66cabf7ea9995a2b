"""Demo 督查 for 示范大学 (after the meetings demo): a pool of about 8 supervisors, full members spread over
the colleges (the demo "member" persona among them, so a demo login has tasks), one draw over the past
quarter with the same seed as the rest of the demo, feedback filed with scores and problems, some answered
and some still open (a few past their date). Uses the services (with their audit), then backdates the
feedback so the story reads as having happened over the quarter."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.accounts.scope import Scope
from dangjian.core.models import Membership, MembershipType, Organization, OrgKind, Standing
from dangjian.kit.errors import RuleViolation
from dangjian.orglife.models import Assignment, Feedback, MeetingStatus, Problem, Supervisor
from dangjian.orglife.supervision import services
from dangjian.policy import get_policy

SYSTEM = Scope.system()  # the demo's story is written by the platform itself, through the services
POOL_SIZE = 8
DRAW_RATE_PERCENT = 5  # of each college's meetings: every college (the demo one too) gets its share
PROBLEMS = (
    "会前未提前通知全体党员，部分党员临时得知会议安排",
    "签到表未存档",
    "会议记录缺少决议事项",
    "个别党员请假未履行请假手续",
    "学习内容与支部实际结合不够紧密",
    "发言不够充分，批评与自我批评不够深入",
    "会议照片等过程材料未上传",
)
SUGGESTIONS = (
    "建议会前印发学习材料，提高讨论质量。",
    "建议规范会议记录格式，写明决议事项和责任人。",
    "建议结合专业工作开展主题党日，增强吸引力。",
    "",
)
ANSWERS = (
    "已补齐相关材料并归档，今后会后三个工作日内整理完毕。",
    "支委会专题研究，明确由组织委员负责会前通知和请假登记。",
    "已组织补学，下次会议安排专题讨论。",
)


def _pool(rng: random.Random) -> list[Supervisor]:
    colleges = list(
        Organization.objects.filter(depth=2, is_active=True).exclude(kind=OrgKind.GROUP).order_by("path")
    )
    persona = User.objects.filter(username="member", person__isnull=False).values_list("person_id", flat=True)
    chosen: list[int] = list(persona)
    for college in rng.sample(colleges, len(colleges)):
        if len(chosen) >= POOL_SIZE:
            break
        ids = list(
            Membership.objects.filter(
                organization__path__startswith=college.path,
                membership_type=MembershipType.FULL,
                standing=Standing.NORMAL,
            )
            .order_by("pk")
            .values_list("person_id", flat=True)[:200]
        )
        ids = [i for i in ids if i not in chosen]
        chosen += rng.sample(ids, min(len(ids), 1 if len(colleges) >= POOL_SIZE else 2))
    pool = []
    for membership in (
        Membership.objects.filter(person_id__in=chosen[:POOL_SIZE]).select_related("person").order_by("pk")
    ):
        try:
            pool.append(services.supervisor_add(actor=None, scope=SYSTEM, person=membership.person))
        except RuleViolation:
            continue  # e.g. the persona is not (yet) a full member
    return pool


def seed_supervision(seed: int = 2026, today: date | None = None) -> dict[str, int]:
    rng = random.Random(seed + 23)
    today = today or timezone.localdate()
    counts = {"督查员": 0, "督查任务": 0, "督查反馈": 0, "督查问题": 0}
    root = Organization.objects.get_root_nodes().first()
    if root is None or Supervisor.objects.exists():
        return counts
    pool = _pool(rng)
    counts["督查员"] = len(pool)
    try:
        draw = services.draw_run(
            actor=None,
            scope=SYSTEM,
            scope_org=root,
            period_from=today - timedelta(days=91),
            period_to=today - timedelta(days=1),
            rate_percent=DRAW_RATE_PERCENT,
            seed=seed,
        )
    except RuleViolation:
        return counts  # no meetings (or no supervisors) to draw from
    persona = set(User.objects.filter(username="member").values_list("person_id", flat=True))
    items = get_policy().orglife_supervision_items
    left_open_for_persona = False
    assignments = list(
        Assignment.objects.filter(draw=draw)
        .select_related("meeting", "supervisor")
        .order_by("meeting__date", "pk")
    )
    counts["督查任务"] = len(assignments)
    for a in assignments:
        if a.meeting.status == MeetingStatus.CANCELLED:
            continue
        if a.supervisor.person_id in persona and not left_open_for_persona:
            left_open_for_persona = True  # one task waiting in the persona's to-do list
            continue
        problems = rng.sample(PROBLEMS, rng.choice((0, 1, 1, 2, 3)))
        feedback = services.feedback_file(
            actor=None,
            scope=SYSTEM,
            assignment=a,
            scores={code: maximum - rng.randint(0, maximum // 4) for code, _n, maximum in items},
            attended=rng.random() < 0.6,
            problems=problems,
            suggestions=rng.choice(SUGGESTIONS),
        )
        filed = min(a.meeting.date + timedelta(days=rng.randint(1, 5)), today)
        deadline = filed + timedelta(days=get_policy().orglife_rectify_days)
        with transaction.atomic():
            Feedback.objects.filter(pk=feedback.pk).update(
                filed_at=timezone.make_aware(datetime.combine(filed, time(16, 0)))
            )
            Problem.objects.filter(feedback=feedback).update(rectify_by=deadline)
        counts["督查反馈"] += 1
        for problem in Problem.objects.filter(feedback=feedback).order_by("pk"):
            counts["督查问题"] += 1
            if rng.random() < 0.55:
                services.problem_answer(
                    actor=None,
                    scope=SYSTEM,
                    problem=problem,
                    rectification=rng.choice(ANSWERS),
                    rectify_by=min(
                        filed + timedelta(days=rng.randint(5, 25)), today
                    ),  # done: not after today
                )
    return counts
