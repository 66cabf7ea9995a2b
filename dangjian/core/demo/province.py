"""`seed_demo --size province`: a province's Party organizations in higher education, on PostgreSQL.

1,014,000 members and 312,000 non-members in 39,000 branches under 3,000 committees, generated inside
the database (INSERT … SELECT over generate_series: nothing crosses the wire, faster than COPY from
Python). Stage by stage: a stage whose rows are all there is skipped, so an interrupted run resumes.

Names are drawn from the demo name lists with their pinyin joined in SQL, so search by initials works.
Every person then gets a valid, unique ID number (encrypted with the field key, with its blind index and
masked form, as the ORM stores it) and a phone: Python work, in batches in parallel worker processes
(``province_identities``), resumable. Then every module adds its year of data (meetings and attendance,
dues bills and payments, recruitment cases, transfers, training) through ``hooks.DemoSeeder.province``,
in seeding order, each as resumable stages; ANALYZE comes last.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, models, transaction

from dangjian import hooks
from dangjian.core.demo.names import GIVEN_CHARS_FEMALE, GIVEN_CHARS_MALE, SURNAMES
from dangjian.core.demo.province_identities import fill_identities
from dangjian.core.models import Membership, Organization, Person, Position
from dangjian.core.pinyin import name_initials, name_pinyin
from dangjian.hooks.seeding import seeding_order

COMMITTEES = 3_000
BRANCHES_PER_COMMITTEE = 13  # 39,000 branches
MEMBERS_PER_BRANCH = 26
NON_MEMBERS_PER_BRANCH = 8


def columns(model: Any, given: dict[str, str]) -> tuple[str, str]:
    """Every concrete column of the model: the given SQL expression, or a neutral value for the rest."""
    names, values = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        names.append(connection.ops.quote_name(f.column))  # "on" is a reserved word
        if f.name in given:
            values.append(given[f.name])
        elif f.null:
            values.append("NULL")
        elif isinstance(f, models.BooleanField):
            values.append("true")
        elif isinstance(f, models.DateTimeField):
            values.append("now()")
        elif isinstance(f, models.JSONField):
            values.append("'{}'::jsonb")
        elif isinstance(f, models.IntegerField | models.DecimalField):
            values.append("0")
        else:
            values.append("''")
    return ", ".join(names), ", ".join(values)


def bulk_load(cursor: Any) -> None:
    """Inside a stage's transaction: skip the foreign-key triggers when the role may (a superuser). The
    stages derive every key from rows that exist, and at province size the per-row checks of the deferred
    foreign keys cost as much as the inserts themselves."""
    cursor.execute("SELECT current_setting('is_superuser') = 'on'")
    if cursor.fetchone()[0]:
        cursor.execute("SET LOCAL session_replication_role = replica")
    cursor.execute("SET LOCAL synchronous_commit = off")


_DEFERRED: list[tuple[list[str], tuple[str, ...]]] = []  # the tables of the open indexes_deferred blocks


@contextmanager
def indexes_deferred(
    tables: list[str], log: Callable[[str], None] = print, *, keep: tuple[str, ...] = ()
) -> Iterator[None]:
    """Inside: the first stage that has work drops the plain (non-unique) indexes of ``tables``; after:
    they are built again — one sorted build costs a fraction of millions of row-by-row insertions. The
    definitions are kept in a table first, so a run interrupted inside builds them at its end, and a run
    with nothing to do touches no index. ``keep`` names indexes the stages inside need."""
    _DEFERRED.append((tables, keep))
    try:
        yield
    finally:
        _DEFERRED.pop()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('province_deferred_index') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return
        cursor.execute(
            "SELECT indexname, indexdef FROM province_deferred_index WHERE tablename = ANY(%s)", [tables]
        )
        for name, definition in cursor.fetchall():
            start = time.perf_counter()
            cursor.execute(definition)
            cursor.execute("DELETE FROM province_deferred_index WHERE indexname = %s", [name])
            log(f"  index {name}: built in {time.perf_counter() - start:.1f} s")


def drop_deferred_indexes() -> None:
    """What a stage does before it writes (for work done outside ``stage``): drop the deferred indexes."""
    with connection.cursor() as cursor:
        _drop_deferred(cursor)


def _drop_deferred(cursor: Any) -> None:
    for tables, keep in _DEFERRED:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS province_deferred_index (tablename text, indexname text PRIMARY KEY, "
            "indexdef text)"
        )
        cursor.execute(
            "INSERT INTO province_deferred_index SELECT t.relname, i.relname, pg_get_indexdef(x.indexrelid) "
            "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
            "WHERE t.relname = ANY(%s) AND NOT x.indisunique AND NOT x.indisprimary "
            "AND t.relnamespace = 'public'::regnamespace AND i.relname <> ALL(%s) ON CONFLICT DO NOTHING",
            [tables, list(keep)],
        )
        cursor.execute(
            "SELECT indexname FROM province_deferred_index WHERE tablename = ANY(%s) "
            "AND to_regclass(quote_ident(indexname)) IS NOT NULL",
            [tables],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")


def stage(
    label: str,
    count_sql: str,
    expected: int,
    sql: str,
    params: Any = None,
    log: Callable[[str], None] = print,
) -> None:
    """Run ``sql`` unless ``count_sql`` already finds ``expected`` rows (resume after an interruption)."""
    with connection.cursor() as cursor:
        cursor.execute(count_sql)
        have = cursor.fetchone()[0]
        if have >= expected:
            log(f"  {label}: {have} rows already there, skipped")
            return
        if have:
            raise RuntimeError(
                f"{label}: {have} of {expected} rows: a stage is all or nothing, this is unexpected"
            )
        _drop_deferred(cursor)
        start = time.perf_counter()
        with transaction.atomic():
            bulk_load(cursor)
            cursor.execute(sql, params)
        log(f"  {label}: {expected} rows in {time.perf_counter() - start:.1f} s")


def stage_unless(
    label: str,
    done_sql: str,
    run: str | Callable[[], Any],
    params: Any = None,
    log: Callable[[str], None] = print,
) -> bool:
    """Run ``run`` (SQL, or a function) in one transaction unless ``done_sql`` answers true, both with
    ``params``: for stages whose row count is not known in advance. Returns whether it ran."""
    with connection.cursor() as cursor:
        cursor.execute(done_sql, params)
        if cursor.fetchone()[0]:
            log(f"  {label}: already there, skipped")
            return False
        _drop_deferred(cursor)
        start = time.perf_counter()
        with transaction.atomic():
            bulk_load(cursor)
            if callable(run):
                run()
            else:
                cursor.execute(run, params)
        log(f"  {label}: {time.perf_counter() - start:.1f} s")
    return True


def _name_arrays() -> dict[str, list[str]]:
    return {
        "sur": list(SURNAMES),
        "sur_py": [name_pinyin(c) for c in SURNAMES],
        "male": list(GIVEN_CHARS_MALE),
        "male_py": [name_pinyin(c) for c in GIVEN_CHARS_MALE],
        "female": list(GIVEN_CHARS_FEMALE),
        "female_py": [name_pinyin(c) for c in GIVEN_CHARS_FEMALE],
        "sur_i": [name_initials(c) for c in SURNAMES],
        "male_i": [name_initials(c) for c in GIVEN_CHARS_MALE],
        "female_i": [name_initials(c) for c in GIVEN_CHARS_FEMALE],
    }


def generate(log: Callable[[str], None] = print, *, workers: int | None = None) -> dict[str, int]:
    if connection.vendor != "postgresql":
        raise RuntimeError("省级规模数据只支持 PostgreSQL (province size needs PostgreSQL)")
    org, person, member, position = (m._meta.db_table for m in (Organization, Person, Membership, Position))
    branches = COMMITTEES * BRANCHES_PER_COMMITTEE
    per_branch = MEMBERS_PER_BRANCH + NON_MEMBERS_PER_BRANCH
    people = branches * per_branch
    members = branches * MEMBERS_PER_BRANCH
    log(f"province: {COMMITTEES} committees, {branches} branches, {members} members, {people} people")

    cols, vals = columns(
        Organization,
        {
            "path": "'0001'",
            "depth": "1",
            "numchild": str(COMMITTEES),
            "kind": "'committee'",
            "code": "'PROV'",
            "name": "'中共示范省委教育工作委员会'",
            "short_name": "'省委教育工委'",
        },
    )
    stage(
        "root",
        f"SELECT count(*) FROM {org} WHERE depth = 1",
        1,
        f"INSERT INTO {org} ({cols}) VALUES ({vals})",
        log=log,
    )
    cols, vals = columns(
        Organization,
        {
            "path": "'0001' || lpad(c::text, 4, '0')",
            "depth": "2",
            "numchild": str(BRANCHES_PER_COMMITTEE),
            "kind": "'committee'",
            "code": "'U' || lpad(c::text, 4, '0')",
            "name": "'中共示范省第' || c || '高校委员会'",
            "short_name": "'高校' || c || '党委'",
            "term_started_on": "date '2024-03-01'",
            "term_years": "5",
        },
    )
    stage(
        "committees",
        f"SELECT count(*) FROM {org} WHERE depth = 2",
        COMMITTEES,
        f"INSERT INTO {org} ({cols}) SELECT {vals} FROM generate_series(1, {COMMITTEES}) c",
        log=log,
    )
    cols, vals = columns(
        Organization,
        {
            "path": "'0001' || lpad(c::text, 4, '0') || lpad(b::text, 4, '0')",
            "depth": "3",
            "numchild": "0",
            "kind": "'branch'",
            "category": "CASE WHEN b <= 4 THEN 'staff' ELSE 'student' END",
            "code": "'U' || lpad(c::text, 4, '0') || '-' || b",
            "name": "'高校' || c || '第' || b || '党支部'",
            "term_started_on": "date '2024-09-01'",
            "term_years": "3",
        },
    )
    stage(
        "branches",
        f"SELECT count(*) FROM {org} WHERE depth = 3",
        branches,
        f"INSERT INTO {org} ({cols}) SELECT {vals} FROM generate_series(1, {COMMITTEES}) c, "
        f"generate_series(1, {BRANCHES_PER_COMMITTEE}) b",
        log=log,
    )

    # n numbers people 0..people-1; the first MEMBERS_PER_BRANCH of each branch are members. The SQL takes
    # parameters (the name arrays), so it uses mod() rather than the % operator.
    female = "mod(hashint8(n), 2) <> 0"
    sur = "1 + mod(abs(hashint8(n + 3)), array_length(%(sur)s::text[], 1))"
    pool = f"(CASE WHEN {female} THEN %(female{{s}})s::text[] ELSE %(male{{s}})s::text[] END)"
    g = f"1 + mod(abs(hashint8(n + 11)), array_length({pool.format(s='')}, 1))"
    is_member = f"mod(n, {per_branch}) < {MEMBERS_PER_BRANCH}"
    student = "o.category = 'student'"
    cols, vals = columns(
        Person,
        {
            "name": f"(%(sur)s::text[])[{sur}] || {pool.format(s='')}[{g}]",
            "name_pinyin": f"(%(sur_py)s::text[])[{sur}] || {pool.format(s='_py')}[{g}]",
            "name_initials": f"(%(sur_i)s::text[])[{sur}] || {pool.format(s='_i')}[{g}]",
            "gender": f"CASE WHEN {female} THEN 'female' ELSE 'male' END",
            "ethnicity": "'汉族'",
            "birth_date": f"CASE WHEN {student} THEN date '2002-01-01' ELSE date '1965-01-01' END"
            " + mod(abs(hashint8(n)), 5000)",
            "staff_number": "'P' || lpad(n::text, 8, '0')",
            "person_type": f"CASE WHEN {student} THEN 'student' ELSE 'staff' END",
            "unit": "'高校' || split_part(o.code, '-', 1)",
            "political_status": f"CASE WHEN {is_member} THEN 'full'"
            " WHEN mod(n, 3) = 0 THEN 'activist' ELSE 'masses' END",
            "organization": "o.id",
        },
    )
    # The people's and members' plain indexes are built once, after the rows and the ID numbers are in.
    with indexes_deferred([person, member], log):
        stage(
            "people",
            f"SELECT count(*) FROM {person}",
            people,
            f"INSERT INTO {person} ({cols}) SELECT {vals} FROM "
            f"(SELECT id, code, category, row_number() OVER (ORDER BY path) - 1 AS k "
            f"FROM {org} WHERE depth = 3) o, "
            f"LATERAL (SELECT o.k * {per_branch} + g AS n FROM generate_series(0, {per_branch - 1}) g) s",
            _name_arrays(),
            log=log,
        )
        cols, vals = columns(
            Membership,
            {
                "person": "p.id",
                "organization": "p.organization_id",
                "membership_type": "'full'",
                "joined_on": "date '2000-07-01' + mod(p.id, 8000)::int",
                "full_on": "date '2001-07-01' + mod(p.id, 8000)::int",
                "standing": "'normal'",
            },
        )
        stage(
            "memberships",
            f"SELECT count(*) FROM {member}",
            members,
            f"INSERT INTO {member} ({cols}) SELECT {vals} FROM {person} p WHERE p.political_status = 'full'",
            log=log,
        )
        cols, vals = columns(
            Position,
            {
                "person": "m.person_id",
                "organization": "m.organization_id",
                "title": "'secretary'",
                "started_on": "date '2024-09-01'",
            },
        )
        stage(
            "secretaries",
            f"SELECT count(*) FROM {position}",
            branches,
            f"INSERT INTO {position} ({cols}) SELECT DISTINCT ON (m.organization_id) {vals} "
            f"FROM {member} m ORDER BY m.organization_id, m.person_id",
            log=log,
        )
        identities = fill_identities(log, workers=workers, before=drop_deferred_indexes)
    with connection.cursor() as cursor:  # the modules' stages join these tables: plan them with statistics
        cursor.execute(f"ANALYZE {org}, {person}, {member}, {position}")
    _demo_users(log)
    counts = {"organizations": 1 + COMMITTEES + branches, "people": people, "members": members}
    for seeder in seeding_order(hooks.seeders.all()):  # every module's year, in the order they need
        if seeder.province is not None:
            start = time.perf_counter()
            log(f"{seeder.name}:")
            counts.update(seeder.province(log))
            log(f"{seeder.name}: done in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"ANALYZE: {time.perf_counter() - start:.1f} s")
    if identities["rows"]:
        counts["id_numbers_per_second"] = int(identities["rows_per_second"])
    return counts


def _demo_users(log: Callable[[str], None]) -> None:
    from dangjian.accounts.models import User
    from dangjian.core.demo.generator import demo_users

    if User.objects.filter(username="school_admin").exists():
        log("  demo accounts: already there, skipped")
        return
    colleges = list(Organization.objects.filter(depth=2).order_by("path")[:2])
    branch = Organization.objects.filter(depth=3, path__startswith=colleges[0].path).order_by("path").first()
    secretary = (
        Position.objects.filter(organization=branch, title="secretary").select_related("person").first()
    )
    member = Membership.objects.filter(organization=branch).exclude(person=secretary.person).first()  # type: ignore[union-attr]
    with transaction.atomic():
        demo_users(
            {
                "root": Organization.objects.get(depth=1),
                "college": colleges[0],
                "other_college": colleges[1],
                "secretary": secretary.person,  # type: ignore[union-attr]
                "member": member.person,  # type: ignore[union-attr]
            }
        )
    log("  demo accounts: created")
