"""PostgreSQL runs the pages' queries without JIT compiling (config/settings.py, DATABASE_JIT)."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_does_not_jit_compile_page_queries() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
