"""Incoplax request bodies: JSON only, bounded in size and depth, with no NUL or lone surrogate.

Any JSON value is a body: LOOKUP sends a bare scalar (`"11"`). Deep nesting makes Python's
decoder recurse until it gives up; that is the client's fault, so it is a 400, not a 500.
Lone surrogates (`"\\ud800"`) decode to strings no database can store.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import exceptions

from dialects.base import BoundedJSONParser, refuse_null_characters

MAX_DEPTH = 32


def refuse_bad_text(data: Any, depth: int = 0) -> Any:
    """Raise ParseError for data nested over MAX_DEPTH, or holding NUL or a lone surrogate."""
    if depth > MAX_DEPTH:
        raise exceptions.ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.")
    if isinstance(data, str):
        if "\x00" in data:
            refuse_null_characters(data)
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            raise exceptions.ParseError("Lone surrogates are not allowed in text.") from None
    elif isinstance(data, Mapping):
        for key, value in data.items():
            refuse_bad_text(key, depth + 1)
            refuse_bad_text(value, depth + 1)
    elif isinstance(data, (list, tuple)):
        for entry in data:
            refuse_bad_text(entry, depth + 1)
    return data


class IncoplaxJSONParser(BoundedJSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping | None = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.") from None
        return refuse_bad_text(data)
