"""The dashboard digest is cached per scope when DASHBOARD_CACHE_SECONDS is set (province scale)."""

from __future__ import annotations

from django.core.cache import cache

from dangjian.accounts.scope import resolve_scope
from dangjian.core.selectors import dashboard_counts, rule_check_digest


def test_digest_and_counts_are_computed_once_per_scope(
    world, school_admin, settings, django_assert_num_queries
) -> None:
    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    scope = resolve_scope(school_admin)
    first = rule_check_digest(scope)
    counts = dashboard_counts(scope)
    fresh = resolve_scope(school_admin)  # another request of the same user: same scope, no memo
    with django_assert_num_queries(0):
        again = rule_check_digest(fresh)
        assert dashboard_counts(fresh) == counts
    assert (again.total, again.danger, [s.org.pk for s in again.top]) == (
        first.total,
        first.danger,
        [s.org.pk for s in first.top],
    )
    cache.clear()


def test_the_warming_task_fills_the_cache_for_organizers(
    world, school_admin, college_organizer, settings, django_assert_num_queries
) -> None:
    from dangjian.core.tasks import warm_dashboards

    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    assert warm_dashboards() == 2  # the school's scope and the college's
    scope = resolve_scope(college_organizer)
    with django_assert_num_queries(0):
        rule_check_digest(scope)
        dashboard_counts(scope)
    cache.clear()
