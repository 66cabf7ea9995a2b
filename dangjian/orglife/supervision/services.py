"""Writes of 督查: the supervisor pool (督查员库), random draws that anyone can re-run from their seed, the
supervisor's graded feedback with the problems found, and the branch's answers (整改) to them.

The heart is ``rules.compute_draw``: a pure function of the recorded candidates, supervisors, seed and
parameters. ``draw_run`` gathers those inputs from the database, stores them on the Draw with the seed,
and writes what ``compute_draw`` returns; ``selectors.draw_verify`` runs it again."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dangjian import audit
from dangjian.accounts.models import User
from dangjian.accounts.recipients import secretary_users
from dangjian.accounts.scope import Scope
from dangjian.core.models import Membership, MembershipType, Organization, OrgKind, Person, Standing
from dangjian.kit.dates import not_in_future
from dangjian.kit.errors import RuleViolation
from dangjian.kit.transitions import expect_state
from dangjian.orglife import access
from dangjian.orglife.models import (
    Assignment,
    AssignmentStatus,
    Draw,
    Feedback,
    Meeting,
    MeetingStatus,
    Problem,
    ProblemStatus,
    Supervisor,
)
from dangjian.orglife.supervision.rules import (
    EXCLUDE_BRANCH,
    EXCLUDE_COLLEGE,
    DrawCandidate,
    DrawSupervisor,
    outcome_from_inputs,
)
from dangjian.policy import get_policy
from dangjian.workbench.services import notify

MAX_DRAW_N = 500
MAX_PROBLEMS = 20
# The default score items' names live in the policy as Chinese source text; marked here for translation.
ITEM_NAMES = (
    gettext_noop("程序规范"),
    gettext_noop("内容质量"),
    gettext_noop("党员参与"),
    gettext_noop("记录完整"),
)


def _review_side(scope: Scope, org: Organization) -> None:
    if not access.may_review(scope, org):
        raise RuleViolation(_("督查工作由院系或学校党委组织"), code="not_your_side")


def _users_of(person_ids: Sequence[int]) -> list[Any]:
    return list(User.objects.filter(person_id__in=list(person_ids), is_active=True))


# ---- pool ----------------------------------------------------------------------------------------


def supervisor_add(
    *,
    actor: Any,
    scope: Scope,
    person: Person,
    home_org: Organization | None = None,
    note: str = "",
) -> Supervisor:
    """Put a full member into the pool; their home org (by default the branch holding their membership)
    is the one they never supervise."""
    membership = Membership.objects.filter(person=person).select_related("organization").first()
    if (
        membership is None
        or membership.membership_type != MembershipType.FULL
        or membership.standing != Standing.NORMAL
    ):
        raise RuleViolation(_("督查员须为党籍状态正常的正式党员"), field="person")
    home = home_org or membership.organization
    _review_side(scope, home)
    try:
        with transaction.atomic():
            supervisor = Supervisor.objects.create(person=person, home_org=home, note=note.strip()[:200])
            audit.record(
                actor=actor,
                action="orglife.supervisor_add",
                target=supervisor,
                org=home,
                changes={"person": person.pk, "home_org": home.pk},
            )
    except IntegrityError:
        raise RuleViolation(_("此人已在督查员库中"), field="person") from None
    return supervisor


def availability_state(available: bool) -> str:
    """The state of a pool entry as a page shows it and sends it back (``expected_status``)."""
    return "available" if available else "unavailable"


def supervisor_set_available(
    *,
    actor: Any,
    scope: Scope,
    supervisor: Supervisor,
    available: bool,
    expected_status: str | None = None,
) -> Supervisor:
    with transaction.atomic():
        supervisor = Supervisor.objects.select_for_update().select_related("home_org").get(pk=supervisor.pk)
        expect_state(availability_state(supervisor.available), expected_status)
        _review_side(scope, supervisor.home_org)
        before = supervisor.available
        supervisor.available = available
        supervisor.save(update_fields=["available"])
        audit.record(
            actor=actor,
            action="orglife.supervisor_available",
            target=supervisor,
            org=supervisor.home_org,
            changes={"available": [before, available]},
        )
    return supervisor


def supervisor_remove(
    *, actor: Any, scope: Scope, supervisor: Supervisor, expected_status: str | None = None
) -> None:
    """Remove from the pool one who never had a task; one who had stays on record (set unavailable)."""
    with transaction.atomic():
        supervisor = Supervisor.objects.select_for_update().select_related("home_org").get(pk=supervisor.pk)
        expect_state(availability_state(supervisor.available), expected_status)
        _review_side(scope, supervisor.home_org)
        if supervisor.assignments.exists():
            raise RuleViolation(_("该督查员已有督查任务，不能移出督查员库，可设为暂不参与抽查"))
        audit.record(
            actor=actor,
            action="orglife.supervisor_remove",
            target=supervisor,
            org=supervisor.home_org,
            changes={"person": supervisor.person_id},
        )
        supervisor.delete()


# ---- draws ---------------------------------------------------------------------------------------


def draw_replayed(*, actor: Any, idempotency_key: str) -> Draw | None:
    """The draw a form with this one-time key already made (by the same user), if any."""
    if not idempotency_key:
        return None
    qs = Draw.objects.filter(idempotency_key=idempotency_key)
    if getattr(actor, "pk", None):
        qs = qs.filter(created_by=actor)
    return qs.first()


def draw_run(
    *,
    actor: Any,
    scope: Scope,
    scope_org: Organization,
    period_from: date,
    period_to: date,
    n: int | None = None,
    rate_percent: int | None = None,
    seed: int | None = None,
    idempotency_key: str | None = None,
) -> Draw:
    """Draw meetings of the branches under ``scope_org`` dated in the period (not cancelled, not yet
    drawn) and assign supervisors at random; records the seed and every input so the draw can be
    re-run and shown to be fair; notifies each supervisor drawn.

    A replay of the same form (its one-time ``idempotency_key``) returns the first draw before anything
    else is checked: a double-click or a retry never draws twice, nor fails on what the first changed."""
    if idempotency_key:
        done = draw_replayed(actor=actor, idempotency_key=idempotency_key)
        if done is not None:
            return done
    _review_side(scope, scope_org)
    if scope_org.kind in (OrgKind.BRANCH, OrgKind.GROUP):
        raise RuleViolation(_("抽查范围应为院系或学校党组织"), field="scope_org")
    if period_from > period_to:
        raise RuleViolation(_("开始日期不能晚于结束日期"), field="period_to")
    if (n is None) == (rate_percent is None):
        raise RuleViolation(_("请填写抽查会议数或抽查比例（二选一）"), field="n")
    if n is not None and not 1 <= n <= MAX_DRAW_N:
        raise RuleViolation(_("抽查会议数应在 1 到 %(m)s 之间") % {"m": MAX_DRAW_N}, field="n")
    if rate_percent is not None and not 1 <= rate_percent <= 100:
        raise RuleViolation(_("抽查比例应在 1% 到 100% 之间"), field="rate_percent")
    if seed is not None and not 0 <= seed < 2**63:
        raise RuleViolation(_("随机种子应为非负整数"), field="seed")
    policy = get_policy()
    if policy.orglife_supervision_exclude not in (EXCLUDE_BRANCH, EXCLUDE_COLLEGE):
        raise ValueError("orglife_supervision_exclude must be 'branch' or 'college'")
    seed = secrets.randbits(62) if seed is None else seed
    with transaction.atomic():
        # One draw at a time in a tree: a meeting drawn by one is not a candidate of the next.
        Organization.objects.select_for_update().filter(path=scope_org.path[: Organization.steplen]).first()
        if idempotency_key:
            done = draw_replayed(actor=actor, idempotency_key=idempotency_key)
            if done is not None:
                return done  # the same form submitted twice: one draw
        already = Assignment.objects.filter(meeting__date__range=(period_from, period_to)).values(
            "meeting_id"
        )
        candidates = [
            DrawCandidate(pk, path)
            for pk, path in Meeting.objects.filter(
                organization__path__startswith=scope_org.path,
                organization__kind=OrgKind.BRANCH,
                date__range=(period_from, period_to),
            )
            .exclude(status=MeetingStatus.CANCELLED)
            .exclude(pk__in=already)
            .order_by("pk")
            .values_list("pk", "organization__path")
        ]
        if not candidates:
            raise RuleViolation(_("该范围和期间内没有可抽查的会议"), field="period_from")
        pool = [
            DrawSupervisor(pk, path)
            for pk, path in Supervisor.objects.filter(
                available=True,
                person__is_active=True,
                person__membership__standing=Standing.NORMAL,  # a member in normal standing supervises
                home_org__path__startswith=scope_org.path[: Organization.steplen],
            )
            .order_by("pk")
            .values_list("pk", "home_org__path")
        ]
        if not pool:
            raise RuleViolation(_("督查员库中没有可参与抽查的督查员"))
        params = {
            "n": n,
            "rate_percent": rate_percent,
            "max_per_supervisor": policy.orglife_supervision_max_per_supervisor,
            "exclude": policy.orglife_supervision_exclude,
        }
        inputs: dict[str, Any] = {
            "version": 1,
            **params,
            "candidates": [[c.meeting, c.branch] for c in candidates],
            "supervisors": [[s.id, s.home] for s in pool],
        }
        # The same function the verification runs, on exactly what is stored.
        outcome = outcome_from_inputs(seed, inputs)
        inputs.update(picked=outcome.picked, unassigned=outcome.unassigned)
        draw = Draw.objects.create(
            scope_org=scope_org,
            period_from=period_from,
            period_to=period_to,
            seed=seed,
            inputs=inputs,
            created_by=actor if getattr(actor, "pk", None) else None,
            idempotency_key=idempotency_key or None,
        )
        Assignment.objects.bulk_create(
            [Assignment(draw=draw, meeting_id=m, supervisor_id=s) for m, s in outcome.assignments]
        )
        audit.record(
            actor=actor,
            action="orglife.supervision_draw",
            target=draw,
            org=scope_org,
            changes={
                "seed": str(seed),
                "period": [period_from.isoformat(), period_to.isoformat()],
                **params,
                "candidates": len(candidates),
                "supervisors": len(pool),
                "assigned": len(outcome.assignments),
                "unassigned": outcome.unassigned,
            },
        )
        drawn = {s for _m, s in outcome.assignments}
        person_ids = list(Supervisor.objects.filter(pk__in=drawn).values_list("person_id", flat=True))
        notify(
            _users_of(person_ids),
            "orglife",
            _("您有新的组织生活督查任务"),
            _("请按时到会督查或审阅会议纪要，并提交督查反馈。"),
            link=reverse("orglife:sup_tasks"),
        )
    return draw


# ---- feedback ------------------------------------------------------------------------------------


def check_scores(scores: dict[str, Any]) -> dict[str, int]:
    """One whole score per policy item, from 0 to the item's maximum; nothing else."""
    items = get_policy().orglife_supervision_items
    codes = {code for code, _name, _max in items}
    unknown = set(scores) - codes
    if unknown:
        raise RuleViolation(_("评分项目不正确"), field="scores")
    clean: dict[str, int] = {}
    for code, name, maximum in items:
        value = scores.get(code)
        if value is None or value == "":
            raise RuleViolation(_("请为“%(item)s”评分") % {"item": _(name)}, field=f"score_{code}")
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if isinstance(value, bool) or str(number) != str(value).strip() or not 0 <= number <= maximum:
            raise RuleViolation(
                _("“%(item)s”的评分应为 0 到 %(max)s 之间的整数") % {"item": _(name), "max": maximum},
                field=f"score_{code}",
            )
        clean[code] = number
    return clean


def problem_lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_PROBLEMS:
        raise RuleViolation(_("一次最多填写 %(n)s 个问题") % {"n": MAX_PROBLEMS}, field="problems")
    if any(len(line) > 300 for line in lines):
        raise RuleViolation(_("每个问题不超过 300 字"), field="problems")
    return lines


def feedback_file(
    *,
    actor: Any,
    scope: Scope,
    assignment: Assignment,
    scores: dict[str, Any],
    attended: bool,
    problems: Sequence[str] = (),
    suggestions: str = "",
    expected_status: str | None = None,
) -> Feedback:
    """The supervisor drawn (``access.may_file_feedback``) files the graded feedback of a task once,
    after the meeting has begun; each problem goes to the branch, to be answered within the policy's
    days."""
    today = timezone.localdate()
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update(of=("self",))
            .select_related("meeting__organization", "supervisor")
            .get(pk=assignment.pk)
        )
        expect_state(assignment.status, expected_status)
        clean = check_scores(scores)
        lines = problem_lines("\n".join(problems))
        if not access.may_file_feedback(scope, assignment):
            raise RuleViolation(_("只有被抽中的督查员可以提交反馈"), code="not_your_side")
        if assignment.status != AssignmentStatus.ASSIGNED:
            raise RuleViolation(_("该督查任务已提交反馈"))
        meeting = assignment.meeting
        if meeting.status == MeetingStatus.CANCELLED:
            raise RuleViolation(_("会议已取消，无需督查反馈"))
        if timezone.now() < meeting.starts_at:
            raise RuleViolation(_("会议尚未开始，不能提交督查反馈"), code="meeting_not_started")
        feedback = Feedback.objects.create(
            assignment=assignment,
            scores=clean,
            total=sum(clean.values()),
            attended=attended,
            suggestions=suggestions.strip(),
        )
        deadline = today + timedelta(days=get_policy().orglife_rectify_days)
        Problem.objects.bulk_create(
            [Problem(feedback=feedback, description=line, rectify_by=deadline) for line in lines]
        )
        assignment.status = AssignmentStatus.FILED
        assignment.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action="orglife.supervision_feedback",
            target=assignment,
            org=meeting.organization,
            changes={
                "meeting": meeting.pk,
                "scores": clean,
                "total": feedback.total,
                "attended": attended,
                "problems": len(lines),
            },
        )
        if lines:
            notify(
                secretary_users(meeting.organization),
                "orglife",
                _("督查发现 %(n)s 个问题，请在 %(d)s 前答复整改")
                % {"n": len(lines), "d": deadline.isoformat()},
                link=reverse("orglife:sup_problems") + f"?org={meeting.organization_id}",
            )
    return feedback


def problem_answer(
    *,
    actor: Any,
    scope: Scope,
    problem: Problem,
    rectification: str,
    rectify_by: date | None,
    expected_status: str | None = None,
) -> Problem:
    """The branch answers a problem as rectified (已整改): what it did (整改措施) and the day it was
    done (整改完成日期) — a day that has happened, not after today nor before the feedback."""
    with transaction.atomic():
        problem = (
            Problem.objects.select_for_update(of=("self",))
            .select_related("feedback__assignment__meeting__organization", "feedback__assignment__supervisor")
            .get(pk=problem.pk)
        )
        expect_state(problem.status, expected_status)
        org = problem.feedback.assignment.meeting.organization
        if not access.may_answer_problem(scope, problem):
            raise RuleViolation(_("督查问题由被督查的党支部答复整改"), code="not_your_side")
        if problem.status != ProblemStatus.OPEN:
            raise RuleViolation(_("该问题已答复整改"))
        if not rectification.strip():
            raise RuleViolation(_("请填写整改措施"), field="rectification")
        if rectify_by is None:
            raise RuleViolation(_("请填写整改完成日期"), field="rectify_by")
        if rectify_by < timezone.localtime(problem.feedback.filed_at).date():
            raise RuleViolation(_("整改完成日期不能早于督查反馈日期"), field="rectify_by")
        not_in_future(rectify_by, field="rectify_by", label=_("整改完成日期"))
        before = problem.rectify_by
        problem.status = ProblemStatus.ANSWERED
        problem.rectification = rectification.strip()
        problem.rectify_by = rectify_by
        problem.answered_at = timezone.now()
        problem.answered_by = actor if getattr(actor, "pk", None) else None
        problem.save()
        audit.record(
            actor=actor,
            action="orglife.supervision_problem_answer",
            target=problem,
            org=org,
            changes={
                "status": [ProblemStatus.OPEN, ProblemStatus.ANSWERED],
                "rectify_by": [before, rectify_by],
            },
        )
        notify(
            _users_of([problem.feedback.assignment.supervisor.person_id]),
            "orglife",
            _("%(org)s 已答复督查问题") % {"org": org.display_name},
            link=reverse("orglife:sup_assignment", args=[problem.feedback.assignment_id]),
        )
    return problem
