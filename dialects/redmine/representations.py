"""Redmine contacts and notes as the plugin writes them, by plain functions over rows already
fetched (a contact as a `contacts.rows.ContactRow` with the related rows of RELATED): no
serializer object per row, no query.

Output follows the plugin's `contacts/show.api.rsb` order. JSON and XML differ only in phones,
emails and tags (docs/redmine.md, "Shapes"): JSON writes `{"number": ..}` and
`{"address": ..}` objects and a `tag_list` array, XML text children and one `tags` string.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from contacts.models import Contact, ContactItem, Note
from contacts.rows import AddressRow, ContactRow, CustomValueRow, contact_row_of
from dialects.redmine.codes import NOTE_TYPE_CODES, VISIBILITY_CODES
from dialects.redmine.fields import redmine_time, text_or_none, user_ref

# The plugin writes a missing address as the block with nil lines and no country_code.
# What a contact shows of its row, the rows joined to it and its related rows, in lists (see
# contacts.rows.contact_rows), and in show with its projects.
FIELDS = (
    "pk",
    "avatar",
    "is_company",
    "name",
    "first_name",
    "last_name",
    "middle_name",
    "birthday",
    "job_title",
    "background",
    "visibility",
    "created_at",
    "updated_at",
)
JOINED = ("company", "author", "assigned_to")
RELATED = ("items", "addresses", "custom_values", "tags")
DETAIL_RELATED = (*RELATED, "projects")
NO_ADDRESS = dict.fromkeys(("full_address", "street", "city", "region", "country", "postcode"))


def address(row: AddressRow | None) -> dict[str, Any]:
    if row is None:
        return dict(NO_ADDRESS)
    return {
        "full_address": text_or_none(row.full_address),
        "street": text_or_none(row.street1),
        "city": text_or_none(row.city),
        "region": text_or_none(row.region),
        "country": text_or_none(row.country_name),
        "country_code": row.country or None,
        "postcode": text_or_none(row.postcode),
    }


def custom_value(value: CustomValueRow) -> dict[str, Any]:
    data: dict[str, Any] = {"id": value.field_id, "name": value.field.name}
    if value.field.is_multiple:
        data["multiple"] = True
        data["value"] = json.loads(value.value) if value.value else []
    else:
        data["value"] = value.value
    return data


def _contact(
    contact: ContactRow, *, lists: Callable[[list[str], list[str], list[str]], dict[str, Any]]
) -> dict[str, Any]:
    """The contact's keys in the plugin's order; `lists` spells phones, emails and tags."""
    items = contact.items
    phones: list[str] = []
    emails: list[str] = []
    website = skype = None
    for item in items:
        kind = item.kind
        if kind == ContactItem.Kind.TEL:
            phones.append(item.value)
        elif kind == ContactItem.Kind.EMAIL:
            emails.append(item.value)
        elif kind == ContactItem.Kind.URL and website is None:
            website = item.value
        elif kind == ContactItem.Kind.SKYPE and skype is None:
            skype = item.value
    data: dict[str, Any] = {"id": contact.pk}
    if contact.avatar:
        # Our avatars are not attachments; the contact's id stands in for the attachment id.
        data["avatar"] = {"attachment_id": contact.pk}
    data["is_company"] = contact.is_company
    data["first_name"] = text_or_none(contact.name if contact.is_company else contact.first_name)
    data["last_name"] = text_or_none(contact.last_name)
    data["middle_name"] = text_or_none(contact.middle_name)
    data["company"] = text_or_none(contact.company_name)
    data["website"] = website
    data["skype_name"] = skype
    data["birthday"] = contact.birthday.isoformat() if contact.birthday else None
    data["job_title"] = text_or_none(contact.job_title)
    data["background"] = text_or_none(contact.background)
    if contact.author_id:
        data["author"] = user_ref(contact.author)
    if contact.assigned_to_id:
        data["assigned_to"] = user_ref(contact.assigned_to)
    data["visibility"] = VISIBILITY_CODES[contact.visibility]
    data["address"] = address(contact.primary_address)
    data.update(lists(phones, emails, contact.tags))
    data["custom_fields"] = [custom_value(v) for v in contact.custom_values]
    data["created_on"] = redmine_time(contact.created_at)
    data["updated_on"] = redmine_time(contact.updated_at)
    return data


def _json_lists(phones: list[str], emails: list[str], tags: list[str]) -> dict[str, Any]:
    # Empty collections are empty arrays, as the plugin's array blocks write them.
    return {
        "phones": [{"number": number} for number in phones],
        "emails": [{"address": email} for email in emails],
        "tag_list": tags,
    }


def _xml_lists(phones: list[str], emails: list[str], tags: list[str]) -> dict[str, Any]:
    return {"phones": phones, "emails": emails, "tags": ", ".join(tags)}


def contact_json(contact: ContactRow) -> dict[str, Any]:
    """A contact as the plugin's JSON writes it (index and show)."""
    return _contact(contact, lists=_json_lists)


def contact_xml(contact: ContactRow) -> dict[str, Any]:
    """The documented XML: phones and emails as text children, tags as one comma-separated string."""
    return _contact(contact, lists=_xml_lists)


CONTACT = {"json": contact_json, "xml": contact_xml}


def contact_detail(
    contact: Contact,
    *,
    fmt: str,
    include: Iterable[str] = (),
    notes: Iterable[Note] = (),
    people: Iterable[Contact] = (),
) -> dict[str, Any]:
    """Show: the contact (read with its prefetches) with its projects and, on request
    (`include=`), notes, contacts, deals and tickets (notes and people already read through the
    selectors)."""
    row = contact_row_of(contact, related=DETAIL_RELATED)
    data = CONTACT[fmt](row)
    projects = row.projects
    if projects:
        data["projects"] = [{"id": p.pk, "name": p.name} for p in projects]
    include = set(include)
    if "notes" in include:
        data["notes"] = [note(n) for n in notes]
    if "contacts" in include:
        data["contacts"] = [{"id": p.pk, "name": p.display_name} for p in people]
    # No deals or helpdesk tickets here: asked for, they are empty lists.
    if "deals" in include:
        data["deals"] = []
    if "tickets" in include:
        data["tickets"] = []
    return data


def webform_receipt(contact: Contact) -> dict[str, Any]:
    """What a web-form post gets back: only what it sent, never a stored contact's other data."""
    return {
        "id": contact.pk,
        "is_company": contact.is_company,
        "first_name": text_or_none(contact.first_name),
        "last_name": text_or_none(contact.last_name),
    }


def note(row: Note) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row.pk,
        "source": {"id": row.contact_id, "name": row.contact.display_name, "type": "Contact"},
        "subject": text_or_none(row.subject),
        "content": row.content,
        "type_id": NOTE_TYPE_CODES.get(row.kind),
    }
    if row.author_id:
        data["author"] = user_ref(row.author)
    data["created_on"] = redmine_time(row.created_at)
    data["updated_on"] = redmine_time(row.updated_at)
    return data
