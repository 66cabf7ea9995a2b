"""Study plans: courses an organization assigns to the members of its subtree by a deadline, and the
reminders before it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, PoliticalStatus
from dangjian.kit.errors import NotFound, RuleViolation
from dangjian.learning.library.models import (
    Course,
    StudyPlan,
)
from dangjian.learning.library.services._common import _actor, may_publish

PLAN_STATUSES = ("", *[s for s, _l in PoliticalStatus.choices if s not in ("masses", "applicant")])


def plan_create(
    *,
    actor: Any,
    scope: Scope,
    organization: Organization,
    title: str,
    deadline: date,
    courses: list[Course],
    political_status: str = "",
    today: date,
) -> StudyPlan:
    """Assign ``courses`` to the members of ``organization``'s subtree (or those of one status)."""
    if not may_publish(scope, organization):
        raise NotFound(_("未找到该党组织"))
    if not title.strip():
        raise RuleViolation(_("请填写计划名称"), field="title")
    if deadline < today:
        raise RuleViolation(_("完成期限不能早于今天"), field="deadline")
    if political_status not in PLAN_STATUSES:
        raise RuleViolation(_("请选择学习对象"), field="political_status")
    if not courses:
        raise RuleViolation(_("请至少选择一门课程"), field="courses")
    unpublished = [c.title for c in courses if not c.published]
    if unpublished:
        raise RuleViolation(_("课程尚未发布：%(t)s") % {"t": "、".join(unpublished)}, field="courses")
    with transaction.atomic():
        plan = StudyPlan.objects.create(
            title=title.strip()[:120],
            organization=organization,
            political_status=political_status,
            deadline=deadline,
            created_by=_actor(actor),
        )
        plan.courses.set(courses)
        audit.record(
            actor=actor,
            action="learning.plan_create",
            target=plan,
            org=organization,
            changes={
                "title": plan.title,
                "deadline": deadline,
                "courses": [c.pk for c in courses],
                "political_status": political_status,
            },
        )
    return plan


def plan_reminders_send(*, today: date) -> int:
    """Remind the people of each plan due within the policy's days who have not finished its courses,
    once per plan and person (a second run the same day, or the next, sends nothing new). People
    without an account are only on their organizers' list. Returns the people reminded; audited once."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef
    from django.urls import reverse

    from dangjian.learning.library.models import PlanReminder
    from dangjian.learning.library.selectors import plan_unfinished
    from dangjian.policy import get_policy
    from dangjian.workbench.services import notify

    until = today + timedelta(days=get_policy().study_plan_reminder_days)
    plans = list(
        StudyPlan.objects.filter(deadline__gte=today, deadline__lte=until).select_related("organization")
    )
    users = get_user_model()
    link = reverse("learning:me")
    sent = 0
    for plan in plans:
        pending = list(
            plan_unfinished(plan)
            .exclude(Exists(PlanReminder.objects.filter(plan=plan, person_id=OuterRef("pk"))))
            .values_list("pk", flat=True)
        )
        for start in range(0, len(pending), 2000):
            chunk = pending[start : start + 2000]
            with transaction.atomic():
                PlanReminder.objects.bulk_create(
                    [PlanReminder(plan=plan, person_id=pid) for pid in chunk], ignore_conflicts=True
                )
                notify(
                    users.objects.filter(person_id__in=chunk, is_active=True),
                    "learning",
                    _("学习计划即将到期：%(t)s") % {"t": plan.title},
                    body=_("请在 %(d)s 前学完计划中的课程，可在“我的学习”查看进度。") % {"d": plan.deadline},
                    link=link,
                )
            sent += len(chunk)
    if sent:
        with transaction.atomic():
            audit.record(
                actor=None,
                action="learning.plan_reminders",
                target=None,
                org=None,
                changes={"plans": [p.pk for p in plans], "people": sent, "on": today},
            )
    return sent
