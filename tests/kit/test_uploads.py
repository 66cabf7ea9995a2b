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


MEDIA = (".mp3", ".m4a", ".mp4")


@pytest.mark.parametrize(
    ("name", "content", "good"),
    [
        ("a.mp3", b"ID3\x04\x00rest", True),
        ("a.mp3", b"\xff\xfbframe", True),
        ("a.m4a", b"\x00\x00\x00\x20ftypM4A rest", True),
        ("a.mp4", b"\x00\x00\x00\x18ftypisomrest", True),
        ("a.mp4", b"ftyp-at-the-start", False),  # the box type comes after its 4-byte size
        ("a.mp3", b"\x00\x00\x00\x20ftypM4A rest", False),
        ("a.m4a", b"MZ-a-program-renamed", False),
    ],
)
def test_audio_and_video_are_known_by_their_first_bytes(name, content, good) -> None:
    upload = SimpleUploadedFile(name, content)
    if good:
        assert checked_upload(upload, extensions=MEDIA, max_bytes=1024, kinds="MP3") == name
    else:
        with pytest.raises(RuleViolation, match="文件内容与扩展名"):
            checked_upload(upload, extensions=MEDIA, max_bytes=1024, kinds="MP3")


OFFICE = (".doc", ".xls", ".ppt", ".pptx", ".zip")
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize(
    ("name", "content", "good"),
    [
        ("a.doc", OLE + b"rest", True),
        ("a.xls", OLE + b"rest", True),
        ("a.ppt", OLE + b"rest", True),
        ("a.pptx", b"PK\x03\x04rest", True),
        ("a.zip", b"PK\x03\x04rest", True),
        ("a.zip", b"PK\x05\x06" + b"\x00" * 18, True),  # an empty archive
        ("a.doc", b"PK\x03\x04rest", False),  # a .docx renamed .doc
        ("a.ppt", b"%PDF-1.4", False),
        ("a.zip", b"Rar!\x1a\x07\x00", False),
    ],
)
def test_office_97_files_and_archives_are_known_by_their_first_bytes(name, content, good) -> None:
    upload = SimpleUploadedFile(name, content)
    if good:
        assert checked_upload(upload, extensions=OFFICE, max_bytes=1024, kinds="Office") == name
    else:
        with pytest.raises(RuleViolation, match="文件内容与扩展名"):
            checked_upload(upload, extensions=OFFICE, max_bytes=1024, kinds="Office")
