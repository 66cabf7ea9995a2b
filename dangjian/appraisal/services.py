"""Writes of 民主评议党员: open a branch's round, each member's 自我评价 and 民主测评, the stages, the
committee's proposals, the 支部党员大会's decision (the 优秀 cap enforced), the handling of 不合格 and its
report to the organization above, the close.

Each service takes the actor and the scope, runs in one transaction, locks the round, checks the stage
the page showed (``expected_status``) and writes one audit event. The audit of 民主测评 says how many
grades a member gave, never to whom or which: the ratings are anonymous to everyone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.recipients import upper_organizers
from dangjian.accounts.scope import Scope
from dangjian.appraisal import access, rules
from dangjian.appraisal.models import Grade, Handling, Participant, Rating, Round, SelfReview, Stage
from dangjian.core.models import ON_ROLL_STANDINGS, Membership, MembershipType, Organization
from dangjian.kit.errors import NotFound, RuleViolation
from dangjian.kit.transitions import expect_state
from dangjian.policy import get_policy
from dangjian.workbench.services import notify

MAX_TEXT = 5000


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _locked(round: Round) -> Round:
    return Round.objects.select_for_update().select_related("branch").get(pk=round.pk)


def _manage(scope: Scope, round: Round) -> None:
    if not access.may_manage_round(scope, round):
        raise NotFound(_("未找到该民主评议。"))


def round_open(
    *,
    actor: Any,
    scope: Scope,
    branch: Organization,
    year: int,
    rating_closes_on: date | None = None,
    note: str = "",
) -> Round:
    """Open the branch's round of ``year``: its members on the roll become the participants (full
    members rate; probationary members are rated and write a self review but do not rate)."""
    if not access.may_open_in(scope, branch):
        raise NotFound(_("未找到该党支部。"))
    today = timezone.localdate()
    if not today.year - 1 <= year <= today.year:
        raise RuleViolation(_("只能启动今年或上一年度的民主评议。"), field="year")
    if rating_closes_on is not None and rating_closes_on < today:
        raise RuleViolation(_("测评截止日期不能早于今天。"), field="rating_closes_on")
    members = list(
        Membership.objects.filter(organization=branch, standing__in=ON_ROLL_STANDINGS)
        .order_by("person_id")
        .values_list("person_id", "membership_type")
    )
    if len(members) < 2:
        raise RuleViolation(_("该支部在册党员不足 2 名，无法开展民主评议。"))
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=branch.pk).first()
        if Round.objects.filter(branch=branch, year=year).exists():
            raise RuleViolation(
                _("%(branch)s 已启动 %(year)s 年度民主评议。") % {"branch": branch.name, "year": year},
                code="duplicate",
            )
        round = Round.objects.create(
            branch=branch,
            year=year,
            opened_by=_actor(actor),
            opened_at=timezone.now(),
            rating_closes_on=rating_closes_on,
            note=note[:300],
        )
        Participant.objects.bulk_create(
            Participant(round=round, person_id=pid, votes=kind == MembershipType.FULL)
            for pid, kind in members
        )
        audit.record(
            actor=actor,
            action="appraisal.round_open",
            target=round,
            org=branch,
            changes={"year": year, "participant_count": len(members)},
        )
    return round


def round_advance(*, actor: Any, scope: Scope, round: Round, expected_status: str | None) -> Round:
    """自我评价 → 民主测评 → 组织评定 (the ratings close)."""
    _manage(scope, round)
    with transaction.atomic():
        round = _locked(round)
        expect_state(round.stage, expected_status)
        following = rules.NEXT_STAGE.get(round.stage)
        if following is None:
            raise RuleViolation(_("当前阶段不能这样推进。"))
        before = round.stage
        round.stage = following
        round.save(update_fields=["stage"])
        audit.record(
            actor=actor,
            action="appraisal.round_advance",
            target=round,
            org=round.branch,
            changes={"stage": [before, following]},
        )
    return round


def _own_participant(scope: Scope, round: Round, person_id: int | None) -> Participant:
    if person_id is None:
        raise NotFound(_("你不是本次民主评议的参评党员。"))
    participant = Participant.objects.select_for_update().filter(round=round, person_id=person_id).first()
    if participant is None:
        raise NotFound(_("你不是本次民主评议的参评党员。"))
    return participant


def self_review_submit(
    *, actor: Any, scope: Scope, round: Round, person_id: int | None, text: str, expected_status: str | None
) -> SelfReview:
    """Write (or rewrite) one's 自我评价, in the 自我评价 or 民主测评 stage."""
    text = text.strip()
    if not text:
        raise RuleViolation(_("请填写自我评价。"), field="text")
    if len(text) > MAX_TEXT:
        raise RuleViolation(_("自我评价不能超过 %(n)s 字。") % {"n": MAX_TEXT}, field="text")
    with transaction.atomic():
        round = _locked(round)
        participant = _own_participant(scope, round, person_id)
        if not access.may_self_review(scope, participant):
            raise NotFound(_("你不是本次民主评议的参评党员。"))
        expect_state(round.stage, expected_status)
        if round.stage not in rules.SELF_REVIEW_STAGES:
            raise RuleViolation(_("自我评价阶段已结束。"))
        now = timezone.now()
        review, created = SelfReview.objects.get_or_create(
            participant=participant, defaults={"text": text, "submitted_at": now, "updated_at": now}
        )
        if not created:
            review.text = text
            review.updated_at = now
            review.save(update_fields=["text", "updated_at"])
        audit.record(
            actor=actor,
            action="appraisal.self_review",
            target=participant,
            org=round.branch,
            changes={"length": len(text), "rewritten": not created},
        )
    return review


def ratings_submit(
    *,
    actor: Any,
    scope: Scope,
    round: Round,
    person_id: int | None,
    grades: Mapping[int, str],
    expected_status: str | None,
) -> int:
    """A full member's 民主测评: one grade for every other participant (by participant id), all at once
    and once only. Returns how many grades were stored."""
    with transaction.atomic():
        round = _locked(round)
        rater = _own_participant(scope, round, person_id)
        if not (scope.is_system or access.is_own(scope, rater)):
            raise NotFound(_("你不是本次民主评议的参评党员。"))
        expect_state(round.stage, expected_status)
        if round.stage != Stage.RATING:
            raise RuleViolation(_("当前不在民主测评阶段，不能评分。"), code="wrong_stage")
        if not access.may_rate(scope, rater):
            raise RuleViolation(_("预备党员没有表决权，不参加民主测评评分。"), code="no_vote")
        if rater.rated_at is not None:
            raise RuleViolation(_("你已提交过民主测评，不能重复评分。"), code="twice")
        colleagues = list(Participant.objects.filter(round=round).values_list("pk", flat=True))
        rules.check_ratings(rater.pk, colleagues, grades)
        try:
            with transaction.atomic():
                Rating.objects.bulk_create(
                    Rating(round=round, rater=rater, ratee_id=ratee, grade=grade)
                    for ratee, grade in grades.items()
                )
        except IntegrityError:
            raise RuleViolation(_("你已提交过民主测评，不能重复评分。"), code="twice") from None
        rater.rated_at = timezone.now()
        rater.save(update_fields=["rated_at"])
        # Only how many: who was given what is nobody's to read, the audit log's readers included.
        audit.record(
            actor=actor,
            action="appraisal.ratings_submit",
            target=round,
            org=round.branch,
            changes={"rating_count": len(grades)},
        )
    return len(grades)


def _grades_of(round: Round, given: Mapping[int, tuple[str, str]]) -> list[Participant]:
    participants = list(Participant.objects.select_for_update().filter(round=round).order_by("pk"))
    ids = {p.pk for p in participants}
    if set(given) - ids:
        raise RuleViolation(_("只能为本次评议的参评党员评定等次。"))
    if ids - set(given):
        raise RuleViolation(_("请为每一名参评党员选择等次。"))
    if any(grade not in rules.GRADES for grade, _reason in given.values()):
        raise RuleViolation(_("等次只能是“优秀”“合格”“基本合格”“不合格”之一。"))
    return participants


def grades_propose(
    *,
    actor: Any,
    scope: Scope,
    round: Round,
    proposals: Mapping[int, tuple[str, str]],
    expected_status: str | None,
) -> int:
    """The committee's proposed grade (and reason) for every participant, beside their 民主测评 counts and
    objective indicators; may be revised until the meeting decides. The 优秀 cap applies already."""
    _manage(scope, round)
    with transaction.atomic():
        round = _locked(round)
        expect_state(round.stage, expected_status)
        if round.stage != Stage.PROPOSING:
            raise RuleViolation(_("民主测评结束后才能提出评定意见。"))
        participants = _grades_of(round, proposals)
        rules.check_excellent_cap(
            [g for g, _r in proposals.values()], len(participants), get_policy().appraisal_excellent_max_share
        )
        for p in participants:
            p.proposed_grade, reason = proposals[p.pk]
            p.proposal_reason = reason.strip()[:300]
        Participant.objects.bulk_update(participants, ["proposed_grade", "proposal_reason"])
        audit.record(
            actor=actor,
            action="appraisal.grades_propose",
            target=round,
            org=round.branch,
            changes={"grade_counts": rules.tally(g for g, _r in proposals.values())},
        )
    return len(participants)


def grades_decide(
    *,
    actor: Any,
    scope: Scope,
    round: Round,
    grades: Mapping[int, str],
    decided_on: date,
    expected_status: str | None,
) -> Round:
    """The 支部党员大会's decision: a grade for every participant (the committee's proposals first), the
    meeting's date, the 优秀 cap enforced. The round moves to 已决定."""
    _manage(scope, round)
    if decided_on > timezone.localdate():
        raise RuleViolation(_("支部党员大会日期不能晚于今天。"), field="decided_on")
    with transaction.atomic():
        round = _locked(round)
        expect_state(round.stage, expected_status)
        if round.stage != Stage.PROPOSING:
            raise RuleViolation(_("只有在组织评定阶段才能录入支部党员大会的决定。"))
        if decided_on.year < round.year:
            raise RuleViolation(_("支部党员大会日期不能早于评议年度。"), field="decided_on")
        participants = _grades_of(round, {k: (v, "") for k, v in grades.items()})
        if any(not p.proposed_grade for p in participants):
            raise RuleViolation(_("支委会尚未对全部党员提出评定意见。"))
        rules.check_excellent_cap(
            grades.values(), len(participants), get_policy().appraisal_excellent_max_share
        )
        for p in participants:
            p.decided_grade = grades[p.pk]
        Participant.objects.bulk_update(participants, ["decided_grade"])
        round.stage = Stage.DECIDED
        round.decided_on = decided_on
        round.save(update_fields=["stage", "decided_on"])
        audit.record(
            actor=actor,
            action="appraisal.grades_decide",
            target=round,
            org=round.branch,
            changes={"decided_on": decided_on.isoformat(), "grade_counts": rules.tally(grades.values())},
        )
    return round


def handling_record(
    *,
    actor: Any,
    scope: Scope,
    participant: Participant,
    handling: str,
    note: str,
    expected_status: str | None,
) -> Participant:
    """The branch's handling of a member decided 不合格 (限期改正, 劝退, 除名 — 党章 第九条), before it is
    reported up. Records it only: nobody's membership changes here."""
    round = participant.round
    _manage(scope, round)
    if handling not in Handling.values:
        raise RuleViolation(_("请选择处置方式。"), field="handling")
    with transaction.atomic():
        round = _locked(round)
        expect_state(round.stage, expected_status)
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if round.stage != Stage.DECIDED or participant.decided_grade != Grade.UNQUALIFIED:
            raise RuleViolation(_("只有评定为“不合格”的党员在决定后、上报前可登记处置方式。"))
        if participant.reported_at is not None:
            raise RuleViolation(_("该党员的处置情况已上报，不能修改。"))
        before = participant.handling
        participant.handling = handling
        participant.handling_note = note.strip()[:300]
        participant.save(update_fields=["handling", "handling_note"])
        audit.record(
            actor=actor,
            action="appraisal.handling_record",
            target=participant,
            org=round.branch,
            changes={"handling": [before, handling]},
        )
    return participant


def unqualified_report(*, actor: Any, scope: Scope, round: Round, expected_status: str | None) -> int:
    """Report the round's 不合格 members, with the branch's handling, to the organizers above (one
    notification). Returns how many members were reported."""
    _manage(scope, round)
    with transaction.atomic():
        round = _locked(round)
        expect_state(round.stage, expected_status)
        if round.stage != Stage.DECIDED:
            raise RuleViolation(_("支部党员大会作出决定后才能上报。"))
        cases = list(
            Participant.objects.select_for_update()
            .filter(round=round, decided_grade=Grade.UNQUALIFIED, reported_at__isnull=True)
            .select_related("person")
            .order_by("pk")
        )
        if not cases:
            raise RuleViolation(_("没有待上报的“不合格”党员。"))
        unhandled = [p.person.name for p in cases if not p.handling]
        if unhandled:
            raise RuleViolation(_("请先登记以下党员的处置方式：%(names)s") % {"names": "、".join(unhandled)})
        now = timezone.now()
        Participant.objects.filter(pk__in=[p.pk for p in cases]).update(reported_at=now)
        round.reported_at = now
        round.save(update_fields=["reported_at"])
        names = "；".join(f"{p.person.name}（{Handling(p.handling).label}）" for p in cases)
        sent = notify(
            upper_organizers(round.branch),
            "appraisal.unqualified",
            _("%(branch)s %(year)s 年度民主评议：%(n)s 名党员评定为不合格")
            % {"branch": round.branch.name, "year": round.year, "n": len(cases)},
            _("支部党员大会于 %(on)s 作出决定。处置情况：%(names)s")
            % {"on": round.decided_on, "names": names},
            reverse("appraisal:results", args=[round.pk]),
        )
        audit.record(
            actor=actor,
            action="appraisal.unqualified_report",
            target=round,
            org=round.branch,
            changes={"reported_count": len(cases), "notified": sent},
        )
    return len(cases)


def round_close(*, actor: Any, scope: Scope, round: Round, expected_status: str | None) -> Round:
    """Close a decided round: the results stand as the members' grades of the year. Every 不合格 case
    must have been reported up first."""
    _manage(scope, round)
    with transaction.atomic():
        round = _locked(round)
        expect_state(round.stage, expected_status)
        if round.stage != Stage.DECIDED:
            raise RuleViolation(_("支部党员大会作出决定后才能结束本次评议。"))
        if Participant.objects.filter(
            round=round, decided_grade=Grade.UNQUALIFIED, reported_at__isnull=True
        ).exists():
            raise RuleViolation(_("还有“不合格”党员的处置情况未上报上级党组织。"))
        round.stage = Stage.CLOSED
        round.closed_at = timezone.now()
        round.save(update_fields=["stage", "closed_at"])
        audit.record(actor=actor, action="appraisal.round_close", target=round, org=round.branch, changes={})
    return round
