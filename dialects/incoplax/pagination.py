"""Incoplax list paging: `offset` and `limit` (default 1000, at most 10000); a list is a bare
JSON array, with no envelope and no total."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

from dialects.incoplax.codes import DEFAULT_LIMIT, MAX_LIMIT
from dialects.incoplax.fields import MAX_ID


def whole_number(params: Any, name: str, default: int) -> int:
    """A non-negative integer query parameter, or a 400 naming it."""
    text = params.get(name)
    if text is None or text == "":
        return default
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
        raise exceptions.ValidationError({name: ["must be a non-negative integer."]})
    return int(text)


class IncoplaxPagination(BasePagination):
    def bounds(self, request: Request) -> tuple[int, int]:
        """(offset, limit) of the request; a limit over MAX_LIMIT is taken as MAX_LIMIT."""
        params = request.query_params
        offset = whole_number(params, "offset", 0)
        limit = min(whole_number(params, "limit", DEFAULT_LIMIT), MAX_LIMIT)
        return offset, limit

    def get_paginated_response(self, data: list[Any]) -> Response:
        return Response(data)
