"""稿件附件: an author attaches checked files to a draft (type by extension and content, size and count
from settings, nothing stored on a refusal) and removes them; readers download them as the article's
audience allows (the public site's to anyone), always as a download with the original name; the API
lists them; the outsider is refused everywhere."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import RuleViolation
from dangjian.news import services
from dangjian.news.models import Article, Attachment, Audience
from tests.news.conftest import SYSTEM, publish, write

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 40
ZIP = b"PK\x03\x04" + b"\0" * 40


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _stored(root: Path) -> list[Path]:
    return [p for p in (root / "news" / "attachments").rglob("*") if p.is_file()]


def _add(article: Article, name: str, content: bytes, actor=None) -> Attachment:
    return services.attachment_add(
        actor=actor, scope=SYSTEM, article=article, upload=SimpleUploadedFile(name, content)
    )


def test_an_author_attaches_checked_files_to_a_draft(world, college_organizer, _media) -> None:
    from tests.news.conftest import scope

    article = write(world.cs, author=college_organizer)
    before = Article.objects.get(pk=article.pk).updated_at
    history = article.history.count()  # type: ignore[attr-defined]
    pdf = services.attachment_add(
        actor=college_organizer,
        scope=scope(college_organizer),
        article=article,
        upload=SimpleUploadedFile("会议纪要.pdf", PDF, content_type="text/html"),
        expected_status="draft",
    )
    doc = _add(article, "通知.DOC", OLE)
    archive = _add(article, "照片.zip", ZIP)
    assert (pdf.name, pdf.size, pdf.content_type) == ("会议纪要.pdf", len(PDF), "application/pdf")
    assert doc.content_type == "application/msword" and archive.content_type == "application/zip"
    assert pdf.uploaded_by == college_organizer
    assert "会议纪要" not in pdf.file.name and pdf.file.name.endswith(".pdf")  # not the uploader's name
    assert len(_stored(_media)) == 3
    assert AuditEvent.objects.filter(action="news.attachment_add").count() == 3
    # The public page's cache key (updated_at) moved on; the article's versions did not grow.
    assert Article.objects.get(pk=article.pk).updated_at > before
    assert article.history.count() == history  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("会议纪要.pdf", b"MZ\x90\x00 not a pdf", "文件内容与扩展名“.pdf”不符"),
        ("报表.xlsx", OLE, "文件内容与扩展名“.xlsx”不符"),
        ("setup.exe", b"MZ\x90\x00", "只能上传以下类型的文件"),
        ("没有扩展名", PDF, "只能上传以下类型的文件"),
        ("空文件.pdf", b"", "文件是空的"),
    ],
)
def test_a_refused_upload_stores_nothing(world, name, content, message, _media) -> None:
    article = write(world.cs)
    with pytest.raises(RuleViolation, match=message) as refused:
        _add(article, name, content)
    assert refused.value.field == "file"
    assert not Attachment.objects.exists() and _stored(_media) == []
    assert not AuditEvent.objects.filter(action="news.attachment_add").exists()


def test_the_size_limit_comes_from_the_settings(world, settings, _media) -> None:
    settings.NEWS_ATTACHMENT_MAX_MB = 1
    article = write(world.cs)
    with pytest.raises(RuleViolation, match="文件不能超过 1 MB"):
        _add(article, "大文件.pdf", PDF + b"\0" * (1024 * 1024))
    assert _add(article, "刚好.pdf", PDF + b"\0" * (1024 * 1024 - len(PDF))).size == 1024 * 1024
    assert len(_stored(_media)) == 1


def test_an_article_takes_at_most_the_configured_count(world, settings, _media) -> None:
    settings.NEWS_ATTACHMENT_MAX_COUNT = 2
    article = write(world.cs)
    _add(article, "一.pdf", PDF)
    _add(article, "二.pdf", PDF)
    with pytest.raises(RuleViolation, match="最多 2 个附件"):
        _add(article, "三.pdf", PDF)
    assert Attachment.objects.count() == 2 and len(_stored(_media)) == 2


def test_only_a_draft_takes_or_loses_attachments(world, school_admin) -> None:
    article = write(world.cs)
    kept = _add(article, "附件.pdf", PDF)
    article = services.article_submit(actor=None, scope=SYSTEM, article=article, expected_status=None)
    with pytest.raises(RuleViolation, match="只有草稿"):
        _add(article, "送审后.pdf", PDF)
    with pytest.raises(RuleViolation, match="只有草稿"):
        services.attachment_remove(actor=None, scope=SYSTEM, attachment=kept, expected_status=None)
    from tests.news.conftest import scope

    services.article_return(
        actor=school_admin, scope=scope(school_admin), article=article, expected_status=None, comment="补充"
    )
    assert _add(Article.objects.get(pk=article.pk), "退回后补充.pdf", PDF).pk  # a returned one is a draft


def test_a_removal_deletes_the_file_after_the_commit(
    world, django_capture_on_commit_callbacks, _media
) -> None:
    article = write(world.cs)
    attachment = _add(article, "附件.pdf", PDF)
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(actor=None, scope=SYSTEM, attachment=attachment, expected_status="draft")
    assert not Attachment.objects.exists() and _stored(_media) == []
    event = AuditEvent.objects.get(action="news.attachment_remove")
    assert event.changes["name"] == "附件.pdf"


def test_the_review_page_uploads_lists_and_removes(world, college_organizer, login, _media) -> None:
    article = write(world.cs, author=college_organizer)
    client = login(college_organizer)
    response = client.post(
        reverse("news:attachment_add", args=[article.pk]),
        {"file": SimpleUploadedFile("学习材料.pdf", PDF), "expected_status": "draft"},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    page = client.get(reverse("news:review", args=[article.pk])).content.decode()
    assert "学习材料.pdf" in page and reverse("news:attachment", args=[article.pk, attachment.pk]) in page
    assert reverse("news:attachment_remove", args=[article.pk, attachment.pk]) in page
    refused = client.post(
        reverse("news:attachment_add", args=[article.pk]),
        {"file": SimpleUploadedFile("伪装.pdf", b"<html>"), "expected_status": "draft"},
        follow=True,
    )
    assert "文件内容与扩展名" in refused.content.decode() and Attachment.objects.count() == 1
    client.post(
        reverse("news:attachment_remove", args=[article.pk, attachment.pk]), {"expected_status": "draft"}
    )
    assert not Attachment.objects.exists()


def test_the_outsider_is_not_found_on_every_attachment_url(world, outsider_organizer, login) -> None:
    article = write(world.cs)
    attachment = _add(article, "附件.pdf", PDF)
    client = login(outsider_organizer)
    add = client.post(
        reverse("news:attachment_add", args=[article.pk]),
        {"file": SimpleUploadedFile("x.pdf", PDF), "expected_status": "draft"},
    )
    remove = client.post(
        reverse("news:attachment_remove", args=[article.pk, attachment.pk]), {"expected_status": "draft"}
    )
    download = client.get(reverse("news:attachment", args=[article.pk, attachment.pk]))
    assert (add.status_code, remove.status_code, download.status_code) == (404, 404, 404)
    assert Attachment.objects.count() == 1
    assert not AuditEvent.objects.filter(actor=outsider_organizer).exists()


def test_a_reader_cannot_attach(world, member_user, login) -> None:
    article = write(world.cs)
    response = login(member_user).post(
        reverse("news:attachment_add", args=[article.pk]),
        {"file": SimpleUploadedFile("x.pdf", PDF), "expected_status": "draft"},
    )
    assert response.status_code == 404 and not Attachment.objects.exists()


def _disposition(name: str) -> str:
    return f"filename*=utf-8''{quote(name)}"


def test_readers_download_as_the_audience_allows(world, member_user, outsider_organizer, login) -> None:
    article = write(world.cs, audience=Audience.SUBTREE)
    attachment = _add(article, "学习 材料.pdf", PDF)
    url = reverse("news:attachment", args=[article.pk, attachment.pk])
    assert login(member_user).get(url).status_code == 404  # a draft: not yet for readers
    publish(article)
    response = login(member_user).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert _disposition("学习 材料.pdf") in response["Content-Disposition"]
    assert login(outsider_organizer).get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    public_url = reverse("news:public_attachment", args=[article.pk, attachment.pk])
    assert Client().get(public_url).status_code == 404  # an internal article is not on the public site
    page = login(member_user).get(reverse("news:read", args=[article.pk])).content.decode()
    assert "学习 材料.pdf" in page and url in page


def test_a_public_articles_attachments_are_for_anyone(world) -> None:
    article = write(world.cs, audience=Audience.PUBLIC)
    attachment = _add(article, "公开.pdf", PDF)
    publish(article)
    url = reverse("news:public_attachment", args=[article.pk, attachment.pk])
    response = Client().get(url)
    assert response.status_code == 200 and _disposition("公开.pdf") in response["Content-Disposition"]
    page = Client().get(reverse("news:public_article", args=[article.pk])).content.decode()
    assert url in page and "公开.pdf" in page
    other = publish(write(world.cs, audience=Audience.PUBLIC, title="另一篇"))
    # An attachment is found through its own article only.
    assert Client().get(reverse("news:public_attachment", args=[other.pk, attachment.pk])).status_code == 404


def test_the_public_page_is_drawn_again_when_the_attachments_change(world) -> None:
    """A published article takes no attachment; but a draft's change moves the version the cached page
    is keyed by, so the page drawn before is never served for the new list."""
    article = publish(write(world.cs, audience=Audience.PUBLIC))
    assert "后加.pdf" not in Client().get(reverse("news:public_article", args=[article.pk])).content.decode()
    Article.objects.filter(pk=article.pk).update(status="draft")
    _add(Article.objects.get(pk=article.pk), "后加.pdf", PDF)
    Article.objects.filter(pk=article.pk).update(status="published")
    page = Client().get(reverse("news:public_article", args=[article.pk])).content.decode()
    assert "后加.pdf" in page


def test_the_api_lists_attachments_with_their_download(world, member_user, login) -> None:
    internal = write(world.cs, audience=Audience.SUBTREE)
    attachment = _add(internal, "内部.pdf", PDF)
    publish(internal)
    client = login(member_user)
    detail = client.get(f"/api/v1/news/{internal.pk}").json()
    assert [(a["name"], a["size"], a["content_type"]) for a in detail["attachments"]] == [
        ("内部.pdf", len(PDF), "application/pdf")
    ]
    url = detail["attachments"][0]["download_url"]
    assert url == f"/api/v1/news/{internal.pk}/attachments/{attachment.pk}"
    response = client.get(url)
    assert response.status_code == 200 and _disposition("内部.pdf") in response["Content-Disposition"]
    assert Client().get(url).status_code == 404  # anonymous: out of the audience
    public = write(world.fl, audience=Audience.PUBLIC)
    shared = _add(public, "公开.pdf", PDF)
    publish(public)
    assert Client().get(f"/api/v1/news/{public.pk}/attachments/{shared.pk}").status_code == 200
