"""Read an uploaded .xlsx with python-calamine, refusing bad files with a clear Chinese message.

Besides unreadable files, a workbook is refused by its content (not only its name) when it carries
macros (vbaProject.bin), links to other files (xl/externalLinks/) or embedded objects (OLE, ActiveX):
an import only needs values, and these parts run code or reach outside the file when someone opens the
error sheet. Formula cells are found here too, so the dry run can name them instead of reading the
formula's cached value (or nothing, for a formula never calculated) as if it had been typed.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any
from xml.etree import ElementTree

from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from dangjian.kit.errors import RuleViolation
from dangjian.kit.uploads import checked_upload
from dangjian.spreadsheets.cells import text

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, or an .xlsx protected with a password


class FileRejected(Exception):
    """The whole file is refused; nothing is written."""


_MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlam", ".xlsb")
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    rows: list[list[Any]]  # data rows, each as long as headers; first data row is Excel row 2
    # (Excel row number, 0-based column index) of every cell that holds a formula
    formulas: frozenset[tuple[int, int]] = field(default_factory=frozenset)


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", 200_000))


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", 30 * 1024 * 1024))


def check_upload(upload: Any) -> str:
    """The one check of an import file before the platform stores it: not a macro workbook by name, a
    readable .xlsx without macros, external links or embedded objects by content, then the platform's
    upload check (type, size, safe base name). Returns the base name; raises FileRejected."""
    _check_name(getattr(upload, "name", "") or "")
    _inspect(upload)
    try:
        return checked_upload(
            upload, extensions=(".xlsx",), max_bytes=max_bytes(), kinds=_("Excel 工作簿(.xlsx)")
        )
    except RuleViolation as exc:
        raise FileRejected(exc.message) from None


def _check_name(name: str) -> None:
    if name.lower().endswith(_MACRO_EXTENSIONS):
        raise FileRejected(
            _("不接受启用宏的工作簿(.xlsm/.xltm 等)：请在 Excel 中另存为“Excel 工作簿(*.xlsx)”后再上传。")
        )


def read_sheet(fileobj: IO[bytes], expected_headers: list[str], *, name: str = "") -> Sheet:
    """The first sheet's rows; ``name`` is the stored file's name (a macro workbook is refused by it)."""
    _check_name(name or str(getattr(fileobj, "name", "") or ""))
    formulas = _inspect(fileobj)
    try:
        workbook = CalamineWorkbook.from_filelike(fileobj)
        sheet = workbook.get_sheet_by_index(0)
        merged = sheet.merged_cell_ranges or []
        values = sheet.to_python(skip_empty_area=False)
    except Exception:  # calamine's errors are technical; the person needs to know the file is unreadable
        raise FileRejected(_("无法读取该文件，它可能已损坏或不是 Excel 工作簿。")) from None
    finally:
        fileobj.seek(0)
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
    return Sheet(headers=headers, rows=data, formulas=formulas)


def _inspect(fileobj: IO[bytes]) -> frozenset[tuple[int, int]]:
    """Size and magic bytes, then the zip's parts: refuse macros, external links and embedded objects.
    Returns the formula cells of the first sheet."""
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
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
            _refuse_active_parts(archive, names)
            return _formula_cells(archive, names)
    except FileRejected:
        raise
    except Exception:  # a broken zip or XML: the person needs to know the file is unreadable
        raise FileRejected(_("无法读取该文件，它可能已损坏或不是 Excel 工作簿。")) from None
    finally:
        fileobj.seek(0)


def _refuse_active_parts(archive: zipfile.ZipFile, names: list[str]) -> None:
    lowered = [n.lower() for n in names]
    content_types = ""
    if "[Content_Types].xml" in names:
        content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace").lower()
    if any(n.endswith("vbaproject.bin") or "/vba" in n for n in lowered) or "macroenabled" in content_types:
        raise FileRejected(
            _("工作簿含有宏(VBA)，平台不接受：请在 Excel 中另存为“Excel 工作簿(*.xlsx)”，去掉宏后再上传。")
        )
    if any(n.startswith("xl/externallinks/") for n in lowered) or "externallink" in content_types:
        raise FileRejected(_("工作簿含有指向其他文件的外部链接，平台不接受：请在 Excel 中断开链接后再上传。"))
    embedded = ("xl/embeddings/", "xl/activex/")
    if (
        any(n.startswith(embedded) or "oleobject" in n for n in lowered)
        or "oleobject" in content_types
        or "activex" in content_types
    ):
        raise FileRejected(
            _("工作簿含有嵌入的对象(OLE 对象、ActiveX 控件或其他文件)，平台不接受：请删除这些对象后再上传。")
        )


def _formula_cells(archive: zipfile.ZipFile, names: list[str]) -> frozenset[tuple[int, int]]:
    """The (row, column) of every cell of the first sheet that holds a formula (an ``<f>`` element)."""
    part = _first_sheet_part(archive, names)
    if part is None or not _may_hold_formulas(archive, part):
        return frozenset()
    found: set[tuple[int, int]] = set()
    with archive.open(part) as stream:
        row, column = 0, -1  # a row or cell may leave out its reference: it follows the previous one
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = _local(element.tag)  # by local name: transitional and strict OOXML alike
            if event == "start" and tag == "row":
                row, column = int(element.get("r") or row + 1), -1
            elif event == "start" and tag == "c":
                match = _CELL_REF.match(element.get("r", ""))
                row, column = (int(match[2]), _column_index(match[1])) if match else (row, column + 1)
            elif event == "end" and tag == "f":
                found.add((row, column))
            elif event == "end" and tag == "row":
                element.clear()  # keep memory flat on 200,000 rows
    return frozenset(found)


# The start of an ``<f>`` element, with or without a namespace prefix (never ``<fill``, nor text: a "<"
# in a cell's text is escaped).
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


def _may_hold_formulas(archive: zipfile.ZipFile, part: str, chunk: int = 1 << 20) -> bool:
    """Whether the sheet's XML has a formula element anywhere: a scan of its bytes, so the element by
    element parse (≈30 µs a row) runs only for the files that have formulas."""
    tail = b""
    with archive.open(part) as stream:
        while block := stream.read(chunk):
            window = tail + block
            if _FORMULA_TAG.search(window):
                return True
            tail = window[-64:]
    return False


def _first_sheet_part(archive: zipfile.ZipFile, names: list[str]) -> str | None:
    """The zip path of the workbook's first sheet (the one calamine reads)."""
    if "xl/workbook.xml" not in names:
        return None
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    first = next((e for e in workbook.iter() if _local(e.tag) == "sheet"), None)
    if first is None:
        return None
    rel_id = next((v for k, v in first.attrib.items() if _local(k) == "id"), None)
    rels_path = "xl/_rels/workbook.xml.rels"
    if rels_path not in names:
        return None
    for rel in ElementTree.fromstring(archive.read(rels_path)).iter():
        if _local(rel.tag) == "Relationship" and rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            return path if path in names else None
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (ord(letter) - ord("A") + 1)
    return index - 1


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
