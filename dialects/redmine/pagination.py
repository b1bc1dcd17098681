"""Redmine's list paging and envelope (Redmine core, ApplicationController#api_offset_and_limit).

`limit` defaults to 25 and is clamped to 1..100 (below 1 means the default);
without `offset`, `page` gives `offset = (page - 1) * limit`. The envelope is
`{"contacts": [...], "total_count": 5, "offset": 0, "limit": 25}` (XML: the
same numbers as attributes of `<contacts type="array">`); `nometa=1` or the
header `X-Redmine-Nometa: 1` leaves the numbers out. The view's `page` reads
the page itself.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

from contacts.selectors import contact_count

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
MAX_OFFSET = 2**62


def to_int(value: Any) -> int:
    """Ruby's String#to_i: leading digits, else 0."""
    text = str(value or "").strip()
    sign = -1 if text.startswith("-") else 1
    digits = ""
    for char in text.lstrip("+-"):
        if char not in "0123456789":
            break
        digits += char
    return sign * int(digits) if digits else 0


class RedminePagination(BasePagination):
    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list[Any]:
        params = request.query_params
        self.results_key = view.results_key
        limit = to_int(params.get("limit")) if "limit" in params else DEFAULT_LIMIT
        self.limit = DEFAULT_LIMIT if limit < 1 else min(limit, MAX_LIMIT)
        if "offset" in params:
            offset = to_int(params.get("offset"))
        else:
            offset = (max(to_int(params.get("page")), 1) - 1) * self.limit
        # Past any real list anyway; larger numbers would overflow the database's OFFSET.
        self.offset = min(max(offset, 0), MAX_OFFSET)
        self.nometa = params.get("nometa") in ("1", "true") or request.headers.get("X-Redmine-Nometa") == "1"
        self.total_count = contact_count(queryset)
        return view.page(queryset, offset=self.offset, limit=self.limit, total=self.total_count)

    def get_paginated_response(self, data: list[Any]) -> Response:
        body: dict[str, Any] = {self.results_key: data}
        if not self.nometa:
            body.update(total_count=self.total_count, offset=self.offset, limit=self.limit)
        return Response(body)
