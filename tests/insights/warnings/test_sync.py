"""The nightly run: findings become alerts, are refreshed while found, marked cleared when gone, and a
case found again after its alert was closed raises a new one; one notice per organization per run."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from dangjian import hooks
from dangjian.audit.models import AuditEvent
from dangjian.core.models import Membership
from dangjian.hooks import WarningSource
from dangjian.insights.models import Alert, AlertStatus
from dangjian.insights.warnings import services
from dangjian.insights.warnings.tasks import sync_alerts
from dangjian.workbench.models import Notification
from tests.insights.warnings.conftest import TODAY, FakeSource, finding

pytestmark = pytest.mark.django_db
TOMORROW = TODAY + timedelta(days=1)


def _sync(fake: FakeSource, today=TODAY) -> services.SyncResult:
    return services.alerts_sync(today=today, sources=[fake.source])


def test_a_new_finding_raises_an_open_alert_with_what_it_says(world, fake) -> None:
    fake.cases = [
        finding(world.cs_branch, "person:1", person_id=world.member.pk, level="serious", url="/people/1/")
    ]
    result = _sync(fake)
    alert = Alert.objects.get()
    assert (alert.source, alert.key, alert.status) == ("test.fake", "person:1", AlertStatus.OPEN)
    assert (alert.organization, alert.person, alert.level) == (world.cs_branch, world.member, "serious")
    assert alert.raised_on == alert.last_seen_on == TODAY and alert.cleared_on is None
    assert alert.url == "/people/1/"
    assert result.sources["test.fake"].new == 1 and result.new_by_org == {world.cs_branch.pk: 1}


def test_each_run_is_audited_once_per_source_with_its_counts(world, fake) -> None:
    fake.cases = [finding(world.cs_branch, "a"), finding(world.cs_branch, "b")]
    _sync(fake)
    fake.cases = [finding(world.cs_branch, "a")]
    _sync(fake, TOMORROW)
    events = list(AuditEvent.objects.filter(action="insights.warnings_sync").order_by("pk"))
    assert [(e.changes["new"], e.changes["refreshed"], e.changes["cleared"]) for e in events] == [
        (2, 0, 0),
        (0, 1, 1),
    ]
    assert events[0].changes["source"] == "test.fake" and events[0].actor is None


def test_a_case_found_again_refreshes_its_one_alert(world, fake) -> None:
    fake.cases = [finding(world.cs_branch, "a", summary="缺 2 个月")]
    _sync(fake)
    first = Alert.objects.get()
    fake.cases = [finding(world.cs_branch2, "a", summary="缺 3 个月", level="serious", detail={"月数": 3})]
    _sync(fake, TOMORROW)
    alert = Alert.objects.get()
    assert alert.pk == first.pk
    assert (alert.summary, alert.level, alert.organization_id) == (
        "缺 3 个月",
        "serious",
        world.cs_branch2.pk,
    )
    assert alert.detail == {"月数": 3}
    assert alert.raised_on == TODAY and alert.last_seen_on == TOMORROW


def test_a_run_twice_the_same_day_raises_nothing_new(world, fake) -> None:
    fake.cases = [finding(world.cs_branch, "a")]
    _sync(fake)
    result = _sync(fake)
    assert Alert.objects.count() == 1 and result.new == 0


def test_a_case_no_longer_found_is_marked_cleared_and_stays_open(world, fake) -> None:
    fake.cases = [finding(world.cs_branch, "a"), finding(world.cs_branch, "b")]
    _sync(fake)
    fake.cases = [finding(world.cs_branch, "a")]
    _sync(fake, TOMORROW)
    gone = Alert.objects.get(key="b")
    assert gone.status == AlertStatus.OPEN and gone.cleared_on == TOMORROW
    assert Alert.objects.get(key="a").cleared_on is None
    # still gone a day later: the day it stopped being found stays
    _sync(fake, TOMORROW + timedelta(days=1))
    assert Alert.objects.get(key="b").cleared_on == TOMORROW


def test_a_cleared_case_that_comes_back_is_no_longer_cleared(world, fake) -> None:
    fake.cases = [finding(world.cs_branch, "a")]
    _sync(fake)
    fake.cases = []
    _sync(fake, TOMORROW)
    fake.cases = [finding(world.cs_branch, "a")]
    _sync(fake, TOMORROW + timedelta(days=1))
    alert = Alert.objects.get()
    assert alert.cleared_on is None and alert.last_seen_on == TOMORROW + timedelta(days=1)


def test_a_case_found_after_its_alert_was_closed_raises_a_new_alert(world, fake, college_organizer) -> None:
    from dangjian.accounts.scope import Scope

    fake.cases = [finding(world.cs_branch, "a")]
    _sync(fake)
    old = Alert.objects.get()
    services.alert_close(
        actor=college_organizer, scope=Scope.system(), alert=old, note="已谈话", expected_status="open"
    )
    _sync(fake, TOMORROW)
    assert Alert.objects.filter(key="a").count() == 2
    new = Alert.objects.exclude(pk=old.pk).get()
    assert new.status == AlertStatus.OPEN and new.raised_on == TOMORROW
    old.refresh_from_db()
    assert old.status == AlertStatus.CLOSED and old.last_seen_on == TODAY


def test_a_closed_alert_is_not_marked_cleared(world, fake) -> None:
    from dangjian.accounts.scope import Scope

    fake.cases = [finding(world.cs_branch, "a")]
    _sync(fake)
    alert = Alert.objects.get()
    services.alert_close(actor=None, scope=Scope.system(), alert=alert, note="已处理", expected_status="open")
    fake.cases = []
    _sync(fake, TOMORROW)
    alert.refresh_from_db()
    assert alert.cleared_on is None


def test_a_source_that_raises_is_skipped_and_the_others_go_on(world, fake, caplog) -> None:
    def broken(today):
        raise RuntimeError("boom")

    bad = WarningSource(
        "test.broken", "坏来源", count=lambda s: 0, url_name="insights:warnings", findings=broken
    )
    fake.cases = [finding(world.cs_branch, "a")]
    with caplog.at_level(logging.ERROR):
        result = services.alerts_sync(today=TODAY, sources=[bad, fake.source])
    assert result.failed == ["test.broken"]
    assert Alert.objects.filter(source="test.fake").count() == 1
    assert "test.broken" in caplog.text


def test_the_run_reads_the_registry_and_skips_sources_that_only_count(world, fake) -> None:
    counted = WarningSource("test.counted", "只计数", count=lambda s: 3, url_name="insights:warnings")
    fake.cases = [finding(world.cs_branch, "a")]
    with hooks.warnings.contributed(counted):
        result = services.alerts_sync(today=TODAY)
    assert "test.fake" in result.sources and "test.counted" not in result.sources
    assert not Alert.objects.filter(source="test.counted").exists()


def test_bad_findings_are_cleaned_not_stored_as_they_came(world, fake) -> None:
    fake.cases = [
        finding(world.cs_branch, "a", level="nonsense", url="https://evil.example/"),
        finding(world.cs_branch, "b", person_id=999999),
        type(finding(world.cs_branch, "c"))(key="c", organization_id=999999, summary="无组织", rule="r"),
    ]
    result = _sync(fake)
    a = Alert.objects.get(key="a")
    assert a.level == "warning" and a.url == ""
    assert Alert.objects.get(key="b").person_id is None
    assert not Alert.objects.filter(key="c").exists() and result.sources["test.fake"].dropped == 1


def test_each_organization_with_new_alerts_is_told_once(
    world, fake, branch_secretary, college_organizer, outsider_organizer
) -> None:
    fake.cases = [
        finding(world.cs_branch, "a"),
        finding(world.cs_branch, "b"),
        finding(world.cs, "c"),  # the committee: its organizers
        finding(world.fl_branch, "d"),  # no secretary: the organizers above
    ]
    result = _sync(fake)
    assert result.notified == 3
    mine = Notification.objects.filter(recipient=branch_secretary)
    assert mine.count() == 1
    note = mine.get()
    assert "2 条新预警" in note.title and note.link.endswith(f"?branch={world.cs_branch.pk}")
    assert Notification.objects.get(recipient=college_organizer).link.endswith(f"?college={world.cs.pk}")
    assert Notification.objects.filter(recipient=outsider_organizer).count() == 1
    # nothing new the next day: nobody is told again
    _sync(fake, TOMORROW)
    assert Notification.objects.count() == 3


def test_the_run_never_touches_a_membership(world, fake) -> None:
    before = list(Membership.objects.order_by("pk").values_list("pk", "standing", "organization_id"))
    fake.cases = [finding(world.cs_branch, "a", person_id=world.member.pk, level="serious")]
    _sync(fake)
    assert list(Membership.objects.order_by("pk").values_list("pk", "standing", "organization_id")) == before


def test_the_nightly_task_runs_the_sync(world, fake) -> None:
    fake.cases = [finding(world.cs_branch, "a")]
    assert sync_alerts(TODAY.isoformat())["new"] == 1
    assert fake.calls == 1


def test_the_task_is_in_the_beat_schedule() -> None:
    from config.celery import beat_schedule

    assert beat_schedule()["insights-warnings-sync"]["task"] == "dangjian.insights.warnings.tasks.sync_alerts"


def test_the_run_is_set_based_whatever_the_number_of_cases(
    world, fake, branch_secretary, django_assert_max_num_queries
) -> None:
    """300 cases: a few statements per 500 (lock, insert, update, audit) and one notice, not a query
    per case. (SQLite inserts about 60 alerts a statement, under its bound on parameters: 5 here.)"""
    fake.cases = [finding(world.cs_branch, f"k{i}", person_id=world.member.pk) for i in range(300)]
    with django_assert_max_num_queries(22):
        _sync(fake)
    fake.cases = [
        finding(world.cs_branch, f"k{i}", summary="变了" if i % 2 else f"情况 k{i}") for i in range(150)
    ]
    with django_assert_max_num_queries(15):
        result = _sync(fake, TOMORROW)
    run = result.sources["test.fake"]
    assert (run.new, run.refreshed, run.cleared) == (0, 150, 150)
    assert Alert.objects.filter(cleared_on=TOMORROW).count() == 150
