"""Demo 民主评议党员: the demo member's branch finished last year's round (self reviews, 民主测评, the
committee's proposals, the meeting's decision, closed) and is in this year's 民主测评 with some ratings
in — neither the demo ``member`` nor the secretary has rated yet, so a person can try it. Another branch
of the same college finished last year with one member decided 不合格, handled (限期改正) and reported to
the college. Through the services, as in real work."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.accounts.scope import Scope
from dangjian.appraisal import rules, selectors, services
from dangjian.appraisal.models import Grade, Handling, Participant, Round, Stage
from dangjian.core.models import Organization, OrgKind
from dangjian.policy import get_policy

SYSTEM = Scope.system()
REVIEW = (
    "本年度认真学习党的理论，按时参加组织生活，按时足额交纳党费，完成岗位工作任务。"
    "不足之处是理论学习的系统性还不够，联系服务群众还不够主动，今后将努力改进。"
)
WEIGHTS = ((Grade.EXCELLENT, 30), (Grade.QUALIFIED, 62), (Grade.BASIC, 7), (Grade.UNQUALIFIED, 1))


def _grade(rng: random.Random) -> str:
    return str(rng.choices([g for g, _w in WEIGHTS], weights=[w for _g, w in WEIGHTS])[0])


def _reviews(round: Round, people: list[Participant], skip: set[int]) -> None:
    for p in people:
        if p.person_id not in skip:
            services.self_review_submit(
                actor=None,
                scope=SYSTEM,
                round=round,
                person_id=p.person_id,
                text=REVIEW,
                expected_status=None,
            )


def _ratings(rng: random.Random, round: Round, people: list[Participant], raters: list[Participant]) -> int:
    for rater in raters:
        services.ratings_submit(
            actor=None,
            scope=SYSTEM,
            round=round,
            person_id=rater.person_id,
            grades={p.pk: _grade(rng) for p in people if p.pk != rater.pk},
            expected_status=None,
        )
    return len(raters)


def _finish(rng: random.Random, round: Round, year: int, *, unqualified: bool) -> int:
    """Last year's round run to its end; returns how many ratings were given."""
    people = list(Participant.objects.filter(round=round).order_by("pk"))
    _reviews(round, people, set())
    services.round_advance(actor=None, scope=SYSTEM, round=round, expected_status=None)
    given = _ratings(rng, round, people, [p for p in people if p.votes])
    services.round_advance(actor=None, scope=SYSTEM, round=round, expected_status=None)
    counts = selectors.tallies(round)
    ranked = sorted(people, key=lambda p: (-counts[p.pk][Grade.EXCELLENT], p.pk))
    cap = rules.excellent_cap(len(people), get_policy().appraisal_excellent_max_share)
    proposals = {p.pk: (str(Grade.QUALIFIED), "") for p in people}
    for p in ranked[:cap]:
        proposals[p.pk] = (str(Grade.EXCELLENT), "测评优秀票数靠前，工作表现突出")
    if len(people) > cap + 1:
        proposals[ranked[-1].pk] = (
            (str(Grade.UNQUALIFIED), "全年多次无故不参加组织生活，经教育仍未改正")
            if unqualified
            else (str(Grade.BASIC), "参加组织生活不够经常")
        )
    services.grades_propose(actor=None, scope=SYSTEM, round=round, proposals=proposals, expected_status=None)
    decided_on = date(year, 12, 20)
    services.grades_decide(
        actor=None,
        scope=SYSTEM,
        round=round,
        grades={pk: grade for pk, (grade, _reason) in proposals.items()},
        decided_on=decided_on,
        expected_status=None,
    )
    if unqualified:
        case = Participant.objects.get(pk=ranked[-1].pk)
        services.handling_record(
            actor=None,
            scope=SYSTEM,
            participant=case,
            handling=Handling.CORRECT,
            note="支部党员大会决定限期三个月改正，由支部书记谈心谈话、跟踪帮助",
            expected_status=None,
        )
        services.unqualified_report(actor=None, scope=SYSTEM, round=round, expected_status=None)
    services.round_close(actor=None, scope=SYSTEM, round=round, expected_status=None)
    # The story's dates: opened in November of that year, closed after the meeting.
    tz = timezone.get_current_timezone()
    Round.objects.filter(pk=round.pk).update(
        opened_at=datetime(year, 11, 10, 9, 0, tzinfo=tz),
        closed_at=datetime(year, 12, 22, 9, 0, tzinfo=tz),
        reported_at=datetime(year, 12, 21, 9, 0, tzinfo=tz) if unqualified else None,
    )
    return given


def seed_appraisal(seed: int = 2026, today: date | None = None) -> dict[str, int]:
    rng = random.Random(seed + 16)
    today = today or timezone.localdate()
    user = User.objects.select_related("person__organization").filter(username="member").first()
    if user is None or user.person is None or user.person.organization is None:
        return {"appraisal rounds": 0}
    branch = user.person.organization
    college = Organization.objects.get_parent(branch)
    secretary = User.objects.filter(username="branch_secretary").values_list("person_id", flat=True).first()
    rounds = ratings = 0

    last = services.round_open(actor=None, scope=SYSTEM, branch=branch, year=today.year - 1)
    ratings += _finish(rng, last, today.year - 1, unqualified=False)
    rounds += 1

    other = (
        Organization.objects.filter(path__startswith=college.path, kind=OrgKind.BRANCH, is_active=True)
        .exclude(pk=branch.pk)
        .annotate(n=Count("memberships"))
        .filter(n__gte=5)
        .order_by("-n", "path")
        .first()
        if college
        else None
    )
    if other is not None:
        previous = services.round_open(actor=None, scope=SYSTEM, branch=other, year=today.year - 1)
        ratings += _finish(rng, previous, today.year - 1, unqualified=True)
        rounds += 1

    current = services.round_open(
        actor=None,
        scope=SYSTEM,
        branch=branch,
        year=today.year,
        rating_closes_on=today + timedelta(days=14),
        note="与年度组织生活会结合进行",
    )
    rounds += 1
    people = list(Participant.objects.filter(round=current).order_by("pk"))
    keep_free = {pid for pid in (user.person_id, secretary) if pid is not None}
    _reviews(current, people, keep_free)
    services.round_advance(actor=None, scope=SYSTEM, round=current, expected_status=Stage.SELF_REVIEW)
    voters = [p for p in people if p.votes and p.person_id not in keep_free]
    ratings += _ratings(rng, current, people, voters[: max(1, len(voters) // 2)])
    return {"appraisal rounds": rounds, "appraisal raters": ratings}
