"""Read an uploaded .xlsx with python-calamine, refusing bad files with a clear Chinese message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from dangjian.spreadsheets.cells import text

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, or an .xlsx protected with a password


class FileRejected(Exception):
    """The whole file is refused; nothing is written."""


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    rows: list[list[Any]]  # data rows, each as long as headers; first data row is Excel row 2


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", 200_000))


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", 30 * 1024 * 1024))


def read_sheet(fileobj: IO[bytes], expected_headers: list[str]) -> Sheet:
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(0)
    if size == 0:
        raise FileRejected(_("文件是空的。"))
    if size > max_bytes():
        raise FileRejected(
            _("文件超过 %(m)s MB 的上限，请拆分后分批导入。") % {"m": max_bytes() // (1024 * 1024)}
        )
    magic = fileobj.read(4)
    fileobj.seek(0)
    if magic == _OLE_MAGIC:
        raise FileRejected(_("文件已加密或是旧版 .xls 格式：请去掉打开密码，并另存为 .xlsx 后再上传。"))
    if magic != _ZIP_MAGIC:
        raise FileRejected(_("这不是 .xlsx 文件(可能是改了扩展名的 .csv 或其他文件)，请用模板填写后上传。"))
    try:
        workbook = CalamineWorkbook.from_filelike(fileobj)
        sheet = workbook.get_sheet_by_index(0)
        merged = sheet.merged_cell_ranges or []
        values = sheet.to_python(skip_empty_area=False)
    except Exception:  # calamine's errors are technical; the person needs to know the file is unreadable
        raise FileRejected(_("无法读取该文件，它可能已损坏或不是 Excel 工作簿。")) from None
    if merged:
        (r1, c1), (r2, c2) = merged[0]
        raise FileRejected(
            _("表格中有合并单元格(如第 %(r1)s–%(r2)s 行第 %(c1)s–%(c2)s 列)，请取消合并后再上传。")
            % {"r1": r1 + 1, "r2": r2 + 1, "c1": c1 + 1, "c2": c2 + 1}
        )
    rows = [row for row in values if any(text(v) for v in row)]
    if not rows:
        raise FileRejected(_("表格是空的：第一行应为表头，从第二行起填写数据。"))
    headers = [text(h) for h in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    _check_headers(headers, expected_headers)
    data = [list(row[: len(headers)]) + [None] * (len(headers) - len(row)) for row in values[1:]]
    while data and not any(text(v) for v in data[-1]):
        data.pop()
    if not data:
        raise FileRejected(_("表格只有表头，没有数据行。"))
    if len(data) > max_rows():
        raise FileRejected(
            _("数据行数 %(n)s 超过上限 %(m)s，请拆分后分批导入。") % {"n": len(data), "m": max_rows()}
        )
    return Sheet(headers=headers, rows=data)


def _check_headers(headers: list[str], expected: list[str]) -> None:
    if headers == expected:
        return
    missing = [h for h in expected if h not in headers]
    extra = [h for h in headers if h not in expected]
    parts = []
    if missing:
        parts.append(_("缺少列：%(c)s") % {"c": "、".join(missing)})
    if extra:
        parts.append(_("多出或改名的列：%(c)s") % {"c": "、".join(h or _("(空表头)") for h in extra)})
    if not parts:
        parts.append(_("列的顺序与模板不同"))
    raise FileRejected(
        _("表头与模板不一致(%(p)s)。请下载最新模板，不要修改第一行。") % {"p": "；".join(parts)}
    )
