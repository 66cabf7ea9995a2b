"""A big import commit leaves the planner statistics of the tables it filled up to date (issue 20): it
runs ANALYZE on them once its transaction is committed, when it wrote ANALYZE_MIN_ROWS rows or more."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.audit.models import AuditEvent
from dangjian.core.models import Person
from dangjian.kit import planner
from tests.spreadsheets.test_people_import import row, summary, xlsx

FILLED = {"core_person", "core_historicalperson", "audit_auditevent"}


@pytest.mark.parametrize(("min_rows", "analysed"), [(3, True), (4, False)])
def test_commit_analyses_the_filled_tables_from_the_threshold_on(
    world, upload, settings, min_rows: int, analysed: bool
) -> None:
    settings.ANALYZE_MIN_ROWS = min_rows
    checked = upload(xlsx([row(1), row(2), row(3)]))
    with (
        mock.patch("dangjian.spreadsheets.engine.analyze", wraps=planner.analyze) as spy,
        CaptureQueriesContext(connection) as queries,
    ):
        done = upload.commit(checked)
    assert summary(done)["已新增"] == 3
    spy.assert_called_once_with(Person, Person.history.model, AuditEvent, rows=3)
    ran = {q["sql"].split('"')[1] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")}
    assert ran == (FILLED if analysed else set())


def test_dry_run_analyses_nothing(world, upload, settings) -> None:
    settings.ANALYZE_MIN_ROWS = 1
    with mock.patch("dangjian.spreadsheets.engine.analyze") as spy:
        checked = upload(xlsx([row(1), row(2)]))
    assert summary(checked)["新增"] == 2
    spy.assert_not_called()
