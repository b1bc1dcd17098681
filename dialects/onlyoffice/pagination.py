"""ONLYOFFICE's reply envelope and its paging (docs/onlyoffice.md, "The envelope").

Every reply, list or not, is `{count, startIndex, nextIndex, total, status, statusCode,
response, error}` in that order, where count, startIndex, nextIndex, total, statusCode and error
are left out when 0 or null. `count` is the number of items in `response` (1 for a single
object), `statusCode` repeats the HTTP status, `nextIndex` appears when more items follow, and
`total` only where the endpoint counts (`contact/filter`).

Lists page with `startIndex` (items to skip) and `count` (default 25, at most 100), as rows
(`contacts.rows.contact_rows`) with what the wrappers show. One row more than the page is read to
know whether another page follows; on the first page, `total` then needs its own count query only
when the page is full. Further pages are counted first, so that a deep one is read from the nearer
end of the sort index.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

from contacts.rows import ContactRow, contact_rows
from contacts.selectors import contact_count
from dialects.onlyoffice import representations as rep
from dialects.onlyoffice.parsers import OnlyofficeParams

DEFAULT_COUNT = 25
MAX_COUNT = 100


class Envelope(dict):
    """A complete ONLYOFFICE reply; the renderers write it as it is and wrap anything else."""


def envelope(
    response: Any, *, status_code: int, start_index: int = 0, next_index: int | None = None, total: int | None = None
) -> Envelope:
    count = len(response) if isinstance(response, (list, tuple)) else 1
    members = {
        "count": count,
        "startIndex": start_index,
        "nextIndex": next_index,
        "total": total,
        "status": 0,
        "statusCode": status_code,
        "response": response,
    }
    return Envelope(
        (key, value) for key, value in members.items() if key in ("status", "response") or value not in (0, None)
    )


class PageParamsSerializer(serializers.Serializer):
    startIndex = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1, default=0)
    count = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1, default=DEFAULT_COUNT)


class OnlyofficePagination(BasePagination):
    """startIndex/count paging; `with_total` adds `total` (contact/filter).

    The page's rows carry the annotations of the view's `contact_queryset` (computed for the
    page alone); the total counts the list itself, which costs no more than its filters.
    """

    with_total: ClassVar[bool] = False

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list[ContactRow]:
        serializer = PageParamsSerializer(data=OnlyofficeParams(request).data_for(PageParamsSerializer))
        serializer.is_valid(raise_exception=True)
        self.start = serializer.validated_data["startIndex"]
        size = min(serializer.validated_data["count"] or DEFAULT_COUNT, MAX_COUNT)
        self.total = None
        if self.with_total and self.start:
            # Counted first, so that a page past the middle is read from the nearer end.
            self.total = contact_count(queryset)
        rows = contact_rows(
            queryset,
            offset=self.start,
            limit=size + 1,
            total=self.total,
            fields=rep.FIELDS,
            joined=rep.JOINED,
            related=rep.RELATED,
            annotate=view.contact_queryset,
            annotate_key=view.contact_queryset_key,
        )
        self.next_index = self.start + size if len(rows) > size else None
        rows = rows[:size]
        if self.with_total and self.total is None:
            self.total = len(rows) if self.next_index is None else contact_count(queryset)
        return rows

    def get_paginated_response(self, data: Sequence[Any]) -> Response:
        return Response(
            envelope(list(data), status_code=200, start_index=self.start, next_index=self.next_index, total=self.total)
        )


class OnlyofficeTotalPagination(OnlyofficePagination):
    with_total: ClassVar[bool] = True
