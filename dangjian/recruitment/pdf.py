"""发展党员纪实表: every step with its date, actor, resolution and warnings, for the paper file (A4,
WeasyPrint with the system CJK font)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from dangjian.recruitment.models import Case, StepDefinition


def render_record(case: Case) -> bytes:
    from weasyprint import HTML

    done: dict[int, list[Any]] = {}
    for record in case.steps.select_related("step", "actor").order_by("step__number", "done_on"):
        done.setdefault(record.step.number, []).append(record)
    rows = [(step, done.get(step.number, [])) for step in StepDefinition.objects.order_by("number")]
    html = render_to_string(
        "recruitment/record_pdf.html", {"case": case, "rows": rows, "printed": timezone.localdate()}
    )
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]
