"""ONLYOFFICE's wrappers (PersonWrapper, CompanyWrapper, ContactBaseWrapper...) as plain functions
over rows already fetched: no serializer object per row, no query.

Keys are the documented example's PascalCase (lowercase `id`), in its order; a person's or company's own
members come first, as ONLYOFFICE's serializer writes a subclass's members before its base
class's (docs/onlyoffice.md, "Contacts"). Every key is always written (an absent object is null,
an empty list []), so a client sees one stable shape.

A contact is a `contacts.rows.ContactRow` of a queryset annotated by
`contacts.selectors.contact_annotate_for_display` (rights, company visibility, people count), with
its items, addresses, custom values, tags and the access lists of private contacts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from contacts.models import Address, Contact, ContactItem, CustomField, CustomValue, Tag, Visibility
from contacts.rows import AddressRow, ContactRow, ItemRow
from dialects.onlyoffice.codes import BASIC_CURRENCY, CURRENCIES, InfoType, ShareType
from dialects.onlyoffice.fields import (
    address_category,
    address_data,
    api_datetime,
    context_address_category,
    custom_field_mask,
    custom_field_value,
    field_type_of,
    item_category,
    item_info_type,
    photo_url,
    share_type,
    user_guid,
)

# What a contact's wrapper shows of its row, the rows joined to it and its related rows (see
# contacts.rows.contact_rows).
FIELDS = (
    "pk",
    "is_company",
    "first_name",
    "last_name",
    "name",
    "display_name",
    "job_title",
    "background",
    "industry",
    "currency",
    "avatar",
    "visibility",
    "created_at",
)
JOINED = ("company", "author", "contact_type", "stage")
RELATED = ("items", "addresses", "custom_values", "tags", "access_list")


def employee(user: Any) -> dict[str, Any]:
    """A user as EmployeeWraper; we keep no job title, avatar or profile page for users."""
    return {
        "Id": user_guid(user.pk),
        "DisplayName": user.get_full_name() or user.get_username(),
        "Title": "",
        "AvatarSmall": "",
        "ProfileUrl": "",
    }


def list_item_base(item: Any) -> dict[str, Any]:
    """ContactStatus (our ContactStage) or ContactType as nested in a contact."""
    return {
        "id": item.pk,
        "Title": item.name,
        "Description": item.description,
        "Color": item.color,
        "SortOrder": item.position,
    }


def list_item(item: Any, *, counts: Mapping[int, int]) -> dict[str, Any]:
    """A contact type or status on its own, with how many visible contacts have it."""
    return list_item_base(item) | {"RelativeItemsCount": counts.get(item.pk, 0)}


@lru_cache(maxsize=64)
def address_codes(context: str) -> tuple[int, str]:
    """An address's Category and CategoryName, which depend on its context alone: worked out
    once per context, not once per address of every page."""
    category = context_address_category(context)
    return int(category), category.label


def address(row: Address | AddressRow) -> dict[str, Any]:
    number, name = address_codes(row.context)
    return {
        "Street": row.street,
        "City": row.city,
        "State": row.region,
        "Zip": row.postcode,
        "Country": row.country_name,
        "Category": number,
        "CategoryName": name,
        "IsPrimary": row.is_primary,
    }


@lru_cache(maxsize=512)
def item_codes(kind: str, tel_type: str, context: str, service: str) -> tuple[int, int, str]:
    """An item's InfoType, Category and CategoryName, which depend on these four values alone:
    worked out once per combination, not once per item of every page."""
    item = ItemRow(0, 0, kind, tel_type, context, service, "", False)
    number, name = item_category(item)
    return item_info_type(item), number, name


def contact_info(row: ContactItem | ItemRow | Address | AddressRow) -> dict[str, Any]:
    """One CommonData row. Address rows (InfoType 7) appear only under `contact/{id}/data`, with
    their ids negated so items and addresses share one id space."""
    if isinstance(row, (Address, AddressRow)):
        category = address_category(row)
        return {
            "InfoType": int(InfoType.ADDRESS),
            "Category": int(category),
            "Data": address_data(row),
            "CategoryName": category.label,
            "IsPrimary": row.is_primary,
            "id": -row.pk,
        }
    return item_info(row)


def item_info(row: ContactItem | ItemRow) -> dict[str, Any]:
    """One CommonData row of a contact item (`contact_info` of an item, without the test of
    what the row is: a list writes several per contact)."""
    info_type, number, name = item_codes(row.kind, row.tel_type, row.context, row.service)
    return {
        "InfoType": info_type,
        "Category": number,
        "Data": row.value,
        "CategoryName": name,
        "IsPrimary": row.is_primary,
        "id": row.pk,
    }


def custom_value(value: CustomValue, fields: dict[int, tuple[int, str]] | None = None) -> dict[str, Any]:
    """A contact's value of a custom field (CustomFieldBaseWrapper). `fields` keeps each field's
    FieldType and Mask for the other values of a page that has read its fields once."""
    field = value.field
    kind_and_mask = fields.get(value.field_id) if fields is not None else None
    if kind_and_mask is None:
        kind_and_mask = (field_type_of(field), custom_field_mask(field))
        if fields is not None:
            fields[value.field_id] = kind_and_mask
    return {
        "EntityId": value.contact_id,
        "Label": field.name,
        "FieldValue": custom_field_value(field, value.value),
        "FieldType": kind_and_mask[0],
        "Position": field.position,
        "Mask": kind_and_mask[1],
        "id": value.field_id,
    }


def custom_field(field: CustomField, *, counts: Mapping[int, int]) -> dict[str, Any]:
    """A custom field definition (CustomFieldWrapper): EntityId 0, no value, and its usage count."""
    return {
        "EntityId": 0,
        "Label": field.name,
        "FieldValue": "",
        "FieldType": field_type_of(field),
        "Position": field.position,
        "Mask": custom_field_mask(field),
        "id": field.pk,
        "RelativeItemsCount": counts.get(field.pk, 0),
    }


def currency(code: str) -> dict[str, Any]:
    title, symbol, culture = CURRENCIES.get(code, (code, code, ""))
    return {
        "Title": title,
        "Symbol": symbol,
        "Abbreviation": code,
        "CultureName": culture,
        "IsConvertable": code in CURRENCIES,
        "IsBasic": code == BASIC_CURRENCY,
    }


def tag(row: Tag) -> dict[str, Any]:
    """TagWrapper: a dictionary entry with the number of visible contacts carrying it."""
    return {"Title": row.name, "RelativeItemsCount": row.count}


def custom_values_of(contact: Contact) -> list[CustomValue]:
    """The contact's set custom values, from its prefetched values, by field position."""
    values = [v for v in contact.custom_values.all() if v.value != ""]
    return sorted(values, key=lambda v: (v.field.position, v.field_id))


def contact_base(contact: ContactRow, *, request: Any, can_edit: bool, can_delete: bool) -> dict[str, Any]:
    """ContactBaseWrapper (the access list is read for private contacts only)."""
    photo = photo_url(contact, request)
    private = contact.visibility == Visibility.PRIVATE
    share = share_type(contact)
    access = [employee(u) for u in contact.access_list] if private else []
    return {
        "id": contact.pk,
        "SmallFotoUrl": photo,
        "MediumFotoUrl": photo,
        "DisplayName": contact.display_name,
        "IsCompany": contact.is_company,
        "AccessList": access,
        "IsPrivate": private,
        "IsShared": share in (ShareType.READ_WRITE, ShareType.READ),
        "ShareType": int(share),
        "Currency": currency(contact.currency) if contact.currency else None,
        "CanEdit": bool(can_edit),
        "CanDelete": bool(can_delete),
    }


def contact_summary(contact: ContactRow, *, request: Any) -> dict[str, Any]:
    """ContactBaseWrapper of an annotated contact (its own rights)."""
    return contact_base(contact, request=request, can_edit=contact.can_edit, can_delete=contact.can_delete)


def contact_full(
    contact: ContactRow, *, request: Any, fields: dict[int, tuple[int, str]] | None = None
) -> dict[str, Any]:
    """PersonWrapper or CompanyWrapper, with the example's ContactWrapper members between the
    subclass members and the base ones (`fields`: see `custom_value`)."""
    if contact.is_company:
        head: dict[str, Any] = {"CompanyName": contact.name, "PersonsCount": contact.persons_count}
    else:
        company = contact.company if contact.company_visible else None
        head = {
            "FirstName": contact.first_name,
            "LastName": contact.last_name,
            "Company": contact_base(
                company, request=request, can_edit=contact.company_can_edit, can_delete=contact.company_can_delete
            )
            if company is not None
            else None,
            "Title": contact.job_title,
        }
    body = {
        "Addresses": [address(row) for row in contact.addresses],
        "CreateBy": employee(contact.author) if contact.author_id else None,
        "Created": api_datetime(contact.created_at),
        "About": contact.background,
        "Industry": contact.industry,
        "ContactStatus": list_item_base(contact.stage) if contact.stage_id else None,
        "ContactType": list_item_base(contact.contact_type) if contact.contact_type_id else None,
        "CommonData": [item_info(item) for item in contact.items],
        "CustomFields": [custom_value(value, fields) for value in contact.custom_values if value.value != ""],
        "Tags": contact.tags,
        # We keep no tasks (docs/onlyoffice.md: TaskCount, HaveLateTasks).
        "TaskCount": 0,
        "HaveLateTasks": False,
    }
    # One dict filled in order, rather than a new one for each `|` of the three parts.
    head.update(body)
    head.update(contact_summary(contact, request=request))
    return head


def contacts_full(contacts: Iterable[ContactRow], *, request: Any) -> list[dict[str, Any]]:
    """The wrappers of rows read together: their custom fields' parts worked out once."""
    fields: dict[int, tuple[int, str]] = {}
    return [contact_full(contact, request=request, fields=fields) for contact in contacts]


def contacts_summary(contacts: Iterable[ContactRow], *, request: Any) -> list[dict[str, Any]]:
    return [contact_summary(contact, request=request) for contact in contacts]
