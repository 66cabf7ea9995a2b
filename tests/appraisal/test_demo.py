"""The demo 民主评议: the demo member's branch finished last year and is rating this year, the member not
yet; another branch of the college reported a 不合格 member last year."""

from __future__ import annotations

from dangjian.accounts.models import User
from dangjian.appraisal.demo import seed_appraisal
from dangjian.appraisal.models import Grade, Participant, Rating, Round, Stage
from dangjian.core.demo.generator import generate
from dangjian.workbench.models import Notification


def test_the_demo_has_a_finished_round_and_one_in_the_rating_stage(db) -> None:
    generate(size="small", seed=1)
    counts = seed_appraisal(seed=1)
    member = User.objects.get(username="member").person
    branch = member.organization
    assert counts["appraisal rounds"] == 3
    last = Round.objects.get(branch=branch, year=2025)
    assert last.stage == Stage.CLOSED and last.decided_on is not None
    assert not Participant.objects.filter(round=last, decided_grade="").exists()
    current = Round.objects.get(branch=branch, year=2026)
    assert current.stage == Stage.RATING
    mine = Participant.objects.get(round=current, person=member)
    assert mine.votes and mine.rated_at is None and not hasattr(mine, "self_review")
    assert Rating.objects.filter(round=current).exists()
    assert not Rating.objects.filter(round=current, rater=mine).exists()
    reported = Participant.objects.get(decided_grade=Grade.UNQUALIFIED)
    assert reported.round.year == 2025 and reported.round.branch != branch
    assert reported.handling == "correct" and reported.reported_at is not None
    assert Notification.objects.filter(kind="appraisal.unqualified").exists()
