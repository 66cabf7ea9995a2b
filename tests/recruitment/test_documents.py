"""Documents on a step record: PDF/JPG/PNG/DOCX checked by content, size limited, uploaded by the side
that records the step, downloaded within the scope (the person: only their own steps' documents)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import RuleViolation
from dangjian.recruitment import services
from dangjian.recruitment.models import StepDocument, StepRecord
from tests import factories as f
from tests.recruitment.steps import shown_state

D = date
TODAY = D(2026, 11, 20)
PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


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
def applicant(world):
    return f.person("陈同学", organization=world.cs_branch2, birth=D(2003, 5, 1))


@pytest.fixture
def case(world, applicant):
    c = services.case_open(
        scope=Scope.system(), actor=None, person=applicant, branch=world.cs_branch2, applied_on=D(2026, 11, 2)
    )
    services.step_record(
        actor=None, scope=Scope.system(), case=c, code="talk", done_on=D(2026, 11, 5), today=TODAY
    )
    return c


def _records(case):
    return StepRecord.objects.get(case=case, step__code="apply"), StepRecord.objects.get(
        case=case, step__code="talk"
    )


def test_the_branch_uploads_and_downloads_a_document(world, case, login, college_organizer) -> None:
    _apply, talk = _records(case)
    client = login(college_organizer)
    url = reverse("recruitment:document_add", args=[case.pk, talk.pk])
    response = client.post(
        url,
        {
            "file": SimpleUploadedFile("谈话记录.pdf", PDF, content_type="application/pdf"),
            "expected_status": shown_state(client, url),
        },
    )
    assert response.status_code == 302
    document = StepDocument.objects.get()
    assert (document.name, document.size, document.record_id) == ("谈话记录.pdf", len(PDF), talk.pk)
    page = client.get(reverse("recruitment:case", args=[case.pk])).content.decode()
    assert "谈话记录.pdf" in page
    download = client.get(reverse("recruitment:document", args=[case.pk, document.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="recruitment.document_add").count() == 1
    assert AuditEvent.objects.filter(action="recruitment.document_download").count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.exe", b"MZ", "只能上传"),
        ("a.pdf", b"MZ\x90\x00", "不符"),  # a renamed executable
        ("a.png", PDF, "不符"),
        ("a.pdf", b"", "空"),
    ],
)
def test_bad_files_are_refused(world, case, name, content, message) -> None:
    _apply, talk = _records(case)
    with pytest.raises(RuleViolation, match=message):
        services.document_add(
            actor=None, scope=Scope.system(), record=talk, upload=SimpleUploadedFile(name, content)
        )
    assert not StepDocument.objects.exists()


def test_the_size_limit_is_a_setting(world, case, settings) -> None:
    settings.RECRUITMENT_DOCUMENT_MAX_MB = 1
    _apply, talk = _records(case)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(RuleViolation, match="1 MB"):
        services.document_add(actor=None, scope=Scope.system(), record=talk, upload=big)
    services.document_add(
        actor=None, scope=Scope.system(), record=talk, upload=SimpleUploadedFile("ok.png", PNG)
    )


def test_the_person_sees_only_their_own_steps_documents(world, case, applicant, login) -> None:
    apply, talk = _records(case)
    own = services.document_add(
        actor=None, scope=Scope.system(), record=apply, upload=SimpleUploadedFile("申请书.pdf", PDF)
    )
    branch_doc = services.document_add(
        actor=None, scope=Scope.system(), record=talk, upload=SimpleUploadedFile("谈话.pdf", PDF)
    )
    client = login(f.user_for(applicant, "chen"))
    assert "申请书.pdf" in client.get(reverse("recruitment:me")).content.decode()
    assert client.get(reverse("recruitment:document", args=[case.pk, own.pk])).status_code == 200
    assert client.get(reverse("recruitment:document", args=[case.pk, branch_doc.pk])).status_code == 404
    # The person uploads to their own step, not to the branch's.
    url = reverse("recruitment:document_add", args=[case.pk, apply.pk])
    ok = client.post(
        url,
        {"file": SimpleUploadedFile("b.pdf", PDF), "expected_status": shown_state(client, url)},
    )
    assert ok.status_code == 302
    refused = client.post(
        reverse("recruitment:document_add", args=[case.pk, talk.pk]),
        {"file": SimpleUploadedFile("c.pdf", PDF)},
    )
    assert refused.status_code == 404


def test_outsiders_get_404(world, case, login, outsider_organizer, member_user) -> None:
    _apply, talk = _records(case)
    document = services.document_add(
        actor=None, scope=Scope.system(), record=talk, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    for user in (outsider_organizer, member_user):
        client = login(user)
        response = client.post(
            reverse("recruitment:document_add", args=[case.pk, talk.pk]),
            {"file": SimpleUploadedFile("x.pdf", PDF)},
        )
        assert response.status_code == 404
        assert client.get(reverse("recruitment:document", args=[case.pk, document.pk])).status_code == 404
    assert StepDocument.objects.count() == 1


def test_the_case_page_lists_only_the_documents_the_viewer_may_download(
    world, case, applicant, login, college_organizer, django_assert_max_num_queries
) -> None:
    apply, talk = _records(case)
    services.document_add(
        actor=None, scope=Scope.system(), record=apply, upload=SimpleUploadedFile("申请书.pdf", PDF)
    )
    branch_doc = services.document_add(
        actor=None, scope=Scope.system(), record=talk, upload=SimpleUploadedFile("谈话记录.pdf", PDF)
    )
    url = reverse("recruitment:case", args=[case.pk])
    own = login(f.user_for(applicant, "chen")).get(url)
    assert own.status_code == 200
    page = own.content.decode()
    assert "申请书.pdf" in page
    assert "谈话记录.pdf" not in page
    assert reverse("recruitment:document", args=[case.pk, branch_doc.pk]) not in page
    client = login(college_organizer)
    with django_assert_max_num_queries(17):
        page = client.get(url).content.decode()
    assert "申请书.pdf" in page and "谈话记录.pdf" in page
