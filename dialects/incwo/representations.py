"""incwo contacts and firms built from rows (`contacts.rows.ContactRow`, with its items and
addresses, and whether the user may see its company).

Plain functions over rows already read, no serializer object per row. Field order follows the seed's "Object data" for
contacts and the firms page for firms; the extra read-only fields incwo's own
replies carry (`firm_name`, nested `id`s, `created_at`, `updated_at`) follow
them. Nothing is ever None: an empty value is "", written `<x></x>`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.utils import timezone

from contacts.rows import AddressRow, ContactRow, ItemRow
from dialects.incwo.codes import address_code, civility_code, item_code_of, type_word
from dialects.incwo.fields import incwo_time, text

# What a record shows of its row, the rows joined to it and its related rows (see
# contacts.rows.contact_rows).
FIELDS = (
    "pk",
    "salutation",
    "first_name",
    "last_name",
    "name",
    "background",
    "job_title",
    "department",
    "registration_number",
    "vat_number",
    "created_at",
    "updated_at",
)
JOINED = ("company", "contact_type")
RELATED = ("items", "addresses")


def address_repr(address: AddressRow) -> dict[str, Any]:
    return {
        "id": address.pk,
        "address_type": address_code(address.context),
        "street_address": address.street1,
        "street_address2": address.street2,
        "zip_code": address.postcode,
        "city": address.city,
        "country": address.country_name,
    }


def items_repr(items: list[ItemRow]) -> list[dict[str, Any]]:
    """The items incwo has a type_id for (a website has none, and is left out)."""
    result = []
    for item in items:
        code = item_code_of(item)
        if code is not None:
            result.append({"id": item.pk, "type_id": code, "value": item.value})
    return result


def nested_repr(contact: ContactRow) -> dict[str, Any]:
    return {
        "contact_addresses": [address_repr(a) for a in contact.addresses],
        "contact_items": items_repr(contact.items),
    }


def primary_country(contact: ContactRow) -> str:
    """A contact's `country`: the country of its primary address (see docs/incwo.md, "Contacts")."""
    address = contact.primary_address
    return address.country_name if address is not None else ""


def contact_repr(contact: ContactRow, zone: datetime.tzinfo | None = None) -> dict[str, Any]:
    """A person, as `<contact>`; its firm only if the user may see it (`company_visible`). Its
    times are in `zone` (the current time zone by default)."""
    zone = zone or timezone.get_current_timezone()
    firm = contact.company if contact.company_id and getattr(contact, "company_visible", False) else None
    return {
        "id": contact.pk,
        "civility_label_id": civility_code(contact.salutation),
        "last_name": contact.last_name,
        "first_name": contact.first_name,
        "comment": contact.background,
        "job_title": contact.job_title,
        "job_department": contact.department,
        "country": primary_country(contact),
        "contact_type": type_word(contact.contact_type.code if contact.contact_type_id else None),
        "firm_id": text(firm.pk if firm else None),
        "firm_name": firm.display_name if firm else "",
        "created_at": incwo_time(contact.created_at, zone),
        "updated_at": incwo_time(contact.updated_at, zone),
        **nested_repr(contact),
    }


def firm_repr(firm: ContactRow, zone: datetime.tzinfo | None = None) -> dict[str, Any]:
    """A company, as `<firm>`, its times in `zone` (the current time zone by default)."""
    zone = zone or timezone.get_current_timezone()
    return {
        "id": firm.pk,
        "name": firm.name,
        "firm_type": type_word(firm.contact_type.code if firm.contact_type_id else None),
        "siren": firm.registration_number,
        "tva": firm.vat_number,
        "created_at": incwo_time(firm.created_at, zone),
        "updated_at": incwo_time(firm.updated_at, zone),
        **nested_repr(firm),
    }


def page_repr(
    represent: Callable[[ContactRow, datetime.tzinfo | None], dict[str, Any]], records: Iterable[ContactRow]
) -> list[dict[str, Any]]:
    """A page of persons or companies, each by `represent` (`contact_repr`, `firm_repr`), the
    current time zone read once for all of them."""
    zone = timezone.get_current_timezone()
    return [represent(record, zone) for record in records]
