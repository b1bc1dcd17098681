"""Value formats of the Incoplax address book: its timestamps, group ids, and strict JSON types.

Times are UTC with two fractional digits (`2019-08-28T11:59:40.75Z`, as the seed shows). A
group's `id` is a uuid that encodes the tag's database id, since tags keep no uuid of their own.
Input fields refuse values of the wrong JSON type instead of converting them (`12` is no string).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from rest_framework import serializers

from crm.ids import MAX_ID

GROUP_ID_PREFIX = "00000000-0000-4000-8000-"


def timestamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    value = value.astimezone(UTC)
    return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond // 10000:02d}Z"


def group_id(pk: int) -> str:
    return f"{GROUP_ID_PREFIX}{pk:012x}"


def group_pk(value: Any) -> int | None:
    """The tag id a group id stands for, or None for anything else."""
    try:
        text = str(uuid.UUID(str(value).strip()))
    except (ValueError, AttributeError):
        return None
    if not text.startswith(GROUP_ID_PREFIX):
        return None
    pk = int(text[len(GROUP_ID_PREFIX) :], 16)
    return pk if 0 < pk <= MAX_ID else None


def parse_uuid(value: Any) -> uuid.UUID | None:
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value.strip())
    except ValueError:
        return None


class StrictCharField(serializers.CharField):
    """A JSON string, never a number or a boolean turned into one."""

    default_error_messages = {"invalid": "must be a string."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer (not a string of digits, a float or a boolean)."""

    default_error_messages = {"invalid": "must be an integer."}

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class UUIDTextField(StrictCharField):
    default_error_messages = {"invalid": "must be a uuid string."}

    def to_internal_value(self, data: Any) -> uuid.UUID:
        parsed = parse_uuid(data)
        if parsed is None:
            self.fail("invalid")
        return parsed
