"""Graduates in bulk: a college transfers its graduating student members at once.

The page lists the candidates with their problems (no destination, dues unpaid, a transfer already open);
the college submits the destinations and one background job creates each transfer (approved by the
college for the batch, an event recorded per step), issues each letter, and produces a ZIP with one merged
PDF, each letter as its own PDF, and an Excel register. Every row is its own transaction and is found
again on a re-run (the open transfer and its letter are reused), so a job that died half way is re-run
without doubles.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from dangjian.core.models import ON_ROLL_STANDINGS, Membership, Organization, OrgKind, Person, PersonType
from dangjian.jobs.models import Job
from dangjian.jobs.registry import register
from dangjian.jobs.services import job_progress
from dangjian.transfers import access
from dangjian.transfers.models import (
    OPEN_STATUSES,
    OUT_KINDS,
    GraduateKeep,
    Letter,
    Transfer,
    TransferKind,
    TransferStatus,
)
from dangjian.transfers.services import keep_state, letter_issue, record_step

RENDER_CHUNK = 200  # letters rendered per WeasyPrint document


@dataclass
class Candidate:
    membership: Membership
    unpaid_months: int
    open_transfer: Transfer | None
    kept_until: Any = None
    open_case: bool = False

    @property
    def keep_state(self) -> str:
        """The keep state the page shows, posted back with a "keep" (services.graduate_keep)."""
        return keep_state(self.kept_until is not None)

    @property
    def problems(self) -> list[str]:
        items = []
        if self.unpaid_months:
            items.append(_("%(n)s 个月党费未交") % {"n": self.unpaid_months})
        if self.open_transfer is not None:
            items.append(_("已有正在办理的转接"))
        if self.open_case:
            items.append(_("发展党员程序尚未完成(如预备期)"))
        if self.kept_until is not None:
            items.append(_("保留组织关系至 %(d)s") % {"d": self.kept_until.isoformat()})
        return items


def candidates(college: Organization, *, grade: str = "", limit: int = 3000) -> list[Candidate]:
    """Student members on the roll in the college's branches (optionally of one grade), bounded."""
    from dangjian.dues.selectors import unpaid_bill_counts
    from dangjian.recruitment.selectors import people_with_open_cases

    members = list(
        Membership.objects.filter(
            organization__path__startswith=college.path,
            organization__kind=OrgKind.BRANCH,
            standing__in=ON_ROLL_STANDINGS,
            person__person_type=PersonType.STUDENT,
        )
        .filter(Q(person__grade=grade) if grade else Q())
        .select_related("person", "organization")
        .order_by("organization__path", "person__name_pinyin")[:limit]
    )
    ids = [m.person_id for m in members]
    unpaid = unpaid_bill_counts(ids)
    open_transfers = {
        t.person_id: t for t in Transfer.objects.filter(person_id__in=ids, status__in=OPEN_STATUSES)
    }
    kept = dict(
        GraduateKeep.objects.filter(person_id__in=ids, ended_on__isnull=True).values_list(
            "person_id", "keep_until"
        )
    )
    open_cases = people_with_open_cases(ids)
    return [
        Candidate(
            m,
            unpaid.get(m.person_id, 0),
            open_transfers.get(m.person_id),
            kept.get(m.person_id),
            m.person_id in open_cases,
        )
        for m in members
    ]


REPLAY_WINDOW_MINUTES = 10


def graduate_letters_start(
    *, actor: Any, college: Organization, rows: list[dict[str, Any]], title: str
) -> Job:
    """Start the job that issues the chosen graduates' letters. The same batch submitted again by the
    same person (a double-click, a retry) within a few minutes returns the first job instead of a twin."""
    from datetime import timedelta

    from django.utils import timezone

    from dangjian.jobs.services import job_start

    with transaction.atomic():
        # The college's row serialises batches: a twin request waits here, then finds the first job.
        Organization.objects.select_for_update().get(pk=college.pk)
        recent = Job.objects.filter(
            kind="graduate_letters",
            created_by=actor,
            created_at__gte=timezone.now() - timedelta(minutes=REPLAY_WINDOW_MINUTES),
        ).order_by("-id")
        for job in recent[:20]:
            if job.params.get("college") == college.pk and job.params.get("rows") == rows:
                return job
        return job_start(
            kind="graduate_letters",
            user=actor,
            title=title,
            params={"college": college.pk, "rows": rows},
            org_path=college.path,
        )


def graduate_transfer(row: dict[str, Any], college: Organization, actor: Any) -> tuple[Transfer | None, str]:
    """The graduate's batch transfer (created, or found again on a re-run) with a live letter."""
    membership = (
        Membership.objects.filter(person_id=row["person"]).select_related("person", "organization").first()
    )
    if membership is None or membership.standing not in ON_ROLL_STANDINGS:
        return None, _("不是在册党员")
    if not membership.organization.path.startswith(college.path):
        return None, _("不在本院系")
    destination = (row.get("destination") or "").strip()
    if not destination:
        return None, _("缺少去向(接收党组织)")
    kind = str(row["kind"]) if row.get("kind") in OUT_KINDS else str(TransferKind.OUT_NATIONAL)
    with transaction.atomic():
        # The member's row, as transfer_start locks it: never two open transfers from two batches.
        Person.objects.select_for_update().get(pk=membership.person_id)
        existing = (
            Transfer.objects.select_for_update()
            .filter(person=membership.person, status__in=OPEN_STATUSES)
            .first()
        )
        if existing is not None:
            if existing.kind in OUT_KINDS and existing.status == TransferStatus.COLLEGE_APPROVED:
                if not existing.letters.filter(voided_at__isnull=True).exists():
                    letter_issue(actor=actor, transfer=existing)
                return existing, ""
            return None, _("已有正在办理的转接")
        transfer = Transfer.objects.create(
            person=membership.person,
            kind=kind,
            from_org=membership.organization,
            external_org=destination,
            reason=_("毕业生组织关系转接"),
            requested_by=actor,
        )
        record_step(transfer, actor, "start", "", _("毕业生批量转接"))
        transfer.status = TransferStatus.COLLEGE_APPROVED
        transfer.save(update_fields=["status", "updated_at"])
        record_step(transfer, actor, "approve", TransferStatus.REQUESTED, _("院系批量审核(毕业生)"))
        letter_issue(actor=actor, transfer=transfer)
    return transfer, ""


def _split_pages(merged: bytes) -> list[bytes]:
    from pypdf import PdfReader, PdfWriter

    pages = []
    for page in PdfReader(io.BytesIO(merged)).pages:
        writer = PdfWriter()
        writer.add_page(page)
        out = io.BytesIO()
        writer.write(out)
        pages.append(out.getvalue())
    return pages


def _register(letters: list[Letter]) -> bytes:
    from openpyxl import Workbook

    from dangjian.kit.xlsx import text_row

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("转出登记"))
    sheet.append(
        [_("介绍信编号"), _("姓名"), _("转出支部"), _("去向"), _("开具日期"), _("有效期(天)"), _("党费交至")]
    )
    for letter in letters:
        t = letter.transfer
        sheet.append(
            text_row(
                sheet,
                [
                    letter.serial,
                    t.person.name,
                    t.from_org.name if t.from_org else "",
                    t.external_org,
                    letter.issued_on.isoformat(),
                    letter.valid_days,
                    f"{letter.dues_paid_to:%Y-%m}" if letter.dues_paid_to else "",
                ],
            )
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@register("graduate_letters")
def run_graduate_letters(job: Job) -> None:
    from dangjian.accounts.scope import resolve_scope
    from dangjian.transfers.pdf import render_letters

    college = Organization.objects.get(pk=job.params["college"])
    rows: list[dict[str, Any]] = job.params["rows"]
    scope = resolve_scope(job.created_by)  # of who asked for the letters

    def show_id(letter: Letter) -> bool:
        """The full ID number on a letter only when the person who asked for it may see it there —
        the same rule as every other letter (``access.may_see_id_number``)."""
        return access.may_see_id_number(scope, letter.transfer)

    total = len(rows)
    job_progress(job, 0, total * 2)  # creating the transfers, then rendering their letters
    letters: list[Letter] = []
    errors: list[str] = []
    for index, row in enumerate(rows, start=1):
        transfer, problem = graduate_transfer(row, college, job.created_by)
        if transfer is None:
            errors.append(
                _("第 %(n)s 人(%(id)s)：%(p)s")
                % {"n": index, "id": row.get("name") or row["person"], "p": problem}
            )
        else:
            letters.append(
                transfer.letters.filter(voided_at__isnull=True)
                .select_related("issuing_org", "transfer__person", "transfer__from_org")
                .get()
            )
        if index % 20 == 0 or index == total:
            job_progress(job, index)
    buffer = io.BytesIO()
    merged_parts: list[bytes] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for start in range(0, len(letters), RENDER_CHUNK):
            chunk = letters[start : start + RENDER_CHUNK]
            merged = render_letters(chunk, show_id_number=show_id)
            merged_parts.append(merged)
            for letter, page in zip(chunk, _split_pages(merged), strict=True):
                archive.writestr(f"letters/{letter.serial}-{letter.transfer.person.name}.pdf", page)
            job_progress(job, total + min(start + RENDER_CHUNK, len(letters)))
        archive.writestr("letters-all.pdf", _merge(merged_parts))
        archive.writestr("register.xlsx", _register(letters))
    job.result = {
        "summary": [[_("已开具介绍信"), len(letters)], [_("未处理"), len(errors)]],
        "message": _("已生成介绍信：合并 PDF、单独 PDF 与登记表在 ZIP 中。"),
    }
    job.row_errors = errors
    job.result_file.save(f"graduate-letters-{job.pk}.zip", ContentFile(buffer.getvalue()), save=False)
    job.save(update_fields=["result", "row_errors", "result_file"])


def _merge(parts: list[bytes]) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
