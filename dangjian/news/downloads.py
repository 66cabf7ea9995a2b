"""Serving an article's attachment: always as a download (Django's ``FileResponse`` with
``as_attachment``, the uploader's file name, RFC 5987 for the Chinese ones) of the type its checked
extension names — never a link into MEDIA. Who may have it is the caller's business
(``selectors.get_attachment_for`` and ``get_public_attachment``)."""

from __future__ import annotations

from django.http import FileResponse, Http404

from dangjian.news.models import Attachment


def attachment_response(attachment: Attachment) -> FileResponse:
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
