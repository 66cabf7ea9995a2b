"""Excel exports keep user text as text: a cell starting with "=" never becomes a formula."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from dangjian.kit.xlsx import xlsx_response


def test_text_starting_with_equals_is_exported_as_text() -> None:
    response = xlsx_response("x.xlsx", ["主题", "人数"], [['=HYPERLINK("http://x","点我")', 3], ["=1+1", -2]])
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(min_row=2))
    assert [(c.value, c.data_type) for c in rows[0]] == [('=HYPERLINK("http://x","点我")', "s"), (3, "n")]
    assert rows[1][0].data_type == "s" and rows[1][1].value == -2
