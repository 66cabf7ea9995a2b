"""Demo 书记信箱: letters in every state, through the services as in real work.

To the demo member's branch: a fellow member's letter waiting for a reply, another's past its deadline,
the member's own anonymous letter answered by the secretary. To the college: the member's letter answered,
closed and rated; a fellow's letter the college passed down to the branch. From the public: a letter to
the school answered by the 组织部 (with its tracking code) and one to the college waiting. The letters are
dated back over the past weeks, so nobody's daily cap is used up today. Deterministic: no randomness."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.accounts.scope import Scope
from dangjian.core.models import Person
from dangjian.mailbox import lines, rules, services
from dangjian.mailbox.models import Letter, Reply
from dangjian.mailbox.rules import Category
from dangjian.policy import get_policy

SYSTEM = Scope.system()


def _as(person: Person) -> Scope:
    return replace(Scope.system(), person_id=person.pk)


def _write(person: Person, org: Any, subject: str, body: str, category: str, **kw: Any) -> Letter:
    return services.letter_write(
        actor=None, scope=_as(person), organization=org, subject=subject, body=body, category=category, **kw
    )


def _reply(letter: Letter, actor: Any, body: str) -> Reply:
    return services.letter_reply(actor=actor, scope=SYSTEM, letter=letter, body=body, expected_status=None)


def _age(letter: Letter, days: int) -> None:
    """Date a letter (and its answers) ``days`` back, its deadline counted from that day."""
    when = timezone.now() - timedelta(days=days)
    due = rules.due_on(timezone.localdate(when), get_policy())
    Letter.objects.filter(pk=letter.pk).update(submitted_at=when, due_on=due)
    replied = Letter.objects.filter(pk=letter.pk, replied_at__isnull=False)
    replied.update(replied_at=when + timedelta(days=1))
    Reply.objects.filter(letter=letter).update(at=when + timedelta(days=1))


def seed_mailbox(*, seed: int) -> dict[str, int]:
    member_user = User.objects.select_related("person").filter(username="member").first()
    secretary_user = User.objects.select_related("person").filter(username="branch_secretary").first()
    organizer = User.objects.filter(username="college_organizer").first()
    school_admin = User.objects.filter(username="school_admin").first()
    if member_user is None or member_user.person is None or secretary_user is None:
        return {"letters": 0}
    member = member_user.person
    line = lines.line_of(member.pk)
    if len(line) < 3:
        return {"letters": 0}
    school, college, branch = line[0], line[-2], line[-1]
    fellows = list(
        Person.objects.filter(membership__organization=branch)
        .exclude(pk__in=[member.pk, secretary_user.person_id])
        .order_by("pk")[:3]
    )

    own = _write(
        member,
        branch,
        "建议支部学习时间更灵活",
        "支部集中学习多安排在周三下午，与部分老师的课程冲突，建议每月提前公布两个可选时段。",
        Category.ADVICE,
        anonymous=True,
    )
    _reply(own, secretary_user, "感谢你的建议。支委会已研究，下月起每次集中学习提供两个时段，提前一周公布。")
    _age(own, 6)

    answered = _write(
        member,
        college,
        "咨询组织关系转接流程",
        "明年将到外省高校工作，想了解组织关系转接需要准备哪些材料、多长时间办结。",
        Category.INQUIRY,
    )
    _reply(
        answered,
        organizer,
        "请在离校前一个月向支部提出，支部审核后由学院党委开具介绍信，一般 5 个工作日办结。",
    )
    services.letter_close(actor=member_user, scope=_as(member), letter=answered, expected_status=None)
    services.letter_rate(actor=member_user, scope=_as(member), letter=answered, score=5, expected_status=None)
    _age(answered, 20)

    if fellows:
        waiting = _write(
            fellows[0],
            branch,
            "党员活动室开放时间",
            "希望党员活动室周末也能开放，方便学生党员开展小组学习。",
            Category.ADVICE,
        )
        _age(waiting, 1)
    if len(fellows) > 1:
        late = _write(
            fellows[1],
            branch,
            "党费缴纳提醒不及时",
            "上月党费缴纳截止前没有收到提醒，建议在截止前三天再提醒一次。",
            Category.PROBLEM,
        )
        _age(late, 15)  # waits past its deadline: the to-do and the inbox show it overdue
    if len(fellows) > 2:
        passed = _write(
            fellows[2],
            college,
            "支部换届时间",
            "我们支部的任期好像已经满了，请问什么时候换届？",
            Category.INQUIRY,
        )
        services.letter_transfer(
            actor=organizer,
            scope=SYSTEM,
            letter=passed,
            to_org=branch,
            reason="属支部工作事项，请支部书记答复。",
            expected_status=None,
        )

    public = services.letter_write_public(
        organization=school,
        name="张女士",
        contact="13900000000",
        subject="校友如何参加学校党日活动",
        body="我是 2010 届校友，现为流动党员，想了解能否参加母校的主题党日活动。",
        category=Category.INQUIRY,
    )
    _reply(public, school_admin, "欢迎校友参加。请联系所在院系党委登记，活动通知将通过短信告知。")
    _age(public, 3)
    services.letter_write_public(
        organization=college,
        name="",
        contact="parent@example.com",
        subject="学生入党积极分子培训时间",
        body="孩子在该学院就读，想了解入党积极分子培训一般安排在什么时间。",
        category=Category.INQUIRY,
    )
    return {"letters": Letter.objects.count()}
