"""The API's page-number pagination with a bounded page number: a huge page would reach the database as
an out-of-range OFFSET (a 500); it is a 422 instead. Use ``@paginate(Pages)`` on every list endpoint."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 100_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000)
