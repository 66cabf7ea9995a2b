"""PDFs: one renderer (WeasyPrint with the system CJK font, Debian fonts-noto-cjk) and one response.

Every printed form (介绍信, 回执, 发展党员纪实表, 督查报告 …) is a template rendered by :func:`render_pdf`
and handed out by :func:`pdf_response`, which also writes the Content-Disposition header (RFC 6266,
with a UTF-8 file name when it is not ASCII).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string(template, context))


def render_pdf_pages(template: str, contexts: Sequence[dict[str, Any]]) -> bytes:
    """Several renderings of one template in one PDF: each context's <body>, one after the other, under
    the first rendering's <head> (the template's page rules give each its own page)."""
    pages = [render_to_string(template, context) for context in contexts]
    if not pages:
        return html_to_pdf("<html><body></body></html>")
    body = "".join(page.split("<body>", 1)[1].rsplit("</body>", 1)[0] for page in pages)
    head = pages[0].split("<body>", 1)[0]
    return html_to_pdf(f"{head}<body>{body}</body></html>")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported when used: WeasyPrint loads Pango at import

    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """Shown in the browser (``inline``) or downloaded, under ``filename``."""
    return file_response(content, filename, "application/pdf", inline=inline)


def file_response(content: bytes, filename: str, content_type: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename) or ""
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
