"""发展党员纪实表: every step with its date, actor, resolution and warnings, for the paper file (A4,
rendered by ``kit.pdf`` with the system CJK font)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from dangjian.kit.pdf import render_pdf
from dangjian.recruitment.models import Case, StepDefinition


def render_record(case: Case) -> bytes:
    done: dict[int, list[Any]] = {}
    for record in case.steps.select_related("step", "actor__person").order_by("step__number", "done_on"):
        done.setdefault(record.step.number, []).append(record)
    rows = [(step, done.get(step.number, [])) for step in StepDefinition.objects.order_by("number")]
    return render_pdf(
        "recruitment/record_pdf.html", {"case": case, "rows": rows, "printed": timezone.localdate()}
    )
