"""Writes of 述职评议考核: open a committee's assessment of the organizations right below it, name the
reviewers, the secretaries' 述职报告, the reviewers' scores, the stages, the committee's grades and the
publication (the assessed organizations' secretaries are told).

Each service takes the actor and the scope, runs in one transaction, locks the assessment, checks the
stage the page showed (``expected_status``) and writes one audit event. The audit of a reviewer's
scores says how many organizations they scored, never which score they gave.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Avg, Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.recipients import secretary_users
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind, Position, PositionTitle
from dangjian.insights.assessment import access, rules
from dangjian.insights.assessment.models import Assessment, Grade, Reviewer, ReviewScore, Stage, Target
from dangjian.insights.models import IndexScore, PeriodKind
from dangjian.kit.errors import NotFound, RuleViolation
from dangjian.kit.transitions import expect_state
from dangjian.policy import get_policy
from dangjian.workbench.services import notify

MAX_REPORT = 10000
MAX_REVIEWERS = 200


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _locked(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().select_related("organization").get(pk=assessment.pk)


def _run(scope: Scope, assessment: Assessment) -> None:
    if not access.may_run(scope, assessment):
        raise NotFound(_("未找到该考核。"))


def _bands(assessment: Assessment) -> tuple[float, float, float]:
    return (assessment.good_from, assessment.fairly_good_from, assessment.average_from)


def _index_scores(org_ids: Sequence[int], year: int) -> dict[int, dict[str, float | None]]:
    """Each organization's index scores of the year (as last computed), one query."""
    out: dict[int, dict[str, float | None]] = {}
    rows = IndexScore.objects.filter(
        organization_id__in=org_ids, period_kind=PeriodKind.YEAR, period_start=date(year, 1, 1)
    ).values_list("organization_id", "index", "score")
    for org_id, index, score in rows:
        out.setdefault(org_id, {})[index] = None if score is None else round(score, 1)
    return out


def _secretaries(org_ids: Sequence[int]) -> dict[int, int]:
    """The serving 书记 of each organization (person id), one query."""
    rows = Position.objects.filter(
        organization_id__in=org_ids, title=PositionTitle.SECRETARY, ended_on__isnull=True
    ).values_list("organization_id", "person_id")
    return dict(rows)


def assessment_open(
    *,
    actor: Any,
    scope: Scope,
    org: Organization,
    year: int,
    indicator_weight: float | None = None,
    bands: tuple[float, float, float] | None = None,
    note: str = "",
) -> Assessment:
    """Open ``org``'s assessment of ``year``: the active organizations right below it become the
    assessed, each with its serving 书记 and its indicator score pre-filled from the year's indices."""
    if not access.may_open_in(scope, org):
        raise NotFound(_("未找到该党组织。"))
    policy = get_policy()
    weight = policy.assessment_indicator_weight if indicator_weight is None else indicator_weight
    scheme = tuple(policy.assessment_grade_bands) if bands is None else bands
    rules.check_scheme(weight, scheme)  # type: ignore[arg-type]
    today = timezone.localdate()
    if not today.year - 1 <= year <= today.year:
        raise RuleViolation(_("只能启动今年或上一年度的述职评议考核。"), field="year")
    children = list(
        Organization.objects.filter(
            path__startswith=org.path,
            depth=org.depth + 1,
            is_active=True,
            kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH],
        )
        .order_by("path")
        .values_list("pk", flat=True)
    )
    if not children:
        raise RuleViolation(_("%(org)s 下没有可考核的党组织。") % {"org": org.name})
    scores = _index_scores(children, year)
    secretaries = _secretaries(children)
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=org.pk).first()
        if Assessment.objects.filter(organization=org, year=year).exists():
            raise RuleViolation(
                _("%(org)s 已启动 %(year)s 年度述职评议考核。") % {"org": org.name, "year": year},
                code="duplicate",
            )
        good, fairly, average = scheme
        assessment = Assessment.objects.create(
            organization=org,
            year=year,
            indicator_weight=weight,
            good_from=good,
            fairly_good_from=fairly,
            average_from=average,
            note=note[:300],
            opened_by=_actor(actor),
            opened_at=timezone.now(),
        )
        Target.objects.bulk_create(
            Target(
                assessment=assessment,
                organization_id=oid,
                secretary_id=secretaries.get(oid),
                indicator_score=rules.indicator_score(scores.get(oid, {})),
                indicator_detail=scores.get(oid, {}),
            )
            for oid in children
        )
        audit.record(
            actor=actor,
            action="assessment.open",
            target=assessment,
            org=org,
            changes={
                "year": year,
                "target_count": len(children),
                "indicator_weight": weight,
                "bands": list(scheme),
            },
        )
    return assessment


def indicators_refresh(
    *, actor: Any, scope: Scope, assessment: Assessment, expected_status: str | None
) -> int:
    """Read the indicator scores again (the indices were recomputed), before grading begins. Returns
    how many organizations' scores changed."""
    _run(scope, assessment)
    with transaction.atomic():
        assessment = _locked(assessment)
        expect_state(assessment.stage, expected_status)
        if assessment.stage not in rules.REPORT_STAGES:
            raise RuleViolation(_("已进入评定阶段，指标得分不再更新。"))
        targets = list(Target.objects.filter(assessment=assessment))
        scores = _index_scores([t.organization_id for t in targets], assessment.year)
        changed = []
        for t in targets:
            detail = scores.get(t.organization_id, {})
            value = rules.indicator_score(detail)
            if value != t.indicator_score or detail != t.indicator_detail:
                t.indicator_score, t.indicator_detail = value, detail
                changed.append(t)
        Target.objects.bulk_update(changed, ["indicator_score", "indicator_detail"])
        audit.record(
            actor=actor,
            action="assessment.indicators_refresh",
            target=assessment,
            org=assessment.organization,
            changes={"changed": len(changed)},
        )
    return len(changed)


def secretaries_refresh(
    *, actor: Any, scope: Scope, assessment: Assessment, expected_status: str | None
) -> int:
    """Who reports for each organization, read again from the serving 书记 (a secretary changed since
    the assessment opened), while reports may still be written. A report already written stays, with
    who wrote it. Returns how many organizations changed hands."""
    _run(scope, assessment)
    with transaction.atomic():
        assessment = _locked(assessment)
        expect_state(assessment.stage, expected_status)
        if assessment.stage not in rules.REPORT_STAGES:
            raise RuleViolation(_("评议已结束，述职人不再更新。"))
        targets = list(Target.objects.select_for_update().filter(assessment=assessment))
        serving = _secretaries([t.organization_id for t in targets])
        changed = [t for t in targets if serving.get(t.organization_id) != t.secretary_id]
        before = {t.organization_id: t.secretary_id for t in changed}
        for t in changed:
            t.secretary_id = serving.get(t.organization_id)
        Target.objects.bulk_update(changed, ["secretary"])
        audit.record(
            actor=actor,
            action="assessment.secretaries_refresh",
            target=assessment,
            org=assessment.organization,
            changes={str(t.organization_id): [before[t.organization_id], t.secretary_id] for t in changed},
        )
    return len(changed)


def reviewers_set(
    *, actor: Any, scope: Scope, assessment: Assessment, usernames: Sequence[str], expected_status: str | None
) -> list[Reviewer]:
    """The reviewers by login name (工号/学号), replacing the list. A reviewer who has already scored
    cannot be removed (their scores would be lost)."""
    _run(scope, assessment)
    wanted = list(dict.fromkeys(u.strip() for u in usernames if u.strip()))
    if not wanted:
        raise RuleViolation(_("请至少指定一名评议人。"), field="usernames")
    if len(wanted) > MAX_REVIEWERS:
        raise RuleViolation(_("评议人不能超过 %(n)s 名。") % {"n": MAX_REVIEWERS}, field="usernames")
    users = {u.username: u for u in get_user_model().objects.filter(username__in=wanted, is_active=True)}
    unknown = [u for u in wanted if u not in users]
    if unknown:
        raise RuleViolation(
            _("以下登录名没有有效账号：%(names)s") % {"names": "、".join(unknown[:20])}, field="usernames"
        )
    with transaction.atomic():
        assessment = _locked(assessment)
        expect_state(assessment.stage, expected_status)
        if assessment.stage not in rules.REPORT_STAGES:
            raise RuleViolation(_("评议已结束，不能再调整评议人。"))
        current = {
            r.user_id: r for r in Reviewer.objects.filter(assessment=assessment).select_related("user")
        }
        keep = {users[u].pk for u in wanted}
        removed = [r for uid, r in current.items() if uid not in keep]
        scored = [r.user.username for r in removed if r.scored_at]
        if scored:
            raise RuleViolation(
                _("以下评议人已提交评分，不能移除：%(names)s") % {"names": "、".join(scored)},
                field="usernames",
            )
        Reviewer.objects.filter(pk__in=[r.pk for r in removed]).delete()
        added = [Reviewer(assessment=assessment, user_id=uid) for uid in keep if uid not in current]
        Reviewer.objects.bulk_create(added)
        audit.record(
            actor=actor,
            action="assessment.reviewers_set",
            target=assessment,
            org=assessment.organization,
            changes={"added": len(added), "removed": len(removed), "count": len(keep)},
        )
        if added and assessment.stage == Stage.REVIEWING:
            _tell_reviewers(assessment, [r.user_id for r in added])
    return list(Reviewer.objects.filter(assessment=assessment).select_related("user"))


def _tell_reviewers(assessment: Assessment, user_ids: Sequence[int]) -> None:
    notify(
        get_user_model().objects.filter(pk__in=user_ids, is_active=True),
        "assessment",
        _("请为 %(org)s %(year)s 年度述职评议考核评分")
        % {"org": assessment.organization.name, "year": assessment.year},
        link=reverse("insights:assessment_score", args=[assessment.pk]),
    )


def report_submit(
    *, actor: Any, scope: Scope, target: Target, text: str, expected_status: str | None
) -> Target:
    """The 述职报告 of an assessed organization (written or rewritten until scoring ends)."""
    text = text.strip()
    if not text:
        raise RuleViolation(_("请填写述职报告。"), field="text")
    if len(text) > MAX_REPORT:
        raise RuleViolation(_("述职报告不能超过 %(n)s 字。") % {"n": MAX_REPORT}, field="text")
    if not access.may_report(scope, target):
        raise NotFound(_("未找到该考核。"))
    with transaction.atomic():
        assessment = _locked(target.assessment)
        target = Target.objects.select_for_update().get(pk=target.pk)
        expect_state(assessment.stage, expected_status)
        if assessment.stage not in rules.REPORT_STAGES:
            raise RuleViolation(_("评议已结束，述职报告不能再修改。"))
        rewritten = bool(target.report_at)
        target.report, target.report_at, target.report_by = text, timezone.now(), _actor(actor)
        target.save(update_fields=["report", "report_at", "report_by"])
        audit.record(
            actor=actor,
            action="assessment.report_submit",
            target=target,
            org=target.organization,
            changes={"length": len(text), "rewritten": rewritten},
        )
    return target


def scores_submit(
    *,
    actor: Any,
    scope: Scope,
    assessment: Assessment,
    scores: Mapping[int, Decimal | float],
    expected_status: str | None,
    on_behalf_of: int | None = None,
) -> int:
    """A reviewer's scores (by target id, 0–100), while the assessment is in 评议. A reviewer may score
    some organizations now and the rest later, and change a score until 评议 ends; each organization has
    at most one score from each reviewer. Returns how many scores were stored. (``on_behalf_of``: the
    reviewer's account when the platform itself scores, in the demo.)"""
    given = {int(k): Decimal(str(v)).quantize(Decimal("0.1")) for k, v in scores.items()}
    with transaction.atomic():
        assessment = _locked(assessment)
        reviewer = access.reviewer_of(scope, assessment, on_behalf_of)
        if reviewer is None:
            raise NotFound(_("你不是本次考核的评议人。"))
        reviewer = Reviewer.objects.select_for_update().select_related("user").get(pk=reviewer.pk)
        expect_state(assessment.stage, expected_status)
        if assessment.stage != Stage.REVIEWING:
            raise RuleViolation(_("当前不在评议阶段，不能评分。"), code="wrong_stage")
        rows = list(Target.objects.filter(assessment=assessment).values_list("pk", "secretary_id"))
        person_id = reviewer.user.person_id
        own = [pk for pk, secretary in rows if person_id and secretary == person_id]
        rules.check_review_scores([pk for pk, _s in rows], {k: float(v) for k, v in given.items()}, own)
        existing = {s.target_id: s for s in ReviewScore.objects.filter(reviewer=reviewer)}
        new, changed = [], []
        for target_id, value in given.items():
            row = existing.get(target_id)
            if row is None:
                new.append(ReviewScore(target_id=target_id, reviewer=reviewer, score=value))
            elif row.score != value:
                row.score = value
                changed.append(row)
        ReviewScore.objects.bulk_create(new)
        ReviewScore.objects.bulk_update(changed, ["score"])
        reviewer.scored_at = timezone.now()
        reviewer.save(update_fields=["scored_at"])
        audit.record(
            actor=actor,
            action="assessment.scores_submit",
            target=assessment,
            org=assessment.organization,
            # How many, never which organization got which score.
            changes={"scored": len(given), "new": len(new), "changed": len(changed)},
        )
    return len(given)


def _tally(assessment: Assessment) -> list[Target]:
    """Each target's reviewers' mean and count, total and proposed grade (stored)."""
    means = {
        r["target_id"]: r
        for r in ReviewScore.objects.filter(target__assessment=assessment)
        .values("target_id")
        .annotate(mean=Avg("score"), n=Count("id"))
    }
    targets = list(Target.objects.filter(assessment=assessment))
    for t in targets:
        row = means.get(t.pk)
        t.review_count = row["n"] if row else 0
        t.review_score = round(float(row["mean"]), 1) if row else None
        t.total = rules.total(t.indicator_score, t.review_score, assessment.indicator_weight)
        t.proposed_grade = rules.grade_for(t.total, _bands(assessment))
        t.grade = t.grade or t.proposed_grade
    Target.objects.bulk_update(targets, ["review_count", "review_score", "total", "proposed_grade", "grade"])
    return targets


def assessment_advance(
    *, actor: Any, scope: Scope, assessment: Assessment, expected_status: str | None
) -> Assessment:
    """述职 → 评议 (reviewers named; they are told) → 评定 (every organization scored by at least one
    reviewer; the totals and the grades the scheme gives are computed)."""
    _run(scope, assessment)
    with transaction.atomic():
        assessment = _locked(assessment)
        expect_state(assessment.stage, expected_status)
        following = rules.NEXT_STAGE.get(assessment.stage)
        if following is None:
            raise RuleViolation(_("当前阶段不能这样推进。"))
        reviewers = list(Reviewer.objects.filter(assessment=assessment).values_list("user_id", flat=True))
        if following == Stage.REVIEWING and not reviewers:
            raise RuleViolation(_("请先指定评议人。"), code="no_reviewers")
        if following == Stage.GRADING:
            unscored = Target.objects.filter(assessment=assessment, scores__isnull=True).count()
            if unscored:
                raise RuleViolation(
                    _("还有 %(n)s 个组织没有评议人评分，不能进入评定。") % {"n": unscored}, code="unscored"
                )
        before = assessment.stage
        assessment.stage = following
        assessment.save(update_fields=["stage"])
        counts: dict[str, Any] = {}
        if following == Stage.GRADING:
            targets = _tally(assessment)
            counts = {"graded": sum(1 for t in targets if t.proposed_grade)}
        audit.record(
            actor=actor,
            action="assessment.advance",
            target=assessment,
            org=assessment.organization,
            changes={"stage": [before, following], **counts},
        )
        if following == Stage.REVIEWING:
            _tell_reviewers(assessment, reviewers)
    return assessment


def grades_decide(
    *,
    actor: Any,
    scope: Scope,
    assessment: Assessment,
    grades: Mapping[int, tuple[str, str]],
    expected_status: str | None,
) -> int:
    """The committee's grades (target id → (grade, reason)): every organization one of 好/较好/一般/差;
    a grade other than the scheme's needs a reason. Returns how many differ from the scheme."""
    _run(scope, assessment)
    with transaction.atomic():
        assessment = _locked(assessment)
        expect_state(assessment.stage, expected_status)
        if assessment.stage != Stage.GRADING:
            raise RuleViolation(_("当前不在评定阶段。"), code="wrong_stage")
        targets = {
            t.pk: t for t in Target.objects.filter(assessment=assessment).select_related("organization")
        }
        if set(grades) - set(targets):
            raise RuleViolation(_("只能评定本次考核的被考核组织。"), code="not_target")
        missing = set(targets) - set(grades)
        if missing:
            raise RuleViolation(_("还有 %(n)s 个组织未评定等次。") % {"n": len(missing)}, code="incomplete")
        adjusted = 0
        for pk, (grade, reason) in grades.items():
            t = targets[pk]
            if grade not in Grade.values:
                raise RuleViolation(_("考核等次只能是“好”“较好”“一般”“差”之一。"), code="unknown_grade")
            reason = reason.strip()[:300]
            if grade != t.proposed_grade:
                if not reason:
                    raise RuleViolation(
                        _("%(org)s 的等次与按方案计算的“%(p)s”不同，请填写调整理由。")
                        % {
                            "org": t.organization.name,
                            "p": Grade(t.proposed_grade).label if t.proposed_grade else "—",
                        },
                        code="no_reason",
                    )
                adjusted += 1
            else:
                reason = ""
            t.grade, t.grade_reason = grade, reason
        Target.objects.bulk_update(list(targets.values()), ["grade", "grade_reason"])
        audit.record(
            actor=actor,
            action="assessment.grades_decide",
            target=assessment,
            org=assessment.organization,
            changes={"count": len(grades), "adjusted": adjusted},
        )
    return adjusted


def assessment_publish(
    *, actor: Any, scope: Scope, assessment: Assessment, expected_status: str | None
) -> Assessment:
    """Publish the grades (every organization graded): each assessed organization's 书记 is told."""
    _run(scope, assessment)
    with transaction.atomic():
        assessment = _locked(assessment)
        expect_state(assessment.stage, expected_status)
        if assessment.stage != Stage.GRADING:
            raise RuleViolation(_("当前不在评定阶段。"), code="wrong_stage")
        targets = list(Target.objects.filter(assessment=assessment).select_related("organization"))
        if any(not t.grade for t in targets):
            raise RuleViolation(_("还有组织未评定等次，不能公布。"), code="incomplete")
        assessment.stage = Stage.PUBLISHED
        assessment.published_at = timezone.now()
        assessment.save(update_fields=["stage", "published_at"])
        tally = {g: sum(1 for t in targets if t.grade == g) for g in Grade.values}
        audit.record(
            actor=actor,
            action="assessment.publish",
            target=assessment,
            org=assessment.organization,
            changes={"stage": [Stage.GRADING, Stage.PUBLISHED], **tally},
        )
        for t in targets:
            notify(
                secretary_users(t.organization),
                "assessment",
                _("%(year)s 年度述职评议考核结果：%(org)s 为“%(g)s”")
                % {"year": assessment.year, "org": t.organization.name, "g": Grade(t.grade).label},
                link=reverse("insights:assessment_target", args=[assessment.pk, t.pk]),
            )
    return assessment
