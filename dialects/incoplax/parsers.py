"""Incoplax request bodies: JSON only, bounded in size and depth, with no NUL or lone surrogate.

Any JSON value is a body: LOOKUP sends a bare scalar (`"11"`); each view's input says which
type it takes. Size, depth and text checks are the shared parser's (dialects/base.py).
"""

from __future__ import annotations

from typing import ClassVar

from dialects.base import BoundedJSONParser


class IncoplaxJSONParser(BoundedJSONParser):
    objects_only: ClassVar[bool] = False
