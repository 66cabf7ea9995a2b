"""Inserting many new rows at once: COPY on PostgreSQL, ``bulk_create`` elsewhere.

An import of 20,000 people writes 60,000 rows (the people, their history, the audit events). Django's
``bulk_create`` sends each batch as arrays that psycopg escapes value by value in Python — most of an
import's time. COPY streams the rows in PostgreSQL's own format; the primary keys are drawn from the
table's sequence first (one query), so the caller gets its objects back with their ids, as from
``bulk_create``. The objects are unsaved model instances, already validated by the caller's service:
like ``bulk_create``, this calls no ``save()`` and sends no signal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from operator import attrgetter
from typing import Any, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)

# Fields whose Python value psycopg writes as is (no get_db_prep_save needed).
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.DateField,  # and DateTimeField: aware datetimes go as they are
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
)


def _pre_saved(field: Any, obj: models.Model) -> Any:
    return field.pre_save(obj, True)


def _prepared(field: Any, obj: models.Model) -> Any:
    return field.get_db_prep_save(getattr(obj, field.attname), connection=connection)


def _column_values(model: type[models.Model]) -> tuple[list[str], list[Callable[[Any], Any]]]:
    """The columns of ``model`` (its primary key first) and, for each, how to get its value from an
    instance: the attribute, after ``pre_save`` for auto_now fields and ``get_db_prep_save`` for fields
    psycopg cannot take as they are (JSON, IP addresses…)."""
    columns: list[str] = []
    getters: list[Callable[[Any], Any]] = []
    for field in model._meta.local_concrete_fields:
        columns.append(field.column)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            getters.append(partial(_pre_saved, field))
        elif isinstance(field, _PLAIN):
            getters.append(attrgetter(field.attname))
        else:
            getters.append(partial(_prepared, field))
    return columns, getters


def insert_new(model: type[M], objs: Sequence[M], *, batch_size: int = 1000) -> list[M]:
    """Insert the unsaved ``objs`` of ``model`` (no pk set) and return them with their pks."""
    objs = list(objs)
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        return model._default_manager.bulk_create(objs, batch_size=batch_size)
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(objs)],
        )
        for obj, (pk_value,) in zip(objs, cursor.fetchall(), strict=True):
            setattr(obj, pk.attname, pk_value)
        columns, getters = _column_values(model)
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        with (
            connection.wrap_database_errors,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for obj in objs:
                copy.write_row([get(obj) for get in getters])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def update_existing(model: type[M], objs: Sequence[M], fields: Sequence[str]) -> int:
    """Write ``fields`` of the saved ``objs`` (their rows locked by the caller): on PostgreSQL by COPY
    into a temporary table and one ``UPDATE … FROM`` (Django's ``bulk_update`` builds a CASE per field
    and row); ``bulk_update`` elsewhere. auto_now fields among ``fields`` are set as ``save()`` would."""
    objs = list(objs)
    if not objs:
        return 0
    meta = model._meta
    chosen: list[Any] = [meta.get_field(name) for name in fields]
    for field in chosen:
        if getattr(field, "auto_now", False):
            for obj in objs:
                field.pre_save(obj, False)
    if connection.vendor != "postgresql":
        return model._default_manager.bulk_update(objs, fields, batch_size=500)
    pk: Any = meta.pk
    quote = connection.ops.quote_name
    columns: list[Any] = [pk, *chosen]
    getters: list[Callable[[Any], Any]] = [
        attrgetter(f.attname) if isinstance(f, _PLAIN) else partial(_prepared, f) for f in columns
    ]
    names = ", ".join(quote(f.column) for f in columns)
    table = quote(meta.db_table)
    scratch = quote(f"bulk_update_{meta.db_table}")
    key = quote(pk.column)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.execute(f"CREATE TEMP TABLE {scratch} ON COMMIT DROP AS SELECT {names} FROM {table} LIMIT 0")
        with cursor.cursor.copy(f"COPY {scratch} ({names}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([get(obj) for get in getters])
        sets = ", ".join(f"{quote(f.column)} = s.{quote(f.column)}" for f in columns[1:])
        cursor.execute(f"UPDATE {table} AS t SET {sets} FROM {scratch} AS s WHERE t.{key} = s.{key}")
        updated = cursor.rowcount
        cursor.execute(f"DROP TABLE {scratch}")
    return updated
