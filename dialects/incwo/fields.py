"""incwo's value formats: `dd-mm-YYYY-HH-MM` times, countries by name, empty text for nothing.

incwo writes timestamps as `17-01-2012-15-14` (in the account's time zone) and
countries by name (`France`); an empty element `<x></x>` is "nothing", on the
way out and on the way in.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django_countries import countries
from rest_framework import serializers

TIME_FORMAT = "%d-%m-%Y-%H-%M"


def incwo_time(value: datetime.datetime | None, zone: datetime.tzinfo | None = None) -> str:
    """A timestamp as incwo writes it, in the server's time zone (or `zone`, the same zone read
    once for a whole page: reading the current zone costs more than converting to it)."""
    if not value:
        return ""
    local = value.astimezone(zone or timezone.get_current_timezone())
    if local.year >= 1000:
        # TIME_FORMAT written without strftime, which costs several times more (a list writes
        # two per record); strftime writes years before 1000 unpadded.
        return f"{local.day:02d}-{local.month:02d}-{local.year}-{local.hour:02d}-{local.minute:02d}"
    return local.strftime(TIME_FORMAT)


def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country given by name or code, or None if unknown."""
    text = text.strip()
    if not text:
        return ""
    if len(text) == 2 and text.upper() in countries:
        return text.upper()
    return countries.by_name(text, insensitive=True) or None


def text(value: Any) -> str:
    """Any stored value as element text: None is ""."""
    return "" if value is None else str(value)


class BlankIntegerField(serializers.IntegerField):
    """An integer where `<x></x>` (empty text) means none."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if isinstance(data, str) and not data.strip():
            return True, None
        return super().validate_empty_values(data)


class TextField(serializers.CharField):
    """Text kept exactly as sent (no trimming), where empty and absent-text both mean ""."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, (dict, list)):
            self.fail("invalid")
        return super().to_internal_value(data)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data is None:
            return True, ""
        return super().validate_empty_values(data)


class CountryField(TextField):
    """A country by name (`France`) or ISO code, stored as its ISO code."""

    default_error_messages = {"unknown": "{value} is not a country we know."}

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        code = country_code(value)
        if code is None:
            self.fail("unknown", value=value)
        return code
