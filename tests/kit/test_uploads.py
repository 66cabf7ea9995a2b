"""Uploaded documents: type by extension and by content, size, a safe base name."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.kit.errors import RuleViolation
from dangjian.kit.uploads import checked_upload

TYPES = (".pdf", ".png", ".xlsx")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.exe", b"MZ....", "只能上传以下类型的文件"),
        ("a.pdf", b"MZ....", "文件内容与扩展名“.pdf”不符"),
        ("a.pdf", b"", "文件是空的"),
        ("a.png", b"\x89PNG\r\n\x1a\n" + b"x" * 2048, "文件不能超过"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(name, content, message) -> None:
    with pytest.raises(RuleViolation, match=message) as exc:
        checked_upload(SimpleUploadedFile(name, content), extensions=TYPES, max_bytes=1024, kinds="PDF")
    assert exc.value.field == "file"


def test_a_good_upload_gives_its_base_name() -> None:
    upload = SimpleUploadedFile("C:\\docs\\签到表.XLSX", b"PK\x03\x04rest")
    assert checked_upload(upload, extensions=TYPES, max_bytes=1024, kinds="PDF") == "签到表.XLSX"
    assert upload.read(4) == b"PK\x03\x04"  # left at the start for saving
