"""`GET /combined_contacts`: groups first, then contacts, as rows of `id`, `key`, `type`, `name`
and `number`; `filter` on id, key, name and number, and `offset`/`limit` over the whole list."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from contacts.selectors import contact_list_matching, contact_rows, tag_list_matching, tag_rows
from dialects.incoplax.filters import combined_query
from dialects.incoplax.representations import combined_contact, combined_group
from dialects.incoplax.views import IncoplaxView


class CombinedContactsView(IncoplaxView):
    def get(self, request: Request) -> Response:
        query = combined_query(request.query_params)
        offset, limit = self.paginator.bounds(request)
        out: list[dict] = []
        skipped = 0
        if query.groups is not None:
            groups = tag_list_matching(fields=query.groups, order_by=("slug", "pk"))
            rows = tag_rows(user=request.user, tags=groups, offset=offset, limit=limit, members=False)
            out = [combined_group(row) for row in rows]
            skipped = offset if rows else min(offset, groups.count())
        if query.contacts is not None and len(out) < limit:
            contacts = contact_list_matching(user=request.user, **query.contacts.arguments())
            rows = contact_rows(contacts=contacts, offset=offset - skipped, limit=limit - len(out), tags=False)
            out += [combined_contact(row) for row in rows]
        return self.get_paginated_response(out)
