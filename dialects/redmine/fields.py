"""Redmine's value formats: API times, nil for blank text, user references."""

from __future__ import annotations

import datetime
from typing import Any


def redmine_time(value: datetime.datetime) -> str:
    """Redmine's API times: ISO 8601 in UTC with a Z (Rails' xmlschema)."""
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def user_ref(user: Any) -> dict[str, Any]:
    return {"id": user.pk, "name": user.get_full_name() or user.get_username()}


def text_or_none(value: str) -> str | None:
    """Blank text is nil in Redmine's records, written `<x/>` and `null`."""
    return value or None
