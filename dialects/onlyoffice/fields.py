"""ONLYOFFICE's value formats: user GUIDs, ApiDateTime, enum values by number or name, and how
one contact item, address or custom value is spelled in ONLYOFFICE's fields.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from django.db.models import IntegerChoices
from django_countries import countries
from rest_framework import serializers

from contacts.models import Address, Contact, ContactItem, CustomField, Visibility
from dialects.onlyoffice.codes import (
    CONTEXT_ADDRESS_CATEGORY,
    CONTEXT_BASE_CATEGORY,
    FALLBACK_INFO_TYPE,
    FORMAT_FIELD_TYPE,
    ITEM_INFO_TYPE,
    AddressCategory,
    BaseCategory,
    Ctx,
    FieldType,
    InfoType,
    Kind,
    PhoneCategory,
    ShareType,
    Tel,
)

# ONLYOFFICE user ids are GUIDs; ours embed the user id in the last twelve hex digits.
GUID_PREFIX = "00000000-0000-0000-0000-"


def user_guid(user_id: int) -> str:
    return f"{GUID_PREFIX}{user_id:012x}"


def user_id_from_guid(value: Any) -> int | None:
    try:
        text = str(uuid.UUID(str(value).strip()))
    except ValueError:
        return None
    if not text.startswith(GUID_PREFIX):
        return None
    return int(text[len(GUID_PREFIX) :], 16) or None


def api_datetime(value: datetime | date | None) -> str | None:
    """ONLYOFFICE's ApiDateTime in UTC: seven fractional digits (.NET ticks) and Z."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=UTC)
    if value.tzinfo is not UTC:  # the database's datetimes are in UTC already
        value = value.astimezone(UTC)
    if value.year >= 1000:
        # The ISO text up to the microseconds is the format's, written without strftime (a list
        # writes a few of these per contact); strftime writes years before 1000 unpadded.
        return value.isoformat(timespec="microseconds")[:26] + "0Z"
    return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond:06d}0Z"


def parse_api_datetime(value: Any, *, end_of_day: bool = False) -> datetime:
    """A roundtrip ISO date or datetime (7 fractional digits allowed); a bare date is its midnight
    (or its last microsecond with `end_of_day`)."""
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise serializers.ValidationError(f'"{text}" is not a date (use 2020-12-08 or 2020-12-08T17:37:04Z).') from None
    if len(text) <= 10 and end_of_day:
        parsed = parsed.replace(hour=23, minute=59, second=59, microsecond=999999)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def enum_value(enum: type[IntegerChoices], raw: Any) -> int:
    """An enum member by number or by name (case-insensitive), as ONLYOFFICE's binder accepts both."""
    text = str(raw).strip()
    if text.lstrip("-").isascii() and text.lstrip("-").isdigit() and int(text) in enum.values:
        return int(text)
    for value, label in enum.choices:
        if label.lower() == text.lower():
            return value
    names = ", ".join(label for _, label in enum.choices)
    raise serializers.ValidationError(f'"{text}" is not one of {names}.')


def item_info_type(item: ContactItem) -> int:
    for key in ((item.kind, item.service.lower()), (item.kind, "")):
        if key in ITEM_INFO_TYPE:
            return int(ITEM_INFO_TYPE[key])
    return int(FALLBACK_INFO_TYPE.get(item.kind, InfoType.WEBSITE))


def item_category(item: ContactItem) -> tuple[int, str]:
    if item.kind == Kind.TEL:
        if item.tel_type == Tel.CELL:
            category = PhoneCategory.MOBILE
        elif item.tel_type == Tel.FAX:
            category = PhoneCategory.FAX
        elif item.tel_type == Tel.PAGER or item.context == Ctx.OTHER:
            category = PhoneCategory.OTHER
        else:
            category = PhoneCategory.HOME if item.context == Ctx.HOME else PhoneCategory.WORK
        return int(category), category.label
    category = CONTEXT_BASE_CATEGORY.get(item.context, BaseCategory.WORK)
    return int(category), category.label


def address_category(address: Address) -> AddressCategory:
    return context_address_category(address.context)


def context_address_category(context: str) -> AddressCategory:
    """The Category of an address of this context."""
    return CONTEXT_ADDRESS_CATEGORY.get(context, AddressCategory.OTHER)


def address_data(address: Address) -> str:
    """An address as ONLYOFFICE's InfoType 7 Data: a JSON string."""
    return json.dumps(
        {
            "street": address.street,
            "city": address.city,
            "state": address.region,
            "zip": address.postcode,
            "country": address.country_name,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def country_code(name: str) -> str:
    """An ISO 3166-1 code from a country name or code ("Latvia", "LV"); "" for blank."""
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) == 2 and name.upper() in dict(countries):
        return name.upper()
    code = countries.by_name(name, insensitive=True)
    if not code:
        raise serializers.ValidationError(f'"{name}" is not a known country.')
    return code


def custom_field_value(field: CustomField, stored: str) -> str:
    """A stored custom value as ONLYOFFICE's FieldValue string."""
    typed = field.from_storage(stored)
    if typed is None:
        return ""
    if isinstance(typed, bool):
        return "true" if typed else "false"
    if isinstance(typed, date):
        return api_datetime(typed) or ""
    if isinstance(typed, list):
        return ",".join(typed)
    return str(typed)


def field_type_of(field: CustomField) -> int:
    return int(FORMAT_FIELD_TYPE.get(field.field_format, FieldType.TEXT_FIELD))


def custom_field_mask(field: CustomField) -> str:
    """ONLYOFFICE's Mask: the choices of a select box as a JSON array; sizes of text fields are not kept."""
    if not field.is_list:
        return ""
    try:
        return _choices_mask(tuple(field.choices))
    except TypeError:  # choices that are not all text (never stored through the model's checks)
        return json.dumps(field.choices, ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=1024)
def _choices_mask(choices: tuple[str, ...]) -> str:
    """A select box's Mask, written once per list of choices (every value of the field shows it)."""
    return json.dumps(list(choices), ensure_ascii=False, separators=(",", ":"))


def photo_url(contact: Contact, request: Any) -> str:
    """The avatar's absolute URL (both foto sizes are the one stored image), or ""."""
    if not contact.avatar:
        return ""
    url = contact.avatar.url
    return request.build_absolute_uri(url) if request is not None else url


def share_type(contact: Contact) -> int:
    return ShareType.READ_WRITE if contact.visibility == Visibility.PUBLIC else ShareType.NONE
