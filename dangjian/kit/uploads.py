"""Checks for an uploaded document: its type by extension and by its first bytes (a renamed program is
refused), its size, and a file name safe to keep. Used by every app that stores documents."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from dangjian.kit.errors import RuleViolation

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Extensions and the first bytes their content must start with.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    ".pptx": (b"PK\x03\x04",),
    ".zip": (b"PK\x03\x04", b"PK\x05\x06"),  # an empty archive is only its end record
    # The Office 97-2003 formats are OLE compound files, all with the same header.
    ".doc": (OLE,),
    ".xls": (OLE,),
    ".ppt": (OLE,),
}
# Extensions whose content names its type after a 4-byte box size (ISO media: MP4, M4A).
BOX_SIGNATURES: dict[str, bytes] = {".mp4": b"ftyp", ".m4a": b"ftyp"}


def checked_upload(upload: Any, *, extensions: tuple[str, ...], max_bytes: int, kinds: str) -> str:
    """The upload's base name when it is one of ``extensions`` (``kinds`` names them for the message),
    not empty, at most ``max_bytes`` and its content matches its extension; else a RuleViolation on
    the field "file"."""
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in extensions:
        raise RuleViolation(_("只能上传以下类型的文件：%(k)s") % {"k": kinds}, field="file")
    size = upload.size or 0
    if size > max_bytes:
        raise RuleViolation(_("文件不能超过 %(m)s MB") % {"m": max_bytes // (1024 * 1024)}, field="file")
    if size == 0:
        raise RuleViolation(_("文件是空的"), field="file")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if extension in BOX_SIGNATURES:
        matches = head[4:8] == BOX_SIGNATURES[extension]
    else:
        matches = any(head.startswith(sig) for sig in SIGNATURES[extension])
    if not matches:
        raise RuleViolation(_("文件内容与扩展名“%(e)s”不符") % {"e": extension}, field="file")
    return name
