"""incwo's list paging: `?page=N` (from 1), 100 a page, and a `<pagination>` block in the list.

A client reads `total_pages` and asks for pages 1 to `total_pages`; an empty
list still has one (empty) page, as will_paginate counts. A page that is not
a positive whole number is a 404, as will_paginate's InvalidPage is in Rails;
a page past the end is empty. The view's `page` reads the page itself.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

from contacts.selectors import contact_count

PER_PAGE = 100
# Past any real list; larger pages would overflow the database's OFFSET.
MAX_PAGE = 2**40


class IncwoPagination(BasePagination):
    per_page = PER_PAGE

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list[Any]:
        raw = request.query_params.get("page", "1").strip() or "1"
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise Http404
        self.page = int(raw)
        self.results_key = view.results_key
        self.total_entries = contact_count(queryset)
        if self.page > MAX_PAGE:
            return []
        return view.page(queryset, offset=(self.page - 1) * self.per_page, limit=self.per_page)

    @property
    def total_pages(self) -> int:
        return max(1, -(-self.total_entries // self.per_page))

    def get_paginated_response(self, data: list[Any]) -> Response:
        pagination = {
            "current_page": self.page,
            "total_pages": self.total_pages,
            "total_entries": self.total_entries,
            "per_page": self.per_page,
        }
        return Response({self.results_key: {"items": data, "pagination": pagination}})
