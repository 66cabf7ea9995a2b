"""Many rows at once with PostgreSQL's COPY: ``copy_insert`` for new model objects (their ids set
afterwards, simple-history rows if asked), ``copy_rows`` for plain tuples, ``update_existing`` for fields
of saved objects (COPY into a scratch table, one ``UPDATE … FROM``).

Django's ``bulk_create`` prepares every value of every row through the field API and, on PostgreSQL,
sends each batch as arrays that psycopg formats in Python: at 80,000 people and 300,000 dues entries
that is most of a demo seed. Here the ids come from the table's sequence in one query, only the values
that need it are prepared (JSON, custom fields), and the rows stream with ``COPY … FROM STDIN``, which
psycopg formats in C. Elsewhere (SQLite) both are ``bulk_create``. For seeds and set-based jobs that write
new rows only, and for imports whose services validated the objects first: no signals, no ``save()``, no
conflict handling — what ``bulk_create`` promises, no more (a unique clash raises IntegrityError).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.db import connection, models
from django.utils import timezone
from django.utils.functional import Promise

BATCH = 2000
M = TypeVar("M", bound=models.Model)

# Fields whose Python value is what the database stores (psycopg adapts int, str, bool, Decimal, date,
# aware datetime and None itself): copied as they are, without the field API. Any other field (JSON,
# UUID, custom) goes through ``get_db_prep_save``.
_PLAIN = (
    models.AutoField,
    models.BigAutoField,
    models.IntegerField,  # with its Big/Small/Positive kinds
    models.BooleanField,
    models.DateField,  # and DateTimeField
    models.DecimalField,
    models.CharField,  # and the text kinds built on it
    models.TextField,
    models.ForeignKey,  # and OneToOneField: the attname holds the id
)

Prepare = Callable[[Any], Any]


def _is_plain(field: models.Field[Any, Any]) -> bool:
    return isinstance(field, _PLAIN) and type(field).__module__.startswith("django.db.models.")


def _preparer(field: models.Field[Any, Any]) -> Prepare | None:
    """How to turn a Python value of ``field`` into what COPY takes; None when it takes it as it is."""
    if isinstance(field, models.CharField | models.TextField) and _is_plain(field):
        return _text
    if _is_plain(field):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _text(value: Any) -> Any:
    return str(value) if isinstance(value, Promise) else value  # a lazy translation: its text


def _stamped(field: models.Field[Any, Any]) -> bool:
    return isinstance(field, models.DateTimeField) and bool(field.auto_now or field.auto_now_add)


def _constant(field: models.Field[Any, Any], now: datetime) -> Any:
    """The value of a column left out of ``copy_rows``: its default, JSON as its text (dumped once, not
    once per row: COPY parses the text by the column's type)."""
    if _stamped(field):
        return now
    if isinstance(field, models.JSONField):
        return json.dumps(field.get_default(), cls=field.encoder)
    return field.get_db_prep_save(field.get_default(), connection)


def _copy(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    count = 0
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,  # a clash is Django's IntegrityError, as from bulk_create
        cursor.cursor.copy(sql) as copy,  # the psycopg cursor
    ):
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _writable(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if not f.generated]


def copy_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]], *, ready: bool = False
) -> int:
    """Insert rows given as tuples of values for ``fields`` (attnames, e.g. ``person_id``); every other
    column gets the field's default (``auto_now`` stamps: now), the id its sequence. Returns the count.
    ``ready``: the values are already what the database takes (plain str, int, bool, date, None), so
    none is prepared on the way — for millions of rows."""
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
        model.objects.bulk_create(objs, batch_size=BATCH)  # type: ignore[attr-defined]
        return len(objs)
    now = timezone.now()
    by_attname = {f.attname: f for f in _writable(model)}
    given = [by_attname[name] for name in fields]
    preparers = [None if ready else _preparer(f) for f in given]
    rest = [
        f
        for f in by_attname.values()
        if f.attname not in fields and not (f.primary_key and isinstance(f, models.AutoField))
    ]
    tail = [_constant(f, now) for f in rest]
    if any(preparers):

        def prepared(row: Sequence[Any]) -> list[Any]:
            return [v if p is None else p(v) for v, p in zip(row, preparers, strict=True)] + tail

        stream: Iterable[Sequence[Any]] = (prepared(row) for row in rows)
    else:
        stream = ([*row, *tail] for row in rows)
    return _copy(model._meta.db_table, [f.column for f in given + rest], stream)


def _reserve_ids(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    todo = [obj for obj in objs if obj.pk is None]
    if not todo:
        return
    pk = model._meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(model._meta.db_table), pk.column, len(todo)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
    for obj, pk_value in zip(todo, ids, strict=True):
        obj.pk = pk_value


def _getter(field: models.Field[Any, Any], now: datetime) -> Callable[[models.Model], Any]:
    attname = field.attname
    if _stamped(field):

        def stamped(obj: models.Model) -> Any:
            setattr(obj, attname, now)
            return now

        return stamped
    if field.is_relation:

        def related(obj: models.Model) -> Any:
            value = getattr(obj, attname)
            if value is None and field.is_cached(obj):  # type: ignore[attr-defined]
                target = field.get_cached_value(obj)  # type: ignore[attr-defined]
                value = None if target is None else target.pk  # saved since it was assigned
                setattr(obj, attname, value)
            return value

        return related
    prepare = _preparer(field)
    if prepare is None:
        return lambda obj: getattr(obj, attname)
    return lambda obj: prepare(getattr(obj, attname))


def copy_insert(model: type[M], objs: Sequence[M], *, history: bool = False) -> list[M]:
    """Insert the new ``objs`` of ``model`` and return them; afterwards each has its pk, as after
    ``bulk_create``. With ``history``, also one simple-history "+" row each (no user), as
    ``bulk_create_with_history`` writes them — for seeds; a service writes its own history rows."""
    objs = list(objs)
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=BATCH)
        if history:
            model.history.bulk_history_create(objs, batch_size=BATCH)  # type: ignore[attr-defined]
        return objs
    now = timezone.now()
    _reserve_ids(model, objs)
    fields = _writable(model)
    getters = [_getter(f, now) for f in fields]
    rows = [[get(obj) for get in getters] for obj in objs]
    _copy(model._meta.db_table, [f.column for f in fields], rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    if history:
        _copy_history(model, [f.attname for f in fields], rows, now)
    return objs


def _copy_history(
    model: type[models.Model], attnames: list[str], rows: list[list[Any]], now: datetime
) -> None:
    historical = model.history.model  # type: ignore[attr-defined]
    position = {a: i for i, a in enumerate(attnames)}
    tracked = [f.attname for f in historical.tracked_fields]
    column = {f.attname: f.column for f in historical._meta.concrete_fields}
    extra = {"history_date": now, "history_change_reason": "", "history_type": "+", "history_user_id": None}
    picks = [position[a] for a in tracked]
    tail = list(extra.values())
    _copy(
        historical._meta.db_table,
        [column[a] for a in tracked] + [column[a] for a in extra],
        ([row[i] for i in picks] + tail for row in rows),
    )


def _value_of(field: models.Field[Any, Any]) -> Callable[[models.Model], Any]:
    """The stored value of ``field`` on a saved object, prepared for COPY (no stamping: the caller has
    applied ``pre_save`` where ``save()`` would)."""
    attname, prepare = field.attname, _preparer(field)
    if prepare is None:
        return lambda obj: getattr(obj, attname)
    return lambda obj: prepare(getattr(obj, attname))


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
    getters = [_value_of(f) for f in columns]
    names = ", ".join(quote(f.column) for f in columns)
    table = quote(meta.db_table)
    scratch = quote(f"bulk_update_{meta.db_table}")
    key = quote(pk.column)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.execute(f"CREATE TEMP TABLE {scratch} ON COMMIT DROP AS SELECT {names} FROM {table} LIMIT 0")
    rows = ([get(obj) for get in getters] for obj in objs)
    _copy(f"bulk_update_{meta.db_table}", [f.column for f in columns], rows)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        sets = ", ".join(f"{quote(f.column)} = s.{quote(f.column)}" for f in columns[1:])
        cursor.execute(f"UPDATE {table} AS t SET {sets} FROM {scratch} AS s WHERE t.{key} = s.{key}")
        updated = cursor.rowcount
        cursor.execute(f"DROP TABLE {scratch}")
    return updated
