"""党校 for the province data set (`seed_demo --size province`, PostgreSQL): a year, set-based.

As the university demo (``learning.demo``), for each of the province's university committees: two closed
入党积极分子培训班 (a third of its activists each), a closed 发展对象培训班 (all its development targets),
with attendance, scores (a few failed), 结业证书 numbered per school and year, the study-hour ledger of
everyone who passed, and an open activist class starting soon with the last third enrolled and no results.
Run after recruitment (which makes the activists and development targets).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from dangjian.core.demo.province import columns, stage
from dangjian.core.models import Organization, Person, PoliticalStatus
from dangjian.learning.models import (
    CertificateSerial,
    ClassKind,
    ClassStatus,
    Enrolment,
    ExamResult,
    SourceKind,
    StepStatus,
    StudyHours,
    StudyYear,
    TrainingClass,
)

# (number, kind, name, ends this many days before today (negative: after), days, hours, fail per cent,
# which third of the activists (None: the development targets)).
CLASSES = (
    (1, ClassKind.ACTIVIST, "第一期入党积极分子培训班", 200, 3, 24, 10, 0),
    (2, ClassKind.ACTIVIST, "第二期入党积极分子培训班", 75, 3, 24, 10, 1),
    (3, ClassKind.CANDIDATE, "第一期发展对象培训班", 40, 4, 32, 5, None),
    (4, ClassKind.ACTIVIST, "第三期入党积极分子培训班", -11, 3, 24, 0, 2),
)


def generate(log: Callable[[str], None] = print, *, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    org, person = Organization._meta.db_table, Person._meta.db_table
    klass, enrolment, ledger, serial = (
        m._meta.db_table for m in (TrainingClass, Enrolment, StudyHours, CertificateSerial)
    )
    values = ", ".join(
        f"({n}, '{kind}', '{name}', date '{(today - timedelta(days=ago)).isoformat()}', {days}, {hours})"
        for n, kind, name, ago, days, hours, _fail, _third in CLASSES
    )
    ends = "k.ends_on"
    closed = f"{ends} < %(today)s::date"
    cols, vals = columns(
        TrainingClass,
        {
            "name": "c.short_name || extract(year FROM k.ends_on)::int || '年' || k.name",
            "kind": "k.kind",
            "organizer": "c.id",
            "starts_on": f"{ends} - (k.days - 1)",
            "ends_on": ends,
            "days": "k.days",
            "hours": "k.hours",
            "place": "'党校报告厅'",
            "status": f"CASE WHEN {closed} THEN '{ClassStatus.CLOSED}' ELSE '{ClassStatus.OPEN}' END",
            "closed_on": f"CASE WHEN {closed} THEN least({ends} + 3, %(today)s::date) END",
            # Which class of CLASSES a row is (the enrolments join on it); no request ever sends this key.
            "idempotency_key": "'province-' || c.id || '-' || k.n",
        },
    )
    source = (
        f"FROM {org} c CROSS JOIN (VALUES {values}) AS k(n, kind, name, ends_on, days, hours) "
        "WHERE c.depth = 2 AND c.kind = 'committee'"
    )
    params = {"today": today}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {source}")
        classes = cursor.fetchone()[0]
    stage(
        "training classes",
        f"SELECT count(*) FROM {klass}",
        classes,
        f"INSERT INTO {klass} ({cols}) SELECT {vals} {source} ORDER BY c.path, k.n",
        params,
        log=log,
    )

    # Who sits which class: (class number, the rule on the person p).
    who = " ".join(
        f"WHEN {n} THEN "
        + (
            f"p.political_status = '{PoliticalStatus.CANDIDATE}'"
            if third is None
            else f"p.political_status = '{PoliticalStatus.ACTIVIST}' AND mod(p.id, 3) = {third}"
        )
        for n, _k, _name, _ago, _d, _h, _fail, third in CLASSES
    )
    fail = " ".join(f"WHEN {n} THEN {pct}" for n, _k, _name, _ago, _d, _h, pct, _t in CLASSES)
    h = "abs(hashint8(p.id * 8 + e.n))"
    passed = f"(mod({h}, 100) >= CASE e.n {fail} END)"
    prefix = str(getattr(settings, "LEARNING_CERTIFICATE_PREFIX", "DX")).replace("'", "")
    number = (
        "row_number() OVER (PARTITION BY e.closed AND "
        f"{passed}, extract(year FROM t.ends_on) ORDER BY t.id, p.id)"
    )
    cols, vals = columns(
        Enrolment,
        {
            "training_class": "t.id",
            "person": "p.id",
            "school_path": f"substr(c.path, 1, {Organization.steplen})",
            "attended_hours": f"CASE WHEN e.closed THEN CASE WHEN {passed} THEN t.hours "
            "ELSE t.hours - 8 END END",
            "score": f"CASE WHEN e.closed THEN CASE WHEN {passed} THEN 75 + mod({h} / 100, 24) "
            f"ELSE 40 + mod({h} / 100, 20) END END",
            "result": f"CASE WHEN e.closed THEN CASE WHEN {passed} THEN '{ExamResult.PASS}' "
            f"ELSE '{ExamResult.FAIL}' END ELSE '' END",
            "completed": f"e.closed AND {passed}",
            "completed_on": f"CASE WHEN e.closed AND {passed} THEN t.ends_on END",
            "certificate_number": f"CASE WHEN e.closed AND {passed} THEN '{prefix}' || "
            f"extract(year FROM t.ends_on)::int || '-' || lpad(({number})::text, "
            f"greatest(5, length(({number})::text)), '0') END",
            "step_status": f"CASE WHEN e.closed AND {passed} AND t.kind = '{ClassKind.CANDIDATE}' "
            f"THEN '{StepStatus.RECORDED}' ELSE '' END",
        },
    )
    source = (
        f"FROM {klass} t JOIN {org} c ON c.id = t.organizer_id "
        f"CROSS JOIN LATERAL (SELECT split_part(t.idempotency_key, '-', 3)::int AS n, "
        f"t.status = '{ClassStatus.CLOSED}' AS closed) e "
        f"JOIN {org} b ON b.kind = 'branch' AND substr(b.path, 1, {2 * Organization.steplen}) = c.path "
        f"JOIN {person} p ON p.organization_id = b.id AND p.is_active "
        f"WHERE t.idempotency_key LIKE 'province-%%' AND CASE e.n {who} END"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {source}")
        enrolments = cursor.fetchone()[0]
    stage(
        "training enrolments and results",
        f"SELECT count(*) FROM {enrolment}",
        enrolments,
        f"INSERT INTO {enrolment} ({cols}) SELECT {vals} {source}",
        log=log,
    )
    cols, vals = columns(
        StudyHours,
        {
            "person": "e.person_id",
            "on": "e.completed_on",
            "hours": "least(t.hours, e.attended_hours)",
            "days": "t.days",
            "source_kind": f"'{SourceKind.TRAINING_CLASS}'",
            "source_ref": "'enrolment:' || e.id",
            "enrolment": "e.id",
            "note": "left(t.name, 200)",
        },
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {enrolment} WHERE completed")
        completed = cursor.fetchone()[0]
    stage(
        "study-hour ledger",
        f"SELECT count(*) FROM {ledger}",
        completed,
        f"INSERT INTO {ledger} ({cols}) SELECT {vals} FROM {enrolment} e "
        f"JOIN {klass} t ON t.id = e.training_class_id WHERE e.completed",
        log=log,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {enrolment} WHERE certificate_number IS NOT NULL "
            "GROUP BY school_path, extract(year FROM completed_on)) s"
        )
        years = cursor.fetchone()[0]
    stage(
        "certificate serials",
        f"SELECT count(*) FROM {serial}",
        years,
        f"INSERT INTO {serial} (school_path, year, last) "
        "SELECT school_path, extract(year FROM completed_on), "
        f"count(*) FROM {enrolment} WHERE certificate_number IS NOT NULL "
        "GROUP BY school_path, extract(year FROM completed_on)",
        log=log,
    )
    totals = StudyYear._meta.db_table
    on = connection.ops.quote_name("on")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {ledger} GROUP BY person_id, extract(year FROM {on})) s"
        )
        pairs = cursor.fetchone()[0]
    stage(
        "study-hour totals",
        f"SELECT count(*) FROM {totals}",
        pairs,
        f"INSERT INTO {totals} (person_id, year, hours) "
        f"SELECT person_id, extract(year FROM {on})::int, sum(hours) FROM {ledger} GROUP BY 1, 2",
        log=log,
    )
    return {
        "training_classes": classes,
        "training_enrolments": enrolments,
        "training_certificates": completed,
    }
