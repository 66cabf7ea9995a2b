"""Streamed .xlsx responses: openpyxl write-only mode keeps memory flat whatever the row count."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell


def text_row(sheet: Any, values: Iterable[Any]) -> list[Any] | tuple[Any, ...]:
    """The row to append, with text that starts with "=" kept as text: openpyxl would store it as a
    formula, so a meeting topic like ``=HYPERLINK(...)`` typed by a user would become a live link.
    A row without such text (nearly all of them) is returned as it is."""
    row = values if isinstance(values, list | tuple) else list(values)
    for value in row:
        if isinstance(value, str) and value.startswith("="):
            break
    else:
        return row
    guarded: list[Any] = []
    for value in row:
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            guarded.append(cell)
        else:
            guarded.append(value)
    return guarded


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(headers))
    for row in rows:
        sheet.append(text_row(sheet, row))
    # FileResponse closes the file when the response is done.
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
