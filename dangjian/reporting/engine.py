"""The statistics engine: every figure of the 党内统计 for every organization as of a date, in one pass.

1. The state of each organization, person and membership at 24:00 on the date and on 12-31 of the year
   before is read from the history tables, streamed in id order (``asof``).
2. Each person who counts for anything becomes one ``PersonFact`` row (their organization then, on the
   roll or not, the categories of the tables, why they joined or left a roll in the year); each
   organization one ``OrgFact`` row. Written in bulk.
3. The direct figures of every organization are three GROUP BY queries over the facts, one filtered
   count per figure (``definitions``); subtree figures are those summed up the tree in Python.
4. One ``OrgFigures`` row per organization.

Set-based: the number of queries does not grow with the data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Count, DateField, DateTimeField
from django.utils.dateparse import parse_datetime

from dangjian.core.models import (
    ON_ROLL_STANDINGS,
    Cadre,
    Membership,
    Organization,
    Person,
)
from dangjian.core.stats import AGE_BANDS
from dangjian.kit.bulk import copy_rows
from dangjian.kit.dates import add_months, add_years, whole_years_between
from dangjian.policy import Policy, get_policy
from dangjian.reporting.asof import (
    Version,
    end_of_day,
    membership_rollback,
    organization_rollback,
    person_rollback,
    term_expiry,
    version_at,
)
from dangjian.reporting.definitions import definitions
from dangjian.reporting.figures import age_band_key, party_age_bands
from dangjian.reporting.models import OrgFact, OrgFigures, PersonFact, Snapshot

# When a record without history was written: not known, so later than any day a snapshot asks about.
UNKNOWN_DATE = datetime.max.replace(tzinfo=UTC)
ON_ROLL = frozenset(str(s) for s in ON_ROLL_STANDINGS)
PIPELINE = frozenset({"applicant", "activist", "candidate"})
# What a member who left a roll in the year became, by the standing of their membership at the date.
OUT_KINDS = {
    "transferred_out": "transfer_out",
    "deceased": "deceased",
    "expelled": "expelled",
    "suspended": "suspended",
    "probation_cancelled": "cancelled",
}

ORG_FIELDS = (
    "kind",
    "category",
    "is_active",
    "established_on",
    "dissolved_on",
    "term_started_on",
    "term_years",
)
PERSON_FIELDS = (
    "organization_id",
    "political_status",
    "is_active",
    "left_on",
    "gender",
    "ethnicity",
    "birth_date",
    "education",
    "person_type",
)
MEMBERSHIP_FIELDS = (
    "person_id",
    "organization_id",
    "membership_type",
    "joined_on",
    "full_on",
    "probation_extended_months",
    "standing",
    "standing_since",
)


def _versions(model: Any, fields: tuple[str, ...]) -> Iterator[tuple[int, list[Version]]]:
    """(record id, its versions in the order written) for every record of ``model``, live or deleted.

    Two streams in id order, merged: the history rows, and the live rows. A live record without any
    history row (written in bulk without it, e.g. by the province data set's SQL) gets one synthetic
    loaded version from its live row, dated "not known" (after any day asked), so ``version_at`` rolls
    it back by its dates like any loaded record."""
    history = model.history.model
    versions_stream = _rows(
        history,
        ("id", "history_date", "history_user_id", "history_type", *fields),
        "id, history_date, history_id",
    )
    live_stream = _rows(model, ("id", *fields), "id")
    live = next(live_stream, None)
    current: int | None = None
    versions: list[Version] = []

    def unversioned_before(limit: int | None) -> Iterator[tuple[int, list[Version]]]:
        nonlocal live
        while live is not None and (limit is None or live[0] < limit):
            if live[0] != current:
                values = dict(zip(fields, live[1:], strict=True))
                yield live[0], [Version(UNKNOWN_DATE, None, "+", values)]
            live = next(live_stream, None)

    for row in versions_stream:
        if row[0] != current:
            if current is not None:
                yield current, versions
            yield from unversioned_before(row[0])
            current, versions = row[0], []
        versions.append(Version(row[1], row[2], row[3], dict(zip(fields, row[4:], strict=True))))
    if current is not None:
        yield current, versions
    yield from unversioned_before(None)


def _rows(model: Any, attnames: tuple[str, ...], order: str) -> Iterator[tuple[Any, ...]]:
    """The columns of every row of ``model``'s table in ``order``, straight from the cursor: the ORM's
    per-row work is a third of the time at a million rows. Dates and datetimes come typed from the
    driver (aware datetimes on PostgreSQL; parsed here on SQLite)."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_attname[a] for a in attnames]
    sql = "SELECT {} FROM {} ORDER BY {}".format(
        ", ".join(connection.ops.quote_name(f.column) for f in fields),
        connection.ops.quote_name(model._meta.db_table),
        order,
    )
    converters = [_converter(f) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while batch := cursor.fetchmany(20_000):
            if any(converters):
                batch = [
                    tuple(c(v) if c and v is not None else v for c, v in zip(converters, row, strict=True))
                    for row in batch
                ]
            yield from batch


def _aware(value: Any) -> datetime:
    """SQLite stores UTC without a zone; its driver gives a naive datetime or the text."""
    moment = value if isinstance(value, datetime) else parse_datetime(value)
    if moment is None:
        raise ValueError(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _converter(field: Any) -> Callable[[Any], Any] | None:
    """What turns the driver's value into Python's, where the driver does not (SQLite)."""
    if connection.vendor == "postgresql":
        return None
    if isinstance(field, DateTimeField):
        return _aware
    if isinstance(field, DateField):
        return lambda v: v if isinstance(v, date) else date.fromisoformat(v)
    if isinstance(field, BooleanField):
        return bool
    return None


# ------------------------------------------------------------------------------ classification (pure)


def age_band(age: int) -> str:
    for index, (_label, low, high) in enumerate(AGE_BANDS):
        if (low is None or age >= low) and (high is None or age <= high):
            return age_band_key(index)
    return ""


def party_age_band(
    membership: dict[str, Any],
    on: date,
    policy: Policy,
    bands: tuple[tuple[str, str, int | None, int | None], ...],
) -> str:
    """The 党龄 band on ``on`` among ``bands`` (``figures.party_age_bands()``): 党龄 counts from the end of
    probation (转正; without a recorded date, the end of the standard probation after joining)."""
    if membership["membership_type"] != "full":
        return "partyage_probationary"
    start = membership.get("full_on") or add_years(
        membership["joined_on"], policy.recruit_probation_years, policy
    )
    years = max(whole_years_between(start, on, policy), 0)
    for key, _label, low, high in bands:
        if (low is None or years >= low) and (high is None or years <= high):
            return key
    return ""


def occupation(person: dict[str, Any], is_cadre: bool) -> str:
    """The statistics' occupation of a university's people: students, retirees, staff as 专业技术人员 or,
    when they hold a cadre post, 企事业单位管理人员 (a university is a 事业单位)."""
    kind = person.get("person_type")
    if kind == "student":
        return "student"
    if kind == "retired":
        return "retired"
    if kind == "staff":
        return "manager" if is_cadre else "professional"
    return "other"


def _on_roll(m: dict[str, Any] | None) -> bool:
    return m is not None and m.get("standing") in ON_ROLL


def person_fact(
    *,
    person: dict[str, Any] | None,
    m_open: dict[str, Any] | None,
    m_close: dict[str, Any] | None,
    on: date,
    is_cadre: bool,
    policy: Policy,
    bands: tuple[tuple[str, str, int | None, int | None], ...] | None = None,
) -> dict[str, Any] | None:
    """What one person counts for in the statistics of ``on`` (None: nothing). ``person`` is their
    state at the date; ``m_open`` / ``m_close`` their membership at the end of the year before and at
    the date."""
    year_start = date(on.year, 1, 1)
    member_open, member_close = _on_roll(m_open), _on_roll(m_close)
    status = ""
    if person is not None and person.get("is_active") and person.get("political_status") in PIPELINE:
        status = person["political_status"]
    if m_close is not None and member_close:
        status = "full" if m_close["membership_type"] == "full" else "probationary"
    probation = _probation_change(m_open, m_close, year_start, on)
    if not (member_open or member_close or status or probation):
        return None
    fact: dict[str, Any] = {
        "org_close": (m_close or {}).get("organization_id")
        if m_close
        else (person or {}).get("organization_id"),
        "org_open": m_open["organization_id"] if member_open and m_open else None,
        "member_close": member_close,
        "member_open": member_open,
        "status_close": status,
        "gender": "",
        "minority": False,
        "education": "",
        "age": None,
        "age_band": "",
        "party_age": "",
        "occupation": "",
        "new": False,
        "in_kind": "",
        "out_kind": "",
        "probation": probation,
        "joined_under_age": False,
        "full_before_joined": False,
        "probation_overdue": False,
    }
    if person is not None:
        age = whole_years_between(person["birth_date"], on, policy) if person.get("birth_date") else None
        fact.update(
            gender=person.get("gender") or "",
            minority=(person.get("ethnicity") or "汉族") != "汉族",
            education=person.get("education") or "unknown",
            age=age,
            age_band=age_band(age) if age is not None else "",
            occupation=occupation(person, is_cadre),
        )
    if member_close and m_close is not None:
        joined = m_close["joined_on"]
        fact["party_age"] = party_age_band(m_close, on, policy, bands or party_age_bands())
        fact["new"] = year_start <= joined <= on
        if member_open and m_open is not None:
            if m_open["organization_id"] != m_close["organization_id"]:
                fact["in_kind"] = "internal_in"
        elif fact["new"]:
            fact["in_kind"] = "recruited"
        elif m_open is not None and m_open.get("standing") == "suspended":
            fact["in_kind"] = "restored"
        else:
            fact["in_kind"] = "transfer_in"
        birth = (person or {}).get("birth_date")
        fact["joined_under_age"] = bool(
            birth and whole_years_between(birth, joined, policy) < policy.min_application_age
        )
        full_on = m_close.get("full_on")
        fact["full_before_joined"] = bool(full_on and full_on < joined)
        if m_close["membership_type"] != "full":
            end = add_months(
                add_years(joined, policy.recruit_probation_years, policy),
                int(m_close.get("probation_extended_months") or 0) + policy.recruit_approval_within_months,
            )
            fact["probation_overdue"] = end < on
    if member_open and m_open is not None:
        if member_close and m_close is not None:
            if m_open["organization_id"] != m_close["organization_id"]:
                fact["out_kind"] = "internal_out"
        else:
            fact["out_kind"] = OUT_KINDS.get((m_close or {}).get("standing", ""), "other")
    return fact


def _probation_change(
    m_open: dict[str, Any] | None, m_close: dict[str, Any] | None, year_start: date, on: date
) -> str:
    if m_close is None:
        return ""
    full_on = m_close.get("full_on")
    if m_close["membership_type"] == "full" and full_on and year_start <= full_on <= on:
        return "full"
    since = m_close.get("standing_since")
    if m_close.get("standing") == "probation_cancelled" and (since is None or year_start <= since <= on):
        return "cancelled" if m_open is not None else ""
    before = int((m_open or {}).get("probation_extended_months") or 0)
    if m_close["membership_type"] != "full" and int(m_close.get("probation_extended_months") or 0) > before:
        return "extended"
    return ""


def org_fact(
    o_open: dict[str, Any] | None, o_close: dict[str, Any], on: date, policy: Policy
) -> dict[str, Any]:
    """An organization existing on ``on`` and its 换届 in the year: due (the term in force at the end of
    the year before ended by ``on``, or a new one started), held on time (a new term started in the
    year, no later than the old one's end), overdue (before ``on`` its term ended)."""
    year_start = date(on.year, 1, 1)
    default_years = {
        "committee": policy.term_years_committee,
        "general_branch": policy.term_years_general_branch,
        "branch": policy.term_years_branch,
    }.get(o_close["kind"])

    def expiry(o: dict[str, Any] | None) -> date | None:
        if o is None:
            return None
        return term_expiry(o.get("term_started_on"), o.get("term_years") or default_years)

    started = o_close.get("term_started_on")
    renewed = bool(
        started
        and year_start <= started <= on
        and (o_open is None or o_open.get("term_started_on") != started)
    )
    old_end = expiry(o_open)
    due = renewed or bool(old_end and old_end <= on)
    on_time = renewed and (old_end is None or started is None or started <= old_end)
    close_end = expiry(o_close)
    return {
        "kind": o_close["kind"],
        "category": o_close.get("category") or "",
        "term_due": due,
        "term_on_time": on_time,
        "term_overdue": bool(close_end and close_end < on),  # the last day of a term is still in time
    }


# ------------------------------------------------------------------------------------------ the pass


def build_facts(snapshot: Snapshot) -> tuple[int, int]:
    """Write the snapshot's fact rows; returns (people, organizations) counted."""
    on = snapshot.on
    open_day = date(on.year, 1, 1) - timedelta(days=1)
    policy = get_policy()
    bands = party_age_bands()
    cut_close, cut_open = end_of_day(on), end_of_day(open_day)

    org_rows = []
    for org_id, versions in _versions(Organization, ORG_FIELDS):
        o_close = version_at(versions, on, organization_rollback, cut=cut_close)
        if o_close is None or not o_close.get("is_active"):
            continue
        o_open = version_at(versions, open_day, organization_rollback, cut=cut_open)
        if o_open is not None and not o_open.get("is_active"):
            o_open = None
        fact = org_fact(o_open, o_close, on, policy)
        org_rows.append((snapshot.pk, org_id, *(fact[k] for k in ORG_COLUMNS)))
    copy_rows(OrgFact, ("snapshot_id", "organization_id", *ORG_COLUMNS), org_rows)

    people: dict[int, dict[str, Any] | None] = {}
    for person_id, versions in _versions(Person, PERSON_FIELDS):
        people[person_id] = version_at(versions, on, person_rollback, cut=cut_close)
    memberships: dict[int, list[dict[str, Any] | None]] = {}
    for _membership_id, versions in _versions(Membership, MEMBERSHIP_FIELDS):
        m_open = version_at(versions, open_day, membership_rollback, cut=cut_open)
        m_close = version_at(versions, on, membership_rollback, cut=cut_close)
        person_id = versions[-1].values["person_id"]
        held = memberships.setdefault(person_id, [None, None])
        held[0] = m_open or held[0]
        held[1] = m_close or held[1]
    cadres = set(Cadre.objects.values_list("person_id", flat=True))

    columns = itemgetter(*PERSON_COLUMNS)

    def rows() -> Iterator[tuple[Any, ...]]:
        for person_id, person in people.items():
            m_open, m_close = memberships.pop(person_id, (None, None))
            fact = person_fact(
                person=person,
                m_open=m_open,
                m_close=m_close,
                on=on,
                is_cadre=person_id in cadres,
                policy=policy,
                bands=bands,
            )
            if fact is not None:
                yield (snapshot.pk, person_id, *columns(fact))

    attnames = tuple(f"{c}_id" if c.startswith("org_") else c for c in PERSON_COLUMNS)
    counted = copy_rows(PersonFact, ("snapshot_id", "person_id", *attnames), rows(), ready=True)
    return counted, len(org_rows)


ORG_COLUMNS = ("kind", "category", "term_due", "term_on_time", "term_overdue")
PERSON_COLUMNS = (
    "org_close",
    "org_open",
    "member_close",
    "member_open",
    "status_close",
    "gender",
    "minority",
    "education",
    "age",
    "age_band",
    "party_age",
    "occupation",
    "new",
    "in_kind",
    "out_kind",
    "probation",
    "joined_under_age",
    "full_before_joined",
    "probation_overdue",
)


def direct_figures(snapshot: Snapshot) -> dict[int, dict[str, int]]:
    """Every organization's own figures: one filtered count per figure, grouped by organization."""
    by_side: dict[str, dict[str, Any]] = defaultdict(dict)
    for key, counted in definitions().items():
        by_side[counted.side][key] = Count("pk", filter=counted.q)
    sources = {
        "close": (PersonFact.objects.filter(snapshot=snapshot, org_close__isnull=False), "org_close_id"),
        "open": (PersonFact.objects.filter(snapshot=snapshot, org_open__isnull=False), "org_open_id"),
        "org": (OrgFact.objects.filter(snapshot=snapshot), "organization_id"),
    }
    figures: dict[int, dict[str, int]] = defaultdict(dict)
    for side, counts in by_side.items():
        rows, column = sources[side]
        for row in rows.order_by().values(column).annotate(**counts):
            org_id = row.pop(column)
            figures[org_id].update({k: v for k, v in row.items() if v})
    return figures


def subtree_figures(direct: dict[int, dict[str, int]]) -> tuple[dict[int, dict[str, int]], dict[int, str]]:
    """Each organization's figures summed with everything under it (by the tree's paths today)."""
    paths = dict(Organization.objects.values_list("id", "path"))
    by_path = {path: org_id for org_id, path in paths.items()}
    step = Organization.steplen
    subtree: dict[int, dict[str, int]] = defaultdict(dict)
    for org_id, values in direct.items():
        path = paths.get(org_id)
        if path is None:
            continue
        for end in range(step, len(path) + 1, step):
            ancestor = by_path.get(path[:end])
            if ancestor is None:
                continue
            target = subtree[ancestor]
            for key, value in values.items():
                target[key] = target.get(key, 0) + value
    return subtree, paths


def write_figures(snapshot: Snapshot) -> int:
    direct = direct_figures(snapshot)
    subtree, paths = subtree_figures(direct)
    rows = (
        (snapshot.pk, org_id, direct.get(org_id, {}), subtree.get(org_id, {}))
        for org_id in paths
        if org_id in direct or org_id in subtree
    )
    return copy_rows(OrgFigures, ("snapshot_id", "organization_id", "direct", "subtree"), rows)
