"""`contact_row_of`: the same rows built from a contact already read with its prefetches (the
replies to writes), without a query."""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from contacts.models import Address, Contact, Visibility
from contacts.rows.shapes import (
    ADDRESS_FIELDS,
    CHOICE_FIELDS,
    CONTACT_FIELDS,
    DISPLAY_ANNOTATIONS,
    ITEM_FIELDS,
    AddressRow,
    ContactRow,
    CustomValueRow,
    ItemRow,
    ProjectRow,
    UserRow,
    _avatar,
    country_name,
)

# The same rows from instances already read (with the prefetches of `contact_list_for_display`).


def contact_row_of(contact: Contact, *, related: Iterable[str] = ()) -> ContactRow:
    """The ContactRow of a contact read with the prefetches of `related`, without a query (the
    access lists of private contacts must have been read, see `contact_access_lists`)."""
    values = {name: getattr(contact, name) for name in CONTACT_FIELDS}
    values["avatar"] = _avatar(contact.avatar.name)
    for name in DISPLAY_ANNOTATIONS:
        if hasattr(contact, name):
            values[name] = getattr(contact, name)
    values["author"] = _user_row(contact.author) if contact.author_id else None
    values["assigned_to"] = _user_row(contact.assigned_to) if contact.assigned_to_id else None
    values["contact_type"] = _choice_row(contact.contact_type, code=True) if contact.contact_type_id else None
    values["stage"] = _choice_row(contact.stage) if contact.stage_id else None
    values["company"] = _company_row(contact.company) if contact.company_id else None
    values["access_list"] = _access_list_of(contact)
    row = ContactRow(**values)
    related = set(related)
    if "items" in related:
        row.items = [ItemRow._make(getattr(item, name) for name in ITEM_FIELDS) for item in contact.items.all()]
    if "addresses" in related:
        row.addresses = [_address_row(address) for address in contact.addresses.all()]
    if "custom_values" in related:
        values_ = sorted(contact.custom_values.all(), key=lambda v: (v.field.position, v.field_id))
        row.custom_values = [CustomValueRow(v.contact_id, v.field_id, v.value, v.field) for v in values_]
    if "tags" in related:
        row.tags = sorted((tagged.tag.name for tagged in contact.tagged_items.all()), key=str.lower)
    if "projects" in related:
        projects = sorted(contact.projects.all(), key=lambda p: (p.name, p.pk))
        row.projects = [ProjectRow(p.pk, p.name) for p in projects]
    return row


def _user_row(user: Any) -> UserRow:
    return UserRow(user.pk, user.first_name, user.last_name, user.get_username())


def _choice_row(choice: Any, *, code: bool = False) -> SimpleNamespace:
    values = {name: getattr(choice, name) for name in CHOICE_FIELDS}
    return SimpleNamespace(pk=choice.pk, code=choice.code if code else "", **values)


def _company_row(company: Contact) -> ContactRow:
    return ContactRow(
        pk=company.pk,
        company_id=None,
        is_company=company.is_company,
        display_name=company.display_name,
        avatar=_avatar(company.avatar.name),
        visibility=company.visibility,
        currency=company.currency,
        deleted_at=company.deleted_at,
        access_list=_access_list_of(company),
    )


def _access_list_of(contact: Contact) -> list[UserRow]:
    if contact.visibility != Visibility.PRIVATE:
        return []
    return [_user_row(user) for user in sorted(contact.access_list.all(), key=lambda u: u.pk)]


def _address_row(address: Address) -> AddressRow:
    values = {name: getattr(address, name) for name in ADDRESS_FIELDS}
    values["country"] = address.country.code or "" if address.country else ""
    return AddressRow(**values, country_name=country_name(values["country"]))
