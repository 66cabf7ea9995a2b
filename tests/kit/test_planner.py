"""Planner statistics after bulk writes: analysed above the threshold, at the commit; the report."""

from __future__ import annotations

import pytest
from django.db import connection

from dangjian.core.models import Organization, Person
from dangjian.kit.planner import analyze, never_analysed

pytestmark = pytest.mark.django_db


def test_below_the_threshold_nothing_is_analysed(settings) -> None:
    settings.ANALYZE_MIN_ROWS = 1000
    assert analyze(Person, rows=999) == []


def test_at_the_threshold_the_tables_are_analysed_at_the_commit(
    settings, django_capture_on_commit_callbacks
) -> None:
    settings.ANALYZE_MIN_ROWS = 1000
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tables = analyze(Person, Organization, "core_membership", rows=1000)
    assert tables == ["core_membership", "core_organization", "core_person"]
    assert len(callbacks) == 1  # one callback for all tables, run after the transaction


def test_without_a_row_count_it_always_analyses(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert analyze(Person) == ["core_person"]


def test_the_never_analysed_report_is_a_list_of_table_names() -> None:
    found = never_analysed()
    assert isinstance(found, list)
    if connection.vendor != "postgresql":
        assert found == []
