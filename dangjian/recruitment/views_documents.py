"""Documents on a step record: upload by the side that records the step, download within the scope."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian import audit
from dangjian.accounts.requests import ScopedRequest
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.kit.access_rules import access_rule, within
from dangjian.kit.form_pages import service_form_page
from dangjian.kit.transitions import posted_state
from dangjian.recruitment import access, selectors, services
from dangjian.recruitment.forms import StateForm
from dangjian.recruitment.models import StepDocument, StepRecord


class DocumentForm(StateForm):
    file = forms.FileField(
        label=gettext_lazy("材料文件"),
        help_text=gettext_lazy("PDF、JPG、PNG 或 Word(.docx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}),
    )


def _record(request: ScopedRequest, case_id: int, record_id: int) -> tuple[Scope, StepRecord]:
    scope = request.scope
    case = selectors.get_case_for(scope, case_id)
    record = StepRecord.objects.select_related("step", "case__branch").filter(pk=record_id, case=case).first()
    if record is None:
        raise Http404
    return scope, record


@access_rule(within(Permission.MANAGE_RECRUITMENT))
@login_required
def document_add(request: ScopedRequest, case_id: int, record_id: int) -> HttpResponse:
    scope, record = _record(request, case_id, record_id)
    if not access.may_upload(request, record):
        raise Http404
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        initial={"expected_status": services.documents_state(record)},
    )
    return service_form_page(
        request,
        form,
        action=lambda d: services.document_add(
            actor=request.user,
            scope=scope,
            record=record,
            upload=d["file"],
            expected_status=posted_state(request),
        ),
        success=lambda doc: _("已上传“%(n)s”") % {"n": doc.name},
        next_url=reverse("recruitment:case", args=[case_id]),
        context={
            "title": _("上传材料：%(n)s. %(s)s") % {"n": record.step.number, "s": record.step.name},
            "help": record.step.documents,
            "multipart": True,
        },
    )


@access_rule(within(Permission.MANAGE_RECRUITMENT))
@login_required
def document_download(request: ScopedRequest, case_id: int, document_id: int) -> FileResponse:
    case = selectors.get_case_for(request.scope, case_id)
    document = (
        StepDocument.objects.select_related("record__step", "record__case__branch")
        .filter(pk=document_id, record__case=case)
        .first()
    )
    if document is None or not access.may_download(request, document):
        raise Http404
    with transaction.atomic():  # personal records: every download is logged
        audit.record(
            actor=request.user,
            action="recruitment.document_download",
            target=case,
            org=case.branch,
            changes={"document": document.pk, "name": document.name},
        )
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name)
