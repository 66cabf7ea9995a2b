"""发展党员 for the province data set (`seed_demo --size province`, PostgreSQL): set-based.

As the university demo (``recruitment.demo``): the province's people on the way are split into 入党申请人,
入党积极分子 and 发展对象 (a quarter, a half and a quarter of its activists), and each gets an open case at
their stage whose recorded steps match it (applicants 1 or 2, activists 1–6, development targets 1–11),
dated from the application (within 60, 500 or 800 days) to today in order. People too young to have
applied (under 18 on the application date) get no case, as in the university demo.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import connection
from django.utils import timezone

from dangjian.core.demo.province import columns, stage, stage_unless
from dangjian.core.models import Organization, Person, PoliticalStatus
from dangjian.recruitment.models import Case, CaseStatus, StepDefinition, StepRecord

STAGES = (PoliticalStatus.APPLICANT, PoliticalStatus.ACTIVIST, PoliticalStatus.CANDIDATE)


def generate(log: Callable[[str], None] = print, *, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    person, org = Person._meta.db_table, Organization._meta.db_table
    case, record, step = (m._meta.db_table for m in (Case, StepRecord, StepDefinition))
    stage_unless(
        "recruitment: applicants, activists and development targets",
        f"SELECT NOT EXISTS (SELECT 1 FROM {person} WHERE political_status = '{PoliticalStatus.ACTIVIST}' "
        "AND mod(id, 4) IN (0, 1))",
        f"UPDATE {person} SET political_status = CASE mod(id, 4) WHEN 0 THEN '{PoliticalStatus.APPLICANT}' "
        f"WHEN 1 THEN '{PoliticalStatus.CANDIDATE}' ELSE '{PoliticalStatus.ACTIVIST}' END "
        f"WHERE political_status = '{PoliticalStatus.ACTIVIST}'",
        log=log,
    )
    h = "abs(hashint8(p.id + 17))"
    span = (
        f"CASE p.political_status WHEN '{PoliticalStatus.APPLICANT}' THEN 60 "
        f"WHEN '{PoliticalStatus.ACTIVIST}' THEN 500 ELSE 800 END"
    )
    applied = f"(%(today)s::date - (10 + mod({h}, {span} - 9))::int)"
    last = (
        f"CASE p.political_status WHEN '{PoliticalStatus.APPLICANT}' THEN CASE WHEN mod({h} / 1000, 10) < 3 "
        f"THEN 1 ELSE 2 END WHEN '{PoliticalStatus.ACTIVIST}' THEN 6 ELSE 11 END"
    )
    statuses = ", ".join(f"'{s}'" for s in STAGES)
    source = (
        f"FROM {person} p JOIN {org} o ON o.id = p.organization_id AND o.kind = 'branch' "
        f"WHERE p.political_status IN ({statuses}) AND p.is_active "
        f"AND {applied} >= p.birth_date + interval '18 years'"
    )
    cols, vals = columns(
        Case,
        {
            "person": "p.id",
            "branch": "p.organization_id",
            "stage": "p.political_status",  # the stage codes are the status codes
            "status": f"'{CaseStatus.OPEN}'",
            "applied_on": applied,
            "last_step": last,
        },
    )
    params = {"today": today}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {source}", params)
        cases = cursor.fetchone()[0]
    stage(
        "recruitment cases",
        f"SELECT count(*) FROM {case}",
        cases,
        f"INSERT INTO {case} ({cols}) SELECT {vals} {source}",
        params,
        log=log,
    )
    # Step n on a day between the application and today, in order (step 1 on the application day).
    cols, vals = columns(
        StepRecord,
        {
            "case": "c.id",
            "step": "d.id",
            "done_on": "c.applied_on + ((%(today)s::date - c.applied_on) * (n - 1) / c.last_step)::int",
            "data": "'{}'::jsonb",
            "warnings": "'[]'::jsonb",
            "notes": "'[]'::jsonb",
            "revisions": "'[]'::jsonb",
        },
    )
    source = (
        f"FROM {case} c CROSS JOIN LATERAL generate_series(1, c.last_step) n "
        f"JOIN {step} d ON d.number = n WHERE c.status = '{CaseStatus.OPEN}'"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {source}")
        records = cursor.fetchone()[0]
    stage(
        "recruitment steps",
        f"SELECT count(*) FROM {record}",
        records,
        f"INSERT INTO {record} ({cols}) SELECT {vals} {source}",
        params,
        log=log,
    )
    return {"recruitment_cases": cases, "recruitment_steps": records}
