"""A step whose definition expects materials takes a file on its own form, in the same submit."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.recruitment import services
from dangjian.recruitment.forms import StepForm
from dangjian.recruitment.models import StepDocument, StepRecord
from tests import factories as f
from tests.recruitment.steps import shown_state

D = date
PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    with time_machine.travel(D(2026, 11, 20), tick=False):
        yield


@pytest.fixture
def case(world):
    applicant = f.person("陈同学", organization=world.cs_branch2, birth=D(2003, 5, 1))
    return services.case_open(
        scope=Scope.system(), actor=None, person=applicant, branch=world.cs_branch2, applied_on=D(2026, 11, 2)
    )


def _talk_url(case):
    return reverse("recruitment:step_new", args=[case.pk, "talk"])


def test_the_step_form_offers_an_upload_when_the_step_expects_materials(case, login, college_organizer):
    page = login(college_organizer).get(_talk_url(case)).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="file"' in page
    assert "file" not in StepForm(rule="contacts", documents="").fields  # no material expected


def test_the_step_and_its_material_are_recorded_in_one_submit(case, login, college_organizer) -> None:
    client = login(college_organizer)
    url = _talk_url(case)
    response = client.post(
        url,
        {
            "done_on": "2026-11-05",
            "resolution": "已谈话",
            "expected_status": shown_state(client, url),
            "file": SimpleUploadedFile("谈话记录.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    record = StepRecord.objects.get(case=case, step__code="talk")
    document = StepDocument.objects.get()
    assert (document.record_id, document.name, document.uploaded_by_id) == (
        record.pk,
        "谈话记录.pdf",
        college_organizer.pk,
    )
    assert list(AuditEvent.objects.filter(target_id=str(case.pk)).values_list("action", flat=True)[:2]) == [
        "recruitment.document_add",
        "recruitment.step",
    ]


def test_the_material_is_optional(case, login, college_organizer) -> None:
    client = login(college_organizer)
    url = _talk_url(case)
    response = client.post(url, {"done_on": "2026-11-05", "expected_status": shown_state(client, url)})
    assert response.status_code == 302
    assert StepRecord.objects.filter(case=case, step__code="talk").exists()
    assert not StepDocument.objects.exists()


def test_a_bad_file_records_nothing_and_keeps_what_was_typed(case, login, college_organizer) -> None:
    client = login(college_organizer)
    url = _talk_url(case)
    response = client.post(
        url,
        {
            "done_on": "2026-11-05",
            "resolution": "谈话很顺利",
            "expected_status": shown_state(client, url),
            "file": SimpleUploadedFile("病毒.exe", b"MZ\x90\x00"),
        },
    )
    assert response.status_code == 200
    assert "只能上传以下类型的文件" in response.context["form"].errors["file"][0]
    page = response.content.decode()
    assert 'value="谈话很顺利"' in page and 'value="2026-11-05"' in page
    assert "请重新选择文件" in page
    assert not StepRecord.objects.filter(case=case, step__code="talk").exists()
    assert not StepDocument.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["recruitment.step", "recruitment.document_add"]).exists()


def test_a_double_submit_records_the_step_and_stores_the_file_once(case, login, college_organizer) -> None:
    client = login(college_organizer)
    url = _talk_url(case)
    state = shown_state(client, url)
    for _ in range(2):
        client.post(
            url,
            {
                "done_on": "2026-11-05",
                "expected_status": state,
                "file": SimpleUploadedFile("谈话记录.pdf", PDF, content_type="application/pdf"),
            },
        )
    assert StepRecord.objects.filter(case=case, step__code="talk").count() == 1
    assert StepDocument.objects.count() == 1


def test_an_outsider_cannot_post_the_step_with_a_file(case, login, outsider_organizer) -> None:
    response = login(outsider_organizer).post(
        _talk_url(case),
        {"done_on": "2026-11-05", "file": SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 404
    assert not StepDocument.objects.exists()
