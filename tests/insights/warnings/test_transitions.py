"""People move a warning: 我来处理 (open → 处理中) and close with a note (→ 已关闭), each step checked
against the state the page showed, under the row lock, audited with before and after."""

from __future__ import annotations

import pytest

from dangjian.accounts.scope import resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.core.models import Membership
from dangjian.insights.models import AlertStatus
from dangjian.insights.warnings import services
from dangjian.kit.errors import NotFound, RuleViolation, StaleState
from tests.insights.warnings.conftest import make_alert

pytestmark = pytest.mark.django_db


def test_take_moves_an_open_alert_to_handling_audited(world, branch_secretary) -> None:
    alert = make_alert(world.cs_branch)
    scope = resolve_scope(branch_secretary)
    services.alert_take(actor=branch_secretary, scope=scope, alert=alert, expected_status="open")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.HANDLING and alert.handled_by == branch_secretary
    event = AuditEvent.objects.get(action="insights.alert_take")
    assert event.changes["status"] == {"before": "open", "after": "handling"}
    assert event.org_path == world.cs_branch.path


def test_a_second_take_is_refused_as_stale(world, branch_secretary) -> None:
    alert = make_alert(world.cs_branch)
    scope = resolve_scope(branch_secretary)
    services.alert_take(actor=branch_secretary, scope=scope, alert=alert, expected_status="open")
    with pytest.raises(StaleState):
        services.alert_take(actor=branch_secretary, scope=scope, alert=alert, expected_status="open")
    assert AuditEvent.objects.filter(action="insights.alert_take").count() == 1


@pytest.mark.parametrize("start", [AlertStatus.OPEN, AlertStatus.HANDLING])
def test_close_with_a_note_from_open_or_handling(world, college_organizer, start) -> None:
    alert = make_alert(world.cs_branch, status=start)
    services.alert_close(
        actor=college_organizer,
        scope=resolve_scope(college_organizer),
        alert=alert,
        note="  已谈心谈话，本人已补交  ",
        expected_status=start,
    )
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED and alert.note == "已谈心谈话，本人已补交"
    assert alert.handled_by == college_organizer and alert.handled_at is not None
    event = AuditEvent.objects.get(action="insights.alert_close")
    assert event.changes["status"] == {"before": start, "after": "closed"}


@pytest.mark.parametrize("note", ["", "   "])
def test_close_without_a_note_is_refused_and_writes_nothing(world, college_organizer, note) -> None:
    alert = make_alert(world.cs_branch)
    with pytest.raises(RuleViolation) as refused:
        services.alert_close(
            actor=college_organizer,
            scope=resolve_scope(college_organizer),
            alert=alert,
            note=note,
            expected_status="open",
        )
    assert refused.value.field == "note" and "处理情况" in refused.value.message
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN and not AuditEvent.objects.filter(action="insights.alert_close")


def test_a_double_close_has_one_effect(world, college_organizer) -> None:
    alert = make_alert(world.cs_branch)
    scope = resolve_scope(college_organizer)
    services.alert_close(actor=college_organizer, scope=scope, alert=alert, note="一", expected_status="open")
    with pytest.raises(StaleState):
        services.alert_close(
            actor=college_organizer, scope=scope, alert=alert, note="二", expected_status="open"
        )
    alert.refresh_from_db()
    assert alert.note == "一" and AuditEvent.objects.filter(action="insights.alert_close").count() == 1


def test_a_closed_alert_cannot_be_taken_or_closed_even_without_an_expectation(
    world, college_organizer
) -> None:
    alert = make_alert(world.cs_branch, status=AlertStatus.CLOSED)
    scope = resolve_scope(college_organizer)
    with pytest.raises(RuleViolation):
        services.alert_take(actor=college_organizer, scope=scope, alert=alert, expected_status=None)
    with pytest.raises(RuleViolation):
        services.alert_close(
            actor=college_organizer, scope=scope, alert=alert, note="x", expected_status=None
        )


def test_an_outsider_may_not_take_or_close(world, outsider_organizer, member_user) -> None:
    alert = make_alert(world.cs_branch)
    for user in (outsider_organizer, member_user):
        scope = resolve_scope(user)
        with pytest.raises(NotFound):
            services.alert_take(actor=user, scope=scope, alert=alert, expected_status="open")
        with pytest.raises(NotFound):
            services.alert_close(actor=user, scope=scope, alert=alert, note="x", expected_status="open")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_a_secretary_handles_only_the_branch_s_own_alerts(world, branch_secretary) -> None:
    college_alert = make_alert(world.cs, "college")
    with pytest.raises(NotFound):
        services.alert_take(
            actor=branch_secretary,
            scope=resolve_scope(branch_secretary),
            alert=college_alert,
            expected_status="open",
        )


def test_closing_never_touches_the_member(world, college_organizer) -> None:
    before = list(Membership.objects.order_by("pk").values_list("pk", "standing", "organization_id"))
    alert = make_alert(world.cs_branch, person=world.member, level="serious")
    services.alert_close(
        actor=college_organizer,
        scope=resolve_scope(college_organizer),
        alert=alert,
        note="已报上级党委",
        expected_status="open",
    )
    assert list(Membership.objects.order_by("pk").values_list("pk", "standing", "organization_id")) == before
