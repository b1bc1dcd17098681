"""Database ids read from client text, one way everywhere."""

from __future__ import annotations

from typing import Any

# The largest id a 64-bit primary key holds; larger ones exist nowhere (and would overflow a query).
MAX_ID = 2**63 - 1


def parse_id(value: Any) -> int | None:
    """A positive database id from text, or None.

    ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    """
    text = str(value).strip()
    if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID:
        return int(text)
    return None
